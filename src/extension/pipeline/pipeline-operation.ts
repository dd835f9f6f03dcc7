/**
 * The pipeline as code in VS Code: diagnostics and CodeLens on `ptp.pipeline.yaml` / `*.ptp.pipeline.yaml`
 * (pipeline-editor.ts), the Pipeline view (pipeline-view.ts), and the commands. A run is the worker op
 * `pipeline-run` in a process of its own (Cancel kills it; the core writes atomically), its progress messages
 * (`stage <id> (<kind>)`) drive the view; a finished run opens its report.html (pipeline-report-panel.ts); a run
 * stopped at an approval offers Approve / Reject, which record the decision (worker op `pipeline-approve`) and
 * run on (the earlier stages come back cached).
 *
 *   executeCommand('ptp.pipeline.run', uri, { approve?: 'all' | string[], force?, only? })  → PipelineRunResult
 *   executeCommand('ptp.pipeline.approve' | 'ptp.pipeline.reject', file|uri, stageId, { comment?, by? })
 *     → the PipelineRunResult of the run that continues
 *
 * With an arguments object nothing is asked and a failure rejects (the runner's scripted-arguments contract).
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { PipelineRunResult, PipelineSpec } from '../../protocol/pipeline';
import { isArgsObject } from '../shared/logic/command-args';
import type { Operation, OperationHost } from '../shared/operation';
import { PIPELINE_COMMANDS, PIPELINE_FILE_PATTERN, PIPELINE_VIEW_ID, isPipelineFile } from './logic/pipeline-ids';
import { parseDecisionArgs, parseRunArgs, stagesUpTo, type RunChoices } from './logic/pipeline-options';
import { runningStage, type StageNode } from './logic/pipeline-tree';
import { PipelineCodeLens, PipelineDiagnostics, readDocument } from './pipeline-editor';
import { PipelineReportPanel } from './pipeline-report-panel';
import { PipelineView } from './pipeline-view';

/** What tests read: the view's file and nodes, the report panel. */
export interface PipelineApi {
  readonly view: { file(): string | undefined; nodes(): StageNode[] };
  readonly report: { file(): string | undefined; html(): string | undefined; options(): vscode.WebviewOptions | undefined };
}

const isStageNode = (x: unknown): x is StageNode => typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'stage';

export const pipelineOperation: Operation<PipelineApi> = {
  name: 'pipeline',
  activate({ context, log, runner }: OperationHost) {
    const view = new PipelineView(PIPELINE_VIEW_ID);
    const report = new PipelineReportPanel(context.extensionUri);
    const diagnostics = new PipelineDiagnostics((spec) => {
      if (vscode.window.activeTextEditor?.document.uri.fsPath === spec.file) void view.show(spec);
    });
    const running = new Set<string>();

    /** The pipeline file a command names: a Uri, a path, the view's node, or the active editor's file. */
    const fileOf = (arg: unknown): string | undefined => {
      if (arg instanceof vscode.Uri) return arg.fsPath;
      if (typeof arg === 'string') return path.resolve(arg);
      if (isStageNode(arg)) return view.file;
      const active = vscode.window.activeTextEditor?.document.uri;
      if (active?.scheme === 'file' && isPipelineFile(active.fsPath)) return active.fsPath;
      return view.file;
    };

    /** Reads the file (the open document when it is open, saved first if dirty). */
    const specOf = async (file: string): Promise<PipelineSpec> => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file) ?? (await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
      if (doc.isDirty) await doc.save();
      const r = readDocument(doc);
      diagnostics.check(doc);
      if ('error' in r) throw r.error;
      return r.spec;
    };

    const run = async (file: string, choices: RunChoices, scripted: boolean): Promise<PipelineRunResult> => {
      if (running.has(file)) throw new Error(`The pipeline ${path.basename(file)} is already running.`);
      const spec = await specOf(file);
      running.add(file);
      view.start(spec);
      let result: PipelineRunResult | undefined;
      try {
        log.info(`Command ${PIPELINE_COMMANDS.run}: ${file} ${JSON.stringify(choices)}`);
        result = await runner.run(
          'pipeline-run',
          { file, ...choices },
          {
            title: `Pipeline ${spec.name}`,
            cancelled: `The run of pipeline ${spec.name} was cancelled.`,
            dedicated: true,
            onProgress: (p) => {
              const stage = runningStage(p.message);
              if (stage) view.progress(stage);
            },
          },
        );
      } finally {
        running.delete(file);
        await view.finish(result);
      }
      log.info(`Pipeline ${result.name}: ${result.status} (run ${result.run_id}, ${result.seconds.toFixed(1)} s) → ${result.run_dir}`);
      if (result.status === 'awaiting-approval') offerDecision(result);
      else {
        await report.show(result.report.html, `Pipeline ${result.name}: ${result.status}`);
        if (result.status === 'failed' && !scripted) {
          const stage = result.stages.find((s) => s.status === 'failed');
          void vscode.window.showWarningMessage(`Pipeline ${result.name} failed${stage ? ` at ${stage.id}: ${stage.message ?? ''}` : ''}`);
        }
      }
      return result;
    };

    const offerDecision = (result: PipelineRunResult): void => {
      const stage = result.stages.find((s) => s.status === 'awaiting-approval');
      if (!stage) return;
      void vscode.window.showInformationMessage(`Pipeline ${result.name} waits for approval at ${stage.id}: ${(stage.message ?? '').split(' — ')[0]}`, 'Approve', 'Reject').then((choice) => {
        if (!choice) return;
        // Decided meanwhile (in the view, or by ptp pipeline approve and a new run): nothing waits any more.
        const waits = view.file === result.file && view.nodes().some((n) => n.id === stage.id && n.status === 'awaiting-approval');
        if (waits) void vscode.commands.executeCommand(choice === 'Approve' ? PIPELINE_COMMANDS.approve : PIPELINE_COMMANDS.reject, result.file, stage.id);
        else void vscode.window.showInformationMessage(`${stage.id} of pipeline ${result.name} no longer waits for a decision.`);
      });
    };

    const decide = (approved: boolean) => async (arg?: unknown, stageArg?: unknown, args?: unknown): Promise<PipelineRunResult | undefined> => {
      const command = approved ? PIPELINE_COMMANDS.approve : PIPELINE_COMMANDS.reject;
      const scripted = isArgsObject(args);
      const action = approved ? 'Approve' : 'Reject';
      try {
        const file = fileOf(arg);
        const stage = isStageNode(arg) ? arg.id : typeof stageArg === 'string' ? stageArg : view.nodes().find((n) => n.status === 'awaiting-approval')?.id;
        if (!file || !stage) throw new Error('No pipeline stage waits for approval.');
        const choices = scripted ? parseDecisionArgs(command, args) : {};
        let comment = choices.comment;
        if (!scripted) {
          const typed = await vscode.window.showInputBox({ title: `${action} ${stage}`, prompt: 'A comment kept with the decision (optional)', ignoreFocusOut: true });
          if (typed === undefined) return undefined;
          comment = typed.trim() || undefined;
        }
        const by = choices.by ?? os.userInfo().username;
        const spec = await specOf(file);
        await runner.run('pipeline-approve', { file, stage, approved, by, ...(comment ? { comment } : {}) }, { title: `${action} ${stage}`, cancelled: `${action} ${stage} was cancelled.` });
        log.info(`${approved ? 'Approved' : 'Rejected'} ${stage} of ${spec.name} (by ${by})`);
        return await run(file, {}, scripted);
      } catch (e) {
        const error = runner.fail(`${action} stage`, e, { quietCancel: true });
        if (scripted) throw error;
        return undefined;
      }
    };

    const pickWorkspacePipeline = async (): Promise<string | undefined> => {
      const found = (await vscode.workspace.findFiles('**/{ptp.pipeline.yaml,*.ptp.pipeline.yaml}', '**/node_modules/**', 50)).map((u) => u.fsPath).sort();
      if (found.length <= 1) return found[0];
      const picked = await vscode.window.showQuickPick(
        found.map((f) => ({ label: vscode.workspace.asRelativePath(f), file: f })),
        { title: 'Run Pipeline', placeHolder: 'The pipeline file to run' },
      );
      return picked?.file;
    };

    const runCommand = async (arg?: unknown, args?: unknown): Promise<PipelineRunResult | undefined> => {
      const scripted = isArgsObject(args);
      // From the palette or the walkthrough with no pipeline open: the workspace's pipeline files (one: that one).
      const file = fileOf(arg) ?? (scripted ? undefined : await pickWorkspacePipeline());
      try {
        if (!file) throw new Error('Open a ptp.pipeline.yaml file to run it.');
        return await run(file, scripted ? parseRunArgs(PIPELINE_COMMANDS.run, args) : {}, scripted);
      } catch (e) {
        const error = runner.fail('Run Pipeline', e, { ...(file ? { file } : {}), quietCancel: true });
        if (scripted) throw error;
        return undefined;
      }
    };

    const runToHere = async (arg?: unknown, stageArg?: unknown): Promise<PipelineRunResult | undefined> => {
      const file = fileOf(arg);
      const stage = isStageNode(arg) ? arg.id : typeof stageArg === 'string' ? stageArg : undefined;
      try {
        if (!file || !stage) throw new Error('Run to here needs a pipeline file and a stage.');
        const spec = await specOf(file);
        return await run(file, { only: stagesUpTo(spec.stages.map((s) => s.id), stage) }, false);
      } catch (e) {
        runner.fail('Run Pipeline', e, { ...(file ? { file } : {}), quietCancel: true });
        return undefined;
      }
    };

    const openStage = async (node?: unknown): Promise<void> => {
      const result = view.lastResult;
      if (!isStageNode(node) || !result) return;
      const folder = path.join(result.run_dir, node.id);
      const target = node.output && existsSync(node.output) ? node.output : existsSync(folder) ? folder : undefined;
      if (target && statSync(target).isFile() && !/\.onnx$/i.test(target)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
      else if (target) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target));
      else if (existsSync(result.report.html)) await report.show(result.report.html, `Pipeline ${result.name}: ${result.status}`);
    };

    const openReport = async (arg?: unknown): Promise<void> => {
      const result = view.lastResult;
      const file = fileOf(arg);
      if (!result || (file && result.file !== file)) {
        void vscode.window.showInformationMessage('This pipeline has no finished run yet: run it first.');
        return;
      }
      await report.show(result.report.html, `Pipeline ${result.name}: ${result.status}`);
    };

    const showActive = (editor: vscode.TextEditor | undefined) => {
      if (editor && editor.document.uri.scheme === 'file' && isPipelineFile(editor.document.uri.fsPath)) {
        const r = readDocument(editor.document);
        if ('spec' in r) void view.show(r.spec);
      }
    };
    showActive(vscode.window.activeTextEditor);

    const disposables: vscode.Disposable[] = [
      view,
      report,
      diagnostics,
      vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: PIPELINE_FILE_PATTERN }, new PipelineCodeLens()),
      vscode.window.onDidChangeActiveTextEditor(showActive),
      vscode.commands.registerCommand(PIPELINE_COMMANDS.run, runCommand),
      vscode.commands.registerCommand(PIPELINE_COMMANDS.runToHere, runToHere),
      vscode.commands.registerCommand(PIPELINE_COMMANDS.approve, decide(true)),
      vscode.commands.registerCommand(PIPELINE_COMMANDS.reject, decide(false)),
      vscode.commands.registerCommand(PIPELINE_COMMANDS.openStage, openStage),
      vscode.commands.registerCommand(PIPELINE_COMMANDS.openReport, openReport),
    ];
    const api: PipelineApi = {
      view: { file: () => view.file, nodes: () => view.nodes() },
      report: { file: () => report.file, html: () => report.webview?.html, options: () => report.webview?.options },
    };
    return { disposable: { dispose: () => disposables.forEach((d) => d.dispose()) }, api };
  },
};
