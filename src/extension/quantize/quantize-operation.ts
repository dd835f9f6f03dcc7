/**
 * Quantize Model…: asks what it needs (or takes an arguments object, see OperationRunner), runs the worker op
 * `quantize`, shows the Quantization report, sets the Graph tab's SQNR overlay and returns the result.
 * The closed loop: the report's Re-quantize button and the graph's "Exclude from quantization" node action
 * run the last recipe of the model again with another exclusion list, taken from the last run's result in memory
 * (no recipe file: the output model carries its recipe in its `ptp.lineage` metadata).
 *
 *   executeCommand('ptp.quantizeModel', uri, { mode, data?, calibration?, label?, method?, perChannel?, excludeNodes?, output? })
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { QuantizeParams, QuantizeResult } from '../../protocol/quantize';
import type { LastRun, Operation, OperationHost } from '../shared/operation';
import { DataPicker } from '../shared/data-picker';
import { EXCLUDE_ACTION, QUANTIZE_COMMANDS } from './logic/quantize-ids';
import { parseQuantizeArgs, quantizeParams, sqnrOverlay, withExclusions } from './logic/quantize-options';
import { pickQuantizeChoices } from './quantize-pickers';
import { ReportPanels, reportKey } from './report-panels';

export interface QuantizationApi {
  /** The last quantization result of a model (absolute path) in this session. */
  lastResult(model: string): QuantizeResult | undefined;
}

type Run = LastRun<QuantizeParams, QuantizeResult>;

export const quantizeOperation: Operation<QuantizationApi> = {
  name: 'quantize',
  activate({ context, log, overlays, runner, settings }: OperationHost) {
    const panels = new ReportPanels(context.extensionUri, log);
    const dataPicker = new DataPicker(context.workspaceState);
    const runs = new Map<string, Run>();

    const run = async (params: QuantizeParams): Promise<QuantizeResult> => {
      const name = path.basename(params.model);
      log.info(`Quantizing ${params.model} (${params.mode ?? 'recipe'}) → ${params.output ?? '(default)'}`);
      const result = await runner.run('quantize', params, { title: `Quantizing ${name}`, cancelled: `The quantization of ${name} was cancelled.` });
      log.info(`Quantized ${name}: ${result.quantized_nodes} nodes, ${result.size_bytes_before} → ${result.size_bytes_after} bytes, written to ${result.output}`);
      runs.set(params.model, { params, result });
      overlays.set(params.model, sqnrOverlay(result));
      panels.show(reportKey.quantize(params.model), `Quantization: ${name} (${result.mode})`, { kind: 'quantize', result });
      return result;
    };

    /** The last run of `model` in this session: its params and the recipe its result reports. */
    const lastRun = async (model: string): Promise<{ params: QuantizeParams; recipe: QuantizeResult['recipe'] }> => {
      const known = runs.get(model);
      if (!known) throw new Error(`${path.basename(model)} has not been quantized in this session: run Quantize Model… first.`);
      return { params: known.params, recipe: known.result.recipe };
    };

    const requantize = async (model: string, exclude: readonly string[]): Promise<QuantizeResult> => {
      const key = reportKey.quantize(model);
      panels.busy(key, true);
      try {
        const last = await lastRun(model);
        return await run(withExclusions(last.params, last.recipe, exclude));
      } catch (e) {
        throw runner.fail('Re-quantize', e, { panels, key });
      } finally {
        panels.busy(key, false);
      }
    };

    panels.setRequantizeHandler(async (key, exclude) => {
      await requantize(key.split('\n')[1] ?? '', exclude);
    });

    const actionHandler = overlays.handleActions('quantize', async (model, actionId, node) => {
      if (actionId !== EXCLUDE_ACTION.id) throw new Error(`unknown quantization action ${actionId}`);
      const last = await lastRun(model).catch((e: unknown) => {
        throw runner.fail('Exclude from quantization', e);
      });
      await requantize(model, [...new Set([...last.recipe.exclude, node])]);
    });

    const command = runner.register({
      command: QUANTIZE_COMMANDS.quantizeModel,
      action: 'Quantize Model',
      parse: (args) => parseQuantizeArgs(QUANTIZE_COMMANDS.quantizeModel, args, path.isAbsolute),
      pick: ({ model, name }) => pickQuantizeChoices(model, dataPicker, `Quantize ${name}`, runs.get(model)?.result),
      output: (choices) => choices.output,
      panels,
      key: ({ model }) => reportKey.quantize(model),
      run: async ({ uri, model }, choices) => {
        const data = choices.data ?? choices.calibration;
        if (data) await dataPicker.remember(model, data);
        const { runtime, evaluation } = settings(uri);
        return run(quantizeParams(model, choices, runtime, evaluation.batchSize));
      },
    });

    const disposable = vscode.Disposable.from(panels, actionHandler, command);
    return { disposable, api: { lastResult: (model) => runs.get(model)?.result } };
  },
};
