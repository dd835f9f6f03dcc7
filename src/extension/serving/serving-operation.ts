/**
 * The serving operation: Serve Model (Explorer → Post-Training, the palette, the model editor's title) starts
 * `ptp serve` on the model as a child process; Serve (Models view) serves a registry model — two versions as a
 * canary (serve.yaml with `versions` and `routing.split`); Stop Serving; Show Serving Panel. The status bar shows
 * the URL and requests/s. Stopped on deactivate (the session is a disposable of the extension).
 *
 *   executeCommand('ptp.serveModel', uri, {})            → { url, grpc, models }
 *   executeCommand('ptp.models.serve', 'digits' | node)  → { url, grpc, models }
 *   executeCommand('ptp.stopServing')                    → true when a server was stopped
 *   executeCommand('ptp.showServingPanel')               → true
 */
import * as vscode from 'vscode';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { modelNameFor } from '../../pipeline/export/triton';
import { Registry } from '../../pipeline/registry';
import type { ServedVersion, TestAnswer } from '../../protocol/serving-panel';
import { requestLogPath } from './logic/request-log';
import { registryRoot } from '../registry/models-view';
import { isArgsObject } from '../shared/logic/command-args';
import type { Operation, OperationHost } from '../shared/operation';
import { canaryConfig, canaryPlan } from './logic/canary';
import { SERVING_COMMANDS, SERVING_OUTPUT_CHANNEL } from './logic/serving-ids';
import { ServingPanel } from './serving-panel';
import { ServingSession } from './serving-session';

export interface Served {
  readonly url: string;
  readonly grpc: string | null;
  readonly models: readonly ServedVersion[];
}

export interface ServingApi {
  /** The running server's URL, null when nothing is served. */
  url(): string | null;
  /** One stats poll now (tests wait for counts to move). */
  poll(): Promise<unknown>;
  /** The running server's request log (`ptp.serve.requestLog`), null when nothing is served or it does not log. */
  requestLog(): string | null;
  /** The panel's Send Test Request with the data file given (no picker). */
  sendTestRequest(model: string, rows: number, dataFile: string): Promise<TestAnswer | null>;
}

/** The model name of a Models view node or a reference (`digits`, `digits@2`). */
function registryNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.replace(/@.*$/, '') || undefined;
  const o = arg as { ref?: { name?: unknown }; label?: unknown; kind?: unknown } | undefined;
  if (typeof o?.ref?.name === 'string') return o.ref.name;
  if (o?.kind === 'model' && typeof o.label === 'string') return o.label;
  return undefined;
}

export const servingOperation: Operation<ServingApi> = {
  name: 'serving',
  activate({ context, log, runner }: OperationHost) {
    const output = vscode.window.createOutputChannel(SERVING_OUTPUT_CHANNEL);
    const session = new ServingSession(context.asAbsolutePath('dist/cli.js'), output, log);
    const panel = new ServingPanel(context, session, log);
    const tempDirs: string[] = [];

    /** Where a server of `name` logs its requests (`ptp.serve.requestLog`; its folder made), null: no log. */
    const requestLogFor = (name: string, cwd: string | undefined): string | null => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const file = requestLogPath(vscode.workspace.getConfiguration('ptp', folder?.uri).get('serve.requestLog'), name, folder?.uri.fsPath ?? cwd ?? process.cwd());
      if (file) mkdirSync(path.dirname(file), { recursive: true });
      return file;
    };

    const serve = async (label: string, args: readonly string[], cwd: string | undefined, requestLog: string | null): Promise<Served> => {
      const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ptp serve for ${label}` }, () => session.start({ label, args, ...(cwd ? { cwd } : {}), ...(requestLog ? { requestLog } : {}) }));
      void vscode.window.showInformationMessage(`Serving ${label} at ${info.url}`, 'Open Serving Panel').then((c) => c && panel.show());
      return { url: info.url, grpc: info.grpc, models: info.versions };
    };

    /** Failures told once; rethrown for scripts (called with an arguments object). */
    const guarded =
      <R>(action: string, fn: (arg: unknown, args: Record<string, unknown> | undefined) => Promise<R | undefined>) =>
      async (arg?: unknown, args?: unknown): Promise<R | undefined> => {
        try {
          return await fn(arg, isArgsObject(args) ? args : undefined);
        } catch (e) {
          const error = runner.fail(action, e);
          if (isArgsObject(args)) throw error;
          return undefined;
        }
      };

    const serveModel = runner.register({
      command: SERVING_COMMANDS.serveModel,
      action: 'Serve Model',
      parse: (args) => ({ name: typeof args.name === 'string' && args.name ? args.name : undefined }),
      pick: async () => ({ name: undefined }),
      run: ({ model, name, uri }, choices) => {
        const served = choices.name ?? modelNameFor(model);
        const cwd = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(model);
        const requestLog = requestLogFor(served, cwd);
        return serve(name, [model, '--name', served, ...(requestLog ? ['--log', requestLog] : [])], cwd, requestLog);
      },
    });

    const commands = [
      serveModel,
      vscode.commands.registerCommand(SERVING_COMMANDS.serveRegistryModel, guarded('Serve', async (arg) => {
        const name = registryNameOf(arg);
        if (!name) throw new Error('Serve: pick a model in the Models view.');
        const root = registryRoot();
        if (!root) throw new Error('Open a folder to use the model registry.');
        const reg = Registry.at(root);
        const record = await reg.model(name);
        const versions = await Promise.all((await reg.versions(name)).map(async (v) => ({ version: v.version, file: (await reg.resolve({ name, ref: v.version })).file })));
        const plan = canaryPlan(name, versions, record.aliases);
        const dir = mkdtempSync(path.join(tmpdir(), 'ptp-serve-'));
        tempDirs.push(dir);
        const config = path.join(dir, 'serve.yaml');
        const requestLog = requestLogFor(name, path.dirname(root));
        writeFileSync(config, `${JSON.stringify({ ...canaryConfig(plan), ...(requestLog ? { log: { path: requestLog } } : {}) }, null, 2)}\n`);
        log.info(`Serving ${name} from ${config}`);
        return serve(`${name} (${plan.versions.map((v) => `v${v.version}`).join(', ')})`, ['--config', config], path.dirname(root), requestLog);
      })),
      vscode.commands.registerCommand(SERVING_COMMANDS.stopServing, guarded('Stop Serving', async () => session.stop())),
      vscode.commands.registerCommand(SERVING_COMMANDS.showServingPanel, guarded('Show Serving Panel', async () => {
        panel.show();
        return true;
      })),
    ];

    const cleanup = { dispose: () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })) };
    return {
      disposable: vscode.Disposable.from(...commands, panel, session, output, cleanup),
      api: { url: () => session.server?.url ?? null, requestLog: () => session.requestLog, poll: () => session.poll(), sendTestRequest: (model, rows, dataFile) => panel.sendTestRequest(model, rows, dataFile) },
    };
  },
};
