/**
 * The registry operation: Register Model… (Explorer → Post-Training, the palette, and the Register button the
 * model-writing operations offer when they finish) and the Models view with its item actions — Open, Evaluate…,
 * Predict on Data… and Monitor… (a model: its @champion, else its latest version), Compare with Parent, Set Alias…, Export… (Triton, KServe, MLflow, Docker), Model Card (Markdown preview), Copy Reference, Reveal in Explorer, Remove Version. The registry is read and
 * written in the extension host (file work only, no onnxruntime), through src/pipeline/registry like `ptp registry`.
 *
 *   executeCommand('ptp.registerModel', uri, { name, aliases?, description?, tags? })   → AddResult
 *   executeCommand('ptp.models.setAlias', 'digits@2' | { name, version }, { alias })    → AliasMove
 *   executeCommand('ptp.models.removeVersion', 'digits@2', {})                          → removed (no confirmation)
 *   executeCommand('ptp.models.export', 'digits@2', { format: 'triton'|'kserve'|'mlflow'|'docker', output, storageUri?, force? })
 *   executeCommand('ptp.models.predict', 'digits@2' | 'digits' | node, { data, output, idColumn?, label? })  → PredictResult
 *   executeCommand('ptp.models.monitor', 'digits@2' | 'digits' | node, { reference, current, chunkSize?, chunkPeriod? })  → MonitorResult
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { formatRef, Registry, registryVersionOf, type AddResult, type AliasMove, type VersionRef } from '../../pipeline/registry';
import { modelCard } from '../../pipeline/card';
import { exportDocker, exportKServe, exportMlflow, exportTriton } from '../../pipeline/export';

type ExportFormat = 'triton' | 'kserve' | 'mlflow' | 'docker' | 'docker-triton';
import { EVALUATION_COMMANDS } from '../evaluation/logic/evaluation-ids';
import { GRAPH_COMMANDS } from '../graph/logic/graph-ids';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import { MONITOR_COMMANDS } from '../monitor/logic/monitor-ids';
import { PREDICT_COMMANDS } from '../predict/logic/predict-ids';
import { isArgsObject } from '../shared/logic/command-args';
import type { Operation, OperationHost } from '../shared/operation';
import { pickOne, pickParsed, type Valued } from '../shared/pickers';
import type { TreeNode } from './logic/models-tree';
import { refOf, registryTargetOf } from './logic/models-tree';
import { nameProblem, parseRegisterArgs, suggestName, type RegisterChoices } from './logic/register-options';
import { MODELS_VIEW_ID, REGISTRY_COMMANDS } from './logic/registry-ids';
import { ModelsView, registryRoot } from './models-view';

export interface RegistryApi {
  /** The registry folder the view shows. */
  root(): string | undefined;
  /** What the Models view shows. */
  tree(): Promise<TreeNode[]>;
  /** After a model-writing operation: offers to register `output` (parent found by its lineage). */
  offerRegister(output: string): Promise<void>;
}

function noRegistry(): never {
  throw new Error('Open a folder to use the model registry (it lives in .ptp/registry of the workspace, setting ptp.registry.path).');
}

async function pickRegisterChoices(model: string, title: string): Promise<RegisterChoices | undefined> {
  const stored = registryVersionOf(model);
  const name = await pickParsed(title, 'Model name in the registry (a new name starts at version 1)', stored?.name ?? suggestName(model), (t) => {
    const problem = nameProblem(t.trim());
    return problem ? { error: problem } : { value: t.trim() };
  });
  if (name === undefined) return undefined;
  const alias = await pickAlias(`${title}: alias`, true);
  if (alias === undefined) return undefined;
  return { name, aliases: alias ? [alias] : [] };
}

/** An alias from champion / challenger / another name ('' = none when `allowNone`). */
async function pickAlias(title: string, allowNone: boolean, existing: readonly string[] = []): Promise<string | undefined> {
  const names = [...new Set(['champion', 'challenger', ...existing])];
  const items: Valued<string | null>[] = [
    ...(allowNone ? [{ label: 'No alias', value: '' as string | null }] : []),
    ...names.map((a) => ({ label: `@${a}`, description: a === 'champion' ? 'the version in production' : a === 'challenger' ? 'the candidate to replace it' : existing.includes(a) ? 'moves it here' : '', value: a as string | null })),
    { label: 'Another alias…', value: null },
  ];
  const picked = await pickOne(items, title, 'An alias names one version; moving it is recorded (who, when, from, to)');
  if (picked !== null) return picked;
  return pickParsed(title, 'Alias name', '', (t) => {
    const problem = nameProblem(t.trim(), 'alias');
    return problem ? { error: problem } : { value: t.trim() };
  });
}

export const registryOperation: Operation<RegistryApi> = {
  name: 'registry',
  activate({ log, runner }: OperationHost) {
    const view = new ModelsView(MODELS_VIEW_ID, log);
    const registry = (scope?: vscode.Uri): Registry => Registry.at(registryRoot(scope) ?? noRegistry());

    const register = async (uri: vscode.Uri, choices: RegisterChoices): Promise<AddResult> => {
      const reg = registry(uri);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Registering ${path.basename(uri.fsPath)} as ${choices.name}`, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return reg.add(uri.fsPath, { name: choices.name, aliases: choices.aliases, ...(choices.description ? { description: choices.description } : {}), ...(choices.tags ? { tags: choices.tags } : {}) }, { signal: abort.signal, onProgress: (p) => progress.report({ message: p.message }) });
      });
      log.info(`Registered ${uri.fsPath} as ${formatRef(result.name, result.version)}${result.existing ? ' (already registered)' : ''}${result.parent ? `, parent ${formatRef(result.parent.name, result.parent.version)}` : ''}`);
      view.refresh();
      const parent = result.parent ? ` (from ${formatRef(result.parent.name, result.parent.version)}${result.lineage ? ` by ${result.lineage.operation}` : ''})` : '';
      void vscode.window.showInformationMessage(result.existing ? `${path.basename(uri.fsPath)} is already ${formatRef(result.name, result.version)}.` : `Registered ${formatRef(result.name, result.version)}${parent}.`);
      return result;
    };

    const registerCommand = runner.register({
      command: REGISTRY_COMMANDS.registerModel,
      action: 'Register Model',
      parse: (args) => parseRegisterArgs(REGISTRY_COMMANDS.registerModel, args),
      pick: ({ model, name }) => pickRegisterChoices(model, `Register ${name}`),
      run: ({ uri }, choices) => register(uri, choices),
    });

    /** An item command: `(node | ref, args?)`, failures told once and rethrown for scripts. */
    const itemCommand =
      <R>(action: string, fn: (ref: VersionRef, args: Record<string, unknown> | undefined) => Promise<R | undefined>) =>
      async (arg?: unknown, args?: unknown): Promise<R | undefined> => {
        try {
          const ref = refOf(arg);
          if (!ref) throw new Error(`${action}: pick a version in the Models view.`);
          return await fn(ref, isArgsObject(args) ? args : undefined);
        } catch (e) {
          const error = runner.fail(action, e);
          if (isArgsObject(args)) throw error;
          return undefined;
        }
      };

    const fileOf = async (ref: VersionRef): Promise<vscode.Uri> => vscode.Uri.file((await registry().resolve({ name: ref.name, ref: ref.version })).file);

    /** The model file of a version, or of a model's @champion (else its latest version). */
    const targetFileOf = async (arg: unknown, action: string): Promise<vscode.Uri> => {
      const target = registryTargetOf(arg);
      if (!target) throw new Error(`${action}: pick a model or a version in the Models view.`);
      const reg = registry();
      const resolved =
        'version' in target
          ? await reg.resolve({ name: target.version.name, ref: target.version.version })
          : target.ref !== undefined
            ? await reg.resolve(`${target.model}@${target.ref}`)
            : await reg.resolve({ name: target.model, ...((await reg.model(target.model)).aliases.champion !== undefined ? { ref: 'champion' } : {}) });
      log.info(`${action}: ${formatRef(resolved.version.name, resolved.version.version)} (${resolved.file})`);
      return vscode.Uri.file(resolved.file);
    };

    const commands = [
      registerCommand,
      vscode.commands.registerCommand(REGISTRY_COMMANDS.refreshModels, () => view.refresh()),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.openVersion, itemCommand('Open', async (ref) => {
        await vscode.commands.executeCommand('vscode.openWith', await fileOf(ref), MODEL_EDITOR_VIEW_TYPE);
        return true;
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.evaluateVersion, itemCommand('Evaluate', async (ref, args) => {
        // The run attaches to the version (saveRun); the view shows it at once, without waiting for the file watcher.
        const result = await vscode.commands.executeCommand(EVALUATION_COMMANDS.evaluateModel, await fileOf(ref), ...(args ? [args] : []));
        view.refresh();
        return result;
      })),
      // Predict on Data… reports its own failures (and rejects for scripts): only a target that does not resolve is told here.
      vscode.commands.registerCommand(REGISTRY_COMMANDS.predictVersion, async (arg?: unknown, args?: unknown) => {
        let file: vscode.Uri;
        try {
          file = await targetFileOf(arg, 'Predict on Data');
        } catch (e) {
          const error = runner.fail('Predict on Data', e);
          if (isArgsObject(args)) throw error;
          return undefined;
        }
        return vscode.commands.executeCommand(PREDICT_COMMANDS.predictOnData, file, ...(isArgsObject(args) ? [args] : []));
      }),
      // Monitor Model… reports its own failures too.
      vscode.commands.registerCommand(REGISTRY_COMMANDS.monitorVersion, async (arg?: unknown, args?: unknown) => {
        let file: vscode.Uri;
        try {
          file = await targetFileOf(arg, 'Monitor Model');
        } catch (e) {
          const error = runner.fail('Monitor Model', e);
          if (isArgsObject(args)) throw error;
          return undefined;
        }
        return vscode.commands.executeCommand(MONITOR_COMMANDS.monitorModel, file, ...(isArgsObject(args) ? [args] : []));
      }),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.compareWithParent, itemCommand('Compare with Parent', async (ref) => {
        const { version } = await registry().resolve({ name: ref.name, ref: ref.version });
        if (!version.parent) throw new Error(`${formatRef(ref.name, ref.version)} has no registered parent.`);
        return vscode.commands.executeCommand(GRAPH_COMMANDS.compareModels, await fileOf(version.parent), await fileOf(ref));
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.setAlias, itemCommand('Set Alias', async (ref, args): Promise<AliasMove | undefined> => {
        const reg = registry();
        const alias = typeof args?.alias === 'string' ? args.alias : await pickAlias(`Set an alias on ${formatRef(ref.name, ref.version)}`, false, Object.keys((await reg.model(ref.name)).aliases));
        if (!alias) return undefined;
        const move = await reg.setAlias(ref.name, ref.version, alias);
        log.info(`Alias ${ref.name}@${alias}: ${move.from ?? '—'} → ${move.to} by ${move.by}`);
        view.refresh();
        return move;
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.copyReference, itemCommand('Copy Reference', async (ref) => {
        await vscode.env.clipboard.writeText(formatRef(ref.name, ref.version));
        return formatRef(ref.name, ref.version);
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.revealVersion, itemCommand('Reveal in Explorer', async (ref) => {
        const uri = await fileOf(ref);
        await vscode.commands.executeCommand(vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
        return true;
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.exportVersion, itemCommand('Export', async (ref, args): Promise<{ output: string } | undefined> => {
        const label = formatRef(ref.name, ref.version);
        const format =
          typeof args?.format === 'string'
            ? args.format
            : await pickOne<ExportFormat>(
                [
                  { label: 'Triton model repository', description: 'config.pbtxt + versioned model.onnx (onnxruntime backend)', value: 'triton' },
                  { label: 'KServe InferenceService', description: 'inferenceservice.yaml (Open Inference Protocol) + the model folder to upload', value: 'kserve' },
                  { label: 'MLflow model', description: 'MLmodel with the onnx and python_function flavors', value: 'mlflow' },
                  { label: 'Docker build context (ptp serve)', description: 'Dockerfile on a pinned Node image running ptp serve (REST + gRPC) + the model', value: 'docker' },
                  { label: 'Docker build context (Triton)', description: 'Dockerfile on the Triton server image + the repository', value: 'docker-triton' },
                ],
                `Export ${label}`,
                'Export for a serving platform',
              );
        if (!format) return undefined;
        if (!['triton', 'kserve', 'mlflow', 'docker', 'docker-triton'].includes(format)) throw new Error(`Unknown export format "${format}" (available: triton, kserve, mlflow, docker, docker-triton).`);
        let storageUri = typeof args?.storageUri === 'string' ? args.storageUri : undefined;
        if (format === 'kserve' && !storageUri) {
          storageUri = await pickParsed(`Export ${label}: storage URI`, 'Where the model folder will be uploaded (s3://…, gs://…, pvc://…)', '', (t) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(t.trim()) ? { value: t.trim() } : { error: 'A URI such as s3://bucket/models/digits/1' }));
          if (!storageUri) return undefined;
        }
        let output = typeof args?.output === 'string' ? args.output : undefined;
        if (!output) {
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          const what = format === 'triton' ? `the Triton model repository (the model goes in ${ref.name}/)` : 'an empty folder to write the export into';
          const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export here', title: `Export ${label}: ${what}`, ...(folder ? { defaultUri: folder } : {}) });
          if (!picked?.[0]) return undefined;
          output = picked[0].fsPath;
        }
        const file = (await fileOf(ref)).fsPath;
        const force = args?.force === true;
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${label} (${format})` }, async () => {
          switch (format) {
            case 'kserve':
              return exportKServe(file, output!, { name: ref.name, storageUri: storageUri!, force });
            case 'mlflow':
              return exportMlflow(file, output!, { force });
            case 'docker':
              return exportDocker(file, output!, { name: ref.name, version: ref.version, runtime: 'ptp', force });
            case 'docker-triton':
              return exportDocker(file, output!, { name: ref.name, version: ref.version, runtime: 'triton', force });
            default:
              return exportTriton(file, output!, { name: ref.name, version: ref.version, force });
          }
        });
        log.info(`Exported ${label} (${format}) to ${result.output}: ${result.files.join(', ')}`);
        if (!args) void vscode.window.showInformationMessage(`Exported ${label} (${format}) to ${result.output}.`, 'Reveal').then((c) => c && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(result.output)));
        return result;
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.modelCard, itemCommand('Model Card', async (ref) => {
        const reg = registry();
        const resolved = await reg.resolve({ name: ref.name, ref: ref.version });
        const card = await modelCard({
          model: resolved.file,
          record: { model: resolved.model, version: resolved.version, chain: await reg.lineage(formatRef(ref.name, ref.version)) },
          evaluations: await reg.evaluations(ref.name, ref.version),
        });
        // An untitled Markdown document in the preview: the user saves it where the card belongs.
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: card.markdown });
        await vscode.window.showTextDocument(doc, { preview: false });
        await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri);
        return { uri: doc.uri.toString(), markdown: card.markdown, placeholders: card.placeholders };
      })),
      vscode.commands.registerCommand(REGISTRY_COMMANDS.removeVersion, itemCommand('Remove Version', async (ref, args) => {
        const label = formatRef(ref.name, ref.version);
        if (!args) {
          const ok = await vscode.window.showWarningMessage(`Remove ${label} from the registry? Its model file and attached evaluations are deleted.`, { modal: true }, 'Remove');
          if (ok !== 'Remove') return undefined;
        }
        const removed = await registry().remove(label);
        view.refresh();
        return removed;
      })),
    ];

    /** Offered only in a workspace that uses the registry (its folder exists): others are not asked each time. */
    const offerRegister = async (output: string): Promise<void> => {
      const root = registryRoot(vscode.Uri.file(output));
      if (!root || !existsSync(path.join(root, 'registry.json')) || registryVersionOf(output)) return;
      const choice = await vscode.window.showInformationMessage(`Wrote ${path.basename(output)}. Register it in the model registry?`, 'Register…');
      if (choice === 'Register…') await vscode.commands.executeCommand(REGISTRY_COMMANDS.registerModel, vscode.Uri.file(output));
    };

    // "Register…" on the notification that a model-writing operation finished (its parent is found by lineage).
    const offers = runner.onModelWritten((file) => void offerRegister(file));

    return {
      disposable: vscode.Disposable.from(view, offers, ...commands),
      api: { root: () => view.root, tree: () => view.tree(), offerRegister },
    };
  },
};
