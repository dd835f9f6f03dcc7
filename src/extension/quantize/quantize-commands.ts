/**
 * Quantize Model… (and, through src/extension/optimize, Optimize Graph…): asks what it needs (or takes an
 * arguments object from a script or test, which skips the pickers), runs the worker op `quantize` with progress
 * and cancel, shows the Quantization report, sets the Graph tab's SQNR overlay and returns the result.
 * The closed loop: the report's Re-quantize button and the graph's "Exclude from quantization" node action
 * run the last recipe of the model again with another exclusion list (the recipe file is updated by the run).
 *
 *   executeCommand('ptp.quantizeModel', uri, { mode, data?, calibration?, label?, method?, perChannel?, exclude?, output? })
 *
 * With an arguments object a failure rejects (after the same notification a user gets); interactively it
 * resolves to undefined.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { QuantizeParams, QuantizeResult } from '../../protocol/quantize';
import { readRecipe, recipePathFor } from '../../pipeline/quantize/recipe';
import { resolveModelUri } from '../shared/model-target';
import { runtimeOptions } from '../config/logic/ptp-settings';
import { readSettings } from '../config/settings-reader';
import { DataPicker } from '../shared/data-picker';
import { normalizeEvaluationSettings } from '../evaluation/logic/evaluation-options';
import { isArgsObject } from '../shared/logic/command-args';
import type { GraphOverlays } from '../model/graph-overlays';
import { fileName, modelPath } from '../model/model-file';
import { registerOptimize } from '../optimize/optimize-command';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';
import { EXCLUDE_ACTION, QUANTIZE_COMMANDS } from './logic/quantize-ids';
import { parseQuantizeArgs, quantizeParams, sqnrOverlay, withExclusions, defaultQuantizedOutput } from './logic/quantize-options';
import { pickQuantizeChoices } from './quantize-pickers';
import { ReportPanels, reportKey } from './report-panels';
import { runWithProgress } from './worker-progress';

export interface QuantizationDeps {
  readonly context: vscode.ExtensionContext;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
  readonly overlays: GraphOverlays;
}

export interface QuantizationFeature extends vscode.Disposable {
  /** The last quantization result of a model (absolute path) in this session. */
  lastResult(model: string): QuantizeResult | undefined;
}

interface Run {
  readonly params: QuantizeParams;
  readonly result: QuantizeResult;
}

export function registerQuantization({ context, worker, log, overlays }: QuantizationDeps): QuantizationFeature {
  const panels = new ReportPanels(context.extensionUri, log);
  const dataPicker = new DataPicker(context.workspaceState);
  const runs = new Map<string, Run>();

  /** Reports a failure (notification, open panel, log); returns the message a script gets. */
  const report = (what: string, key: string | undefined, e: unknown): Error => {
    const info = toErrorInfo(e);
    if (isCancellation(e)) {
      log.info(info.message);
      void vscode.window.showInformationMessage(info.message);
    } else {
      log.error(`${what} failed: ${logText(e)}`);
      if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`${what} failed: ${info.message}`);
    }
    if (key) panels.fail(key, info);
    return new Error(info.message);
  };

  const run = async (params: QuantizeParams): Promise<QuantizeResult> => {
    const name = path.basename(params.model);
    log.info(`Quantizing ${params.model} (${params.mode ?? 'recipe'}) → ${params.output ?? '(default)'}`);
    const result = await runWithProgress(worker, 'quantize', params, `Quantizing ${name}`, `The quantization of ${name} was cancelled.`);
    log.info(`Quantized ${name}: ${result.quantized_nodes} nodes, ${result.size_bytes_before} → ${result.size_bytes_after} bytes, written to ${result.output}`);
    runs.set(params.model, { params, result });
    overlays.set(params.model, sqnrOverlay(result));
    panels.show(reportKey.quantize(params.model), `Quantization: ${name} (${result.mode})`, { kind: 'quantize', result });
    return result;
  };

  /** The last run of `model`, or one rebuilt from its recipe file (output and evaluation data as last time). */
  const lastRun = async (model: string): Promise<{ params: QuantizeParams; recipe: QuantizeResult['recipe'] }> => {
    const known = runs.get(model);
    if (known) return { params: known.params, recipe: known.result.recipe };
    const file = recipePathFor(model);
    const recipe = await readRecipe(file).catch(() => {
      throw new Error(`${path.basename(model)} has no quantization recipe (${path.basename(file)}): run Quantize Model… first.`);
    });
    const data = await dataPicker.lastData(model);
    const { runtime, batchSize } = settingsFor(vscode.Uri.file(model));
    return { params: { model, mode: recipe.mode, recipe, output: defaultQuantizedOutput(model, recipe.mode), ...(data ? { data } : {}), batchSize, ...runtime }, recipe };
  };

  const requantize = async (model: string, exclude: readonly string[]): Promise<QuantizeResult> => {
    const key = reportKey.quantize(model);
    panels.busy(key, true);
    try {
      const last = await lastRun(model);
      return await run(withExclusions(last.params, last.recipe, exclude));
    } catch (e) {
      throw report('Re-quantize', key, e);
    } finally {
      panels.busy(key, false);
    }
  };

  panels.setRequantizeHandler(async (key, exclude) => {
    const model = key.split('\n')[1] ?? '';
    await requantize(model, exclude);
  });

  const actionHandler = overlays.handleActions('quantize', async (model, actionId, node) => {
    if (actionId !== EXCLUDE_ACTION.id) throw new Error(`unknown quantization action ${actionId}`);
    const last = await lastRun(model).catch((e: unknown) => {
      throw report('Exclude from quantization', undefined, e);
    });
    const exclude = [...new Set([...last.recipe.exclude, node])];
    await requantize(model, exclude);
  });

  const quantizeModel = async (arg?: unknown, args?: unknown): Promise<QuantizeResult | undefined> => {
    const scripted = isArgsObject(args);
    let key: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Quantize Model');
      if (!uri) return undefined;
      const model = modelPath(uri);
      key = reportKey.quantize(model);
      const choices = scripted ? parseQuantizeArgs(QUANTIZE_COMMANDS.quantizeModel, args, path.isAbsolute) : await pickQuantizeChoices(model, dataPicker, `Quantize ${fileName(uri)}`);
      if (!choices) return undefined;
      if (choices.output && path.resolve(choices.output) === path.resolve(model)) throw new Error('The output cannot be the source model.');
      if (choices.data) await dataPicker.remember(model, choices.data);
      else if (choices.calibration) await dataPicker.remember(model, choices.calibration);
      const { runtime, batchSize } = settingsFor(uri);
      return await run(quantizeParams(model, choices, runtime, batchSize));
    } catch (e) {
      const error = report('Quantize Model', key, e);
      if (scripted) throw error;
      return undefined;
    }
  };

  const disposable = vscode.Disposable.from(
    panels,
    actionHandler,
    vscode.commands.registerCommand(QUANTIZE_COMMANDS.quantizeModel, quantizeModel),
    registerOptimize({ worker, log, panels, settings: (uri) => settingsFor(uri).runtime }),
  );
  return {
    lastResult: (model) => runs.get(model)?.result,
    dispose: () => disposable.dispose(),
  };
}

function settingsFor(uri: vscode.Uri) {
  return {
    runtime: runtimeOptions(readSettings(uri)),
    batchSize: normalizeEvaluationSettings((key) => vscode.workspace.getConfiguration('ptp', uri).get(key)).batchSize,
  };
}
