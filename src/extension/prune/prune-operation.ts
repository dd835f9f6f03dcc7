/**
 * Prune Model…: asks what it needs (or takes an arguments object from a script or test, which skips the pickers),
 * runs the worker op `prune` with progress and cancel, sets the Graph tab's sparsity overlay on the source model,
 * shows the Pruning report and returns the result. The report's "Sensitivity analysis…" runs `prune-sensitivity`
 * on the same data (asking for data when the run had none); its "Fine-tune…" runs the same pruning again with
 * fine-tuning (asking for the training data and epochs).
 *
 *   executeCommand('ptp.pruneModel', uri, { method, scope?, sparsity?, n?, m?, criterion?, layers?, excludeNodes?, data?, label?, output?,
 *     finetune?: { data, label?, epochs?, learningRate?, patience?, seed?, temperature?, alpha? } })
 *
 * The arguments-object contract is OperationRunner's.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { PruneParams, PruneResult, PruneSensitivityResult } from '../../protocol/prune';
import type { PruneReportSnapshot } from '../../protocol/prune-panel';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import { DataPicker } from '../shared/data-picker';
import type { LastRun, Operation, OperationHost } from '../shared/operation';
import { pickLabel } from '../shared/pickers';
import { PRUNE_COMMANDS } from './logic/prune-ids';
import { methodLabel, parsePruneArgs, pruneParams, sensitivityParams, sparsityOverlay } from './logic/prune-options';
import { PrunePanels } from './prune-panels';
import { pickFinetuneSettings } from './finetune-pickers';
import { pickEvaluationData, pickPruneChoices } from './prune-pickers';

export interface PruningApi {
  /** What the open Pruning report of a model (absolute path) shows; undefined when none is open. */
  panelSnapshot(model: string): PruneReportSnapshot | undefined;
  /** The report's "Sensitivity analysis…" button: sweeps the layers of the last pruned model on its data. */
  runSensitivity(model: string): Promise<PruneSensitivityResult | null>;
}

type Run = LastRun<PruneParams, PruneResult>;

export const pruneOperation: Operation<PruningApi> = {
  name: 'prune',
  activate({ context, log, overlays, runner, settings }: OperationHost) {
    const dataPicker = new DataPicker(context.workspaceState);
    const runs = new Map<string, Run>();
    const sensitivities = new Map<string, PruneSensitivityResult>();

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
        const result = await runner.run('prune-sensitivity', request, { title: `Sensitivity analysis of ${name}`, cancelled: `The sensitivity analysis of ${name} was cancelled.` });
        log.info(`Sensitivity of ${name}: ${result.layers.length} layers in ${Math.round(result.ms)} ms`);
        sensitivities.set(model, result);
        panels.sensitivity(model, result);
        return result;
      } catch (e) {
        // The panel's request is rejected with this error, and shows it.
        throw runner.fail('Sensitivity analysis', e, { file: model });
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
          throw runner.fail('Fine-tuning', e, { file: model });
        }
      },
    });

    const run = async (params: PruneParams): Promise<PruneResult> => {
      const name = path.basename(params.model);
      log.info(`Pruning ${params.model} (${params.method}${params.sparsity !== undefined ? `, sparsity ${params.sparsity}` : ''}${params.finetune ? `, fine-tuned on ${params.finetune.data}` : ''}) → ${params.output}`);
      const result = await runner.run('prune', params, { title: `Pruning ${name}`, cancelled: `The pruning of ${name} was cancelled.` });
      log.info(`Pruned ${name}: weight sparsity ${result.achieved_weight_sparsity.toFixed(3)}, params ${result.params_before} → ${result.params_after}, written to ${result.output}`);
      if (result.finetune) log.info(`Fine-tuned on ${result.finetune.data}: best epoch ${result.finetune.best_epoch} of ${result.finetune.epochs_run}${result.finetune.stopped_early ? ' (stopped early)' : ''}`);
      runs.set(params.model, { params, result });
      overlays.set(params.model, sparsityOverlay(result));
      panels.show(params.model, `Pruning: ${name} (${methodLabel(result)})`, { result, sensitivity: sensitivities.get(params.model) ?? null });
      return result;
    };

    const command = runner.register({
      command: PRUNE_COMMANDS.pruneModel,
      action: 'Prune Model',
      parse: (args) => parsePruneArgs(PRUNE_COMMANDS.pruneModel, args, path.isAbsolute),
      pick: ({ model, name }) => pickPruneChoices(model, dataPicker, `Prune ${name}`),
      output: (choices) => choices.output,
      run: ({ uri, model }, choices) => {
        const { runtime, evaluation } = settings(uri);
        return run(pruneParams(model, choices, runtime, evaluation.batchSize));
      },
    });

    const disposable = vscode.Disposable.from(panels, command);
    return {
      disposable,
      api: { panelSnapshot: (model) => panels.snapshot(model), runSensitivity },
    };
  },
};
