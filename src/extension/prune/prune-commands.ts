/**
 * Prune Model…: asks what it needs (or takes an arguments object from a script or test, which skips the pickers),
 * runs the worker op `prune` with progress and cancel, sets the Graph tab's sparsity overlay on the source model,
 * shows the Pruning report and returns the result. The report's "Sensitivity analysis…" runs `prune-sensitivity`
 * on the same data (asking for data when the run had none); its "Fine-tune…" runs the same pruning again with
 * fine-tuning (asking for the training data and epochs).
 *
 *   executeCommand('ptp.pruneModel', uri, { method, scope?, sparsity?, n?, m?, criterion?, layers?, exclude?, data?, label?, output?,
 *     finetune?: { data, label?, epochs?, learningRate?, patience?, seed?, temperature?, alpha? } })
 *
 * With an arguments object a failure rejects (after the same notification a user gets); interactively it
 * resolves to undefined.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { PruneParams, PruneResult, PruneSensitivityResult } from '../../protocol/prune';
import type { PruneReportSnapshot } from '../../protocol/prune-panel';
import { resolveModelUri } from '../shared/model-target';
import { runtimeOptions } from '../config/logic/ptp-settings';
import { readSettings } from '../config/settings-reader';
import { DataPicker } from '../shared/data-picker';
import { normalizeEvaluationSettings } from '../evaluation/logic/evaluation-options';
import { isArgsObject } from '../shared/logic/command-args';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import type { GraphOverlays } from '../model/graph-overlays';
import { fileName, modelPath } from '../model/model-file';
import { runWithProgress } from '../quantize/worker-progress';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';
import { PRUNE_COMMANDS } from './logic/prune-ids';
import { methodLabel, parsePruneArgs, pruneParams, sensitivityParams, sparsityOverlay } from './logic/prune-options';
import { PrunePanels } from './prune-panels';
import { pickFinetuneSettings } from './finetune-pickers';
import { pickEvaluationData, pickPruneChoices } from './prune-pickers';
import { pickLabel } from './step-pickers';
import { rejectionFor } from './logic/rejection';

export interface PruningDeps {
  readonly context: vscode.ExtensionContext;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
  readonly overlays: GraphOverlays;
}

export interface PruningFeature extends vscode.Disposable {
  /** What the open Pruning report of a model (absolute path) shows; undefined when none is open. */
  panelSnapshot(model: string): PruneReportSnapshot | undefined;
  /** The report's "Sensitivity analysis…" button: sweeps the layers of the last pruned model on its data. */
  runSensitivity(model: string): Promise<PruneSensitivityResult | null>;
}

interface Run {
  readonly params: PruneParams;
  readonly result: PruneResult;
}

export function registerPruning({ context, worker, log, overlays }: PruningDeps): PruningFeature {
  const dataPicker = new DataPicker(context.workspaceState);
  const runs = new Map<string, Run>();
  const sensitivities = new Map<string, PruneSensitivityResult>();

  /** Reports a failure (notification naming the model, open panel, log); returns the message a script gets. */
  const report = (what: string, model: string | undefined, e: unknown): Error => {
    const info = toErrorInfo(e);
    if (isCancellation(e)) {
      log.info(info.message);
      void vscode.window.showInformationMessage(info.message);
    } else {
      const subject = model ? `${what} failed for ${path.basename(model)}` : `${what} failed`;
      log.error(`${subject}: ${logText(e)}`);
      if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`${subject}: ${info.message}`);
    }
    return rejectionFor(e);
  };

  const lastRun = (model: string): Run => {
    const run = runs.get(model);
    if (!run) throw new Error(`${path.basename(model)} has not been pruned in this session: run Prune Model… first.`);
    return run;
  };

  const runSensitivity = async (model: string): Promise<PruneSensitivityResult | null> => {
    const name = path.basename(model);
    try {
      const { params } = lastRun(model);
      let data = params.data;
      let label = params.label;
      if (!data) {
        const title = `Sensitivity of ${name}`;
        data = (await pickEvaluationData(model, dataPicker, `${title}: data`)) || undefined;
        if (!data) return null;
        label = await pickLabel(data, `${title}: label column`, '(no labels — agreement with the unpruned model)');
        if (label === undefined) return null;
        await dataPicker.remember(model, data);
      }
      panels.busy(model, true);
      const request = sensitivityParams(params, data, label);
      log.info(`Pruning sensitivity of ${model} (${request.method}) on ${data}`);
      const result = await runWithProgress(worker, 'prune-sensitivity', request, `Sensitivity analysis of ${name}`, `The sensitivity analysis of ${name} was cancelled.`);
      log.info(`Sensitivity of ${name}: ${result.layers.length} layers in ${Math.round(result.ms)} ms`);
      sensitivities.set(model, result);
      panels.sensitivity(model, result);
      return result;
    } catch (e) {
      // The panel's request is rejected with this error, and shows it.
      throw report('Sensitivity analysis', model, e);
    } finally {
      panels.busy(model, false);
    }
  };

  const panels = new PrunePanels(context.extensionUri, log, {
    openOutput: async (model) => {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(lastRun(model).result.output), MODEL_EDITOR_VIEW_TYPE);
    },
    showOverlay: async (model) => {
      overlays.set(model, sparsityOverlay(lastRun(model).result), { reveal: true });
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(model), MODEL_EDITOR_VIEW_TYPE);
    },
    runSensitivity,
    finetune: async (model) => {
      try {
        const { params } = lastRun(model);
        const finetune = await pickFinetuneSettings(model, params.data, `Fine-tune ${path.basename(params.output ?? model)}`);
        if (!finetune) return null;
        return await run({ ...params, finetune });
      } catch (e) {
        // The panel's request is rejected with this error, and shows it.
        throw report('Fine-tuning', model, e);
      }
    },
  });

  const run = async (params: PruneParams): Promise<PruneResult> => {
    const name = path.basename(params.model);
    log.info(`Pruning ${params.model} (${params.method}${params.sparsity !== undefined ? `, sparsity ${params.sparsity}` : ''}${params.finetune ? `, fine-tuned on ${params.finetune.data}` : ''}) → ${params.output}`);
    const result = await runWithProgress(worker, 'prune', params, `Pruning ${name}`, `The pruning of ${name} was cancelled.`);
    log.info(`Pruned ${name}: weight sparsity ${result.achieved_weight_sparsity.toFixed(3)}, params ${result.params_before} → ${result.params_after}, written to ${result.output}`);
    if (result.finetune) log.info(`Fine-tuned on ${result.finetune.data}: best epoch ${result.finetune.best_epoch} of ${result.finetune.epochs_run}${result.finetune.stopped_early ? ' (stopped early)' : ''}`);
    runs.set(params.model, { params, result });
    overlays.set(params.model, sparsityOverlay(result));
    panels.show(params.model, `Pruning: ${name} (${methodLabel(result)})`, { result, sensitivity: sensitivities.get(params.model) ?? null });
    return result;
  };

  const pruneModel = async (arg?: unknown, args?: unknown): Promise<PruneResult | undefined> => {
    const scripted = isArgsObject(args);
    let model: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Prune Model');
      if (!uri) return undefined;
      model = modelPath(uri);
      const choices = scripted ? parsePruneArgs(PRUNE_COMMANDS.pruneModel, args, path.isAbsolute) : await pickPruneChoices(model, dataPicker, `Prune ${fileName(uri)}`);
      if (!choices) return undefined;
      if (choices.output && path.resolve(choices.output) === path.resolve(model)) throw new Error('The output cannot be the source model.');
      const { runtime, batchSize } = settingsFor(uri);
      return await run(pruneParams(model, choices, runtime, batchSize));
    } catch (e) {
      const error = report('Prune Model', model, e);
      if (scripted) throw error;
      return undefined;
    }
  };

  const disposable = vscode.Disposable.from(panels, vscode.commands.registerCommand(PRUNE_COMMANDS.pruneModel, pruneModel));
  return {
    panelSnapshot: (model) => panels.snapshot(model),
    runSensitivity,
    dispose: () => disposable.dispose(),
  };
}

function settingsFor(uri: vscode.Uri) {
  return {
    runtime: runtimeOptions(readSettings(uri)),
    batchSize: normalizeEvaluationSettings((key) => vscode.workspace.getConfiguration('ptp', uri).get(key)).batchSize,
  };
}
