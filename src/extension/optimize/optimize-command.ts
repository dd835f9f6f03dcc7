/**
 * Optimize Graph…: pick the passes (all, or some) and optionally an onnxruntime level, run the worker op
 * `optimize` with progress and cancel, show the report (in the Quantization report app) and return the result.
 *
 *   executeCommand('ptp.optimizeModel', uri, { passes?: 'all' | string[], ortLevel?, output? })
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { OptimizeResult, OrtOptimizationLevel } from '../../protocol/optimize';
import type { RuntimeOptions } from '../../protocol/worker';
import { resolveModelUri } from '../shared/model-target';
import { isArgsObject } from '../shared/logic/command-args';
import { fileName, modelPath } from '../model/model-file';
import { QUANTIZE_COMMANDS } from '../quantize/logic/quantize-ids';
import { pickOutputFile } from '../shared/output-file-picker';
import { reportKey, type ReportPanels } from '../quantize/report-panels';
import { runWithProgress } from '../quantize/worker-progress';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';
import { defaultOptimizedOutput, optimizeParams, parseOptimizeArgs, PASS_NAMES, type OptimizeChoices } from './logic/optimize-options';

export interface OptimizeDeps {
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
  readonly panels: ReportPanels;
  readonly settings: (uri: vscode.Uri) => RuntimeOptions;
}

type Valued<T> = vscode.QuickPickItem & { readonly value: T };

export function registerOptimize({ worker, log, panels, settings }: OptimizeDeps): vscode.Disposable {
  const optimizeModel = async (arg?: unknown, args?: unknown): Promise<OptimizeResult | undefined> => {
    const scripted = isArgsObject(args);
    let key: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Optimize Graph');
      if (!uri) return undefined;
      const model = modelPath(uri);
      key = reportKey.optimize(model);
      const choices = scripted ? parseOptimizeArgs(QUANTIZE_COMMANDS.optimizeModel, args, path.isAbsolute) : await pickOptimizeChoices(model, `Optimize ${fileName(uri)}`);
      if (!choices) return undefined;
      const params = optimizeParams(model, choices, settings(uri));
      if (path.resolve(params.output!) === path.resolve(model)) throw new Error('The output cannot be the source model.');
      log.info(`Optimizing ${model} → ${params.output}`);
      const result = await runWithProgress(worker, 'optimize', params, `Optimizing ${fileName(uri)}`, `The optimization of ${fileName(uri)} was cancelled.`);
      log.info(`Optimized ${fileName(uri)}: ${result.node_count_before} → ${result.node_count_after} nodes, written to ${result.output}`);
      panels.show(key, `Optimization: ${fileName(uri)}`, { kind: 'optimize', result });
      return result;
    } catch (e) {
      const info = toErrorInfo(e);
      if (isCancellation(e)) void vscode.window.showInformationMessage(info.message);
      else {
        log.error(`Optimize Graph failed: ${logText(e)}`);
        if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`Optimize Graph failed: ${info.message}`);
      }
      if (key) panels.fail(key, info);
      if (scripted) throw new Error(info.message);
      return undefined;
    }
  };
  return vscode.commands.registerCommand(QUANTIZE_COMMANDS.optimizeModel, optimizeModel);
}

async function pickOptimizeChoices(model: string, title: string): Promise<OptimizeChoices | undefined> {
  const which = await vscode.window.showQuickPick<Valued<'all' | 'choose'>>(
    [
      { label: 'All passes', description: 'run every pass to a fixpoint, each verified on sample inputs', value: 'all' },
      { label: 'Choose passes…', value: 'choose' },
    ],
    { title: `${title}: passes`, placeHolder: 'Which graph passes to run', ignoreFocusOut: true },
  );
  if (!which) return undefined;
  let passes: OptimizeChoices['passes'] = 'all';
  if (which.value === 'choose') {
    const picked = await vscode.window.showQuickPick(
      PASS_NAMES.map((p): Valued<string> => ({ label: p.name, description: p.description, picked: true, value: p.name })),
      { title: `${title}: passes`, placeHolder: 'Passes to run', canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    passes = picked.length ? picked.map((p) => p.value) : 'none';
  }
  const level = await vscode.window.showQuickPick<Valued<OrtOptimizationLevel | null>>(
    [
      { label: 'No onnxruntime optimization', description: 'portable: only standard ONNX ops', value: null },
      { label: 'onnxruntime basic', description: 'constant folding, redundant node removal', value: 'basic' },
      { label: 'onnxruntime extended', description: 'adds fusions (may emit com.microsoft ops, CPU specific)', value: 'extended' },
      { label: 'onnxruntime all', description: 'adds layout optimizations (CPU specific)', value: 'all' },
    ],
    { title: `${title}: onnxruntime level`, placeHolder: 'Also run onnxruntime offline optimization after our passes?', ignoreFocusOut: true },
  );
  if (!level) return undefined;
  const output = await pickOutputFile(model, defaultOptimizedOutput(model), `${title}: output file`, 'Where to write the optimized model (absolute path)');
  if (!output) return undefined;
  return { passes, ...(level.value ? { ortLevel: level.value } : {}), output };
}
