/**
 * Optimize Graph…: pick the passes (all, or some) and optionally an onnxruntime level (or take an arguments
 * object, see OperationRunner), run the worker op `optimize`, show the report (in the Quantization report app)
 * and return the result.
 *
 *   executeCommand('ptp.optimizeModel', uri, { passes?: 'all' | string[], ortLevel?, output? })
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { OrtOptimizationLevel } from '../../protocol/optimize';
import type { Operation, OperationHost } from '../shared/operation';
import { pickOutputFile } from '../shared/output-file-picker';
import type { Valued } from '../shared/pickers';
import { ReportPanels, reportKey } from '../quantize/report-panels';
import { OPTIMIZE_COMMANDS } from './logic/optimize-ids';
import { defaultOptimizedOutput, optimizeParams, parseOptimizeArgs, PASS_NAMES, type OptimizeChoices } from './logic/optimize-options';

export const optimizeOperation: Operation = {
  name: 'optimize',
  activate({ context, log, runner, settings }: OperationHost) {
    const panels = new ReportPanels(context.extensionUri, log);
    const command = runner.register({
      command: OPTIMIZE_COMMANDS.optimizeModel,
      action: 'Optimize Graph',
      parse: (args) => parseOptimizeArgs(OPTIMIZE_COMMANDS.optimizeModel, args, path.isAbsolute),
      pick: ({ model, name }) => pickOptimizeChoices(model, `Optimize ${name}`),
      output: (choices, { model }) => choices.output ?? defaultOptimizedOutput(model),
      panels,
      key: ({ model }) => reportKey.optimize(model),
      run: async ({ uri, model, name }, choices) => {
        const params = optimizeParams(model, choices, settings(uri).runtime);
        log.info(`Optimizing ${model} → ${params.output}`);
        const result = await runner.run('optimize', params, { title: `Optimizing ${name}`, cancelled: `The optimization of ${name} was cancelled.` });
        log.info(`Optimized ${name}: ${result.node_count_before} → ${result.node_count_after} nodes, written to ${result.output}`);
        panels.show(reportKey.optimize(model), `Optimization: ${name}`, { kind: 'optimize', result });
        return result;
      },
    });
    return { disposable: vscode.Disposable.from(panels, command), api: undefined };
  },
};

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
