/**
 * What Optimize Graph… offers and sends: the pass names (a copy of src/pipeline/optimize/passes' registry, so
 * activation does not load the passes and onnxruntime), the onnxruntime levels, the arguments object of scripts
 * and the default output. No vscode.
 */
import type { OptimizeParams, OrtOptimizationLevel } from '../../../protocol/optimize';
import type { RuntimeOptions } from '../../../protocol/worker';
import { defaultOutputPath } from '../../../pipeline/shared/output-name';
import { CommandArgumentsError } from '../../shared/logic/command-args';

export const PASS_NAMES: readonly { readonly name: string; readonly description: string }[] = [
  { name: 'eliminate-identity', description: 'remove Identity nodes' },
  { name: 'eliminate-dropout', description: 'remove Dropout nodes (identity at inference)' },
  { name: 'fold-constants', description: 'evaluate constant subgraphs into initializers' },
  { name: 'fuse-bn', description: 'fold BatchNormalization into a preceding Conv, Gemm or MatMul' },
  { name: 'fuse-matmul-add-bias-into-gemm', description: 'MatMul + Add of a bias → Gemm' },
  { name: 'fuse-consecutive-transposes', description: 'Transpose∘Transpose → one Transpose' },
  { name: 'fuse-consecutive-reshapes', description: 'Reshape chains → one Reshape' },
  { name: 'eliminate-deadend', description: 'remove nodes whose outputs reach no graph output' },
  { name: 'eliminate-unused-initializer', description: 'remove initializers nothing reads' },
];

export const ORT_LEVELS: readonly OrtOptimizationLevel[] = ['basic', 'extended', 'all'];

export interface OptimizeChoices {
  readonly passes: 'all' | 'none' | readonly string[];
  readonly ortLevel?: OrtOptimizationLevel;
  readonly output?: string;
}

/** `<model>.opt.onnx` next to the model, as `ptp optimize` writes (pipeline/shared/output-name.ts). */
export function defaultOptimizedOutput(model: string): string {
  return defaultOutputPath('optimize', model);
}

export function optimizeParams(model: string, c: OptimizeChoices, runtime: RuntimeOptions): OptimizeParams {
  return {
    model,
    output: c.output ?? defaultOptimizedOutput(model),
    passes: c.passes === 'all' || c.passes === 'none' ? c.passes : [...c.passes],
    ...(c.ortLevel ? { ortLevel: c.ortLevel } : {}),
    ...runtime,
  };
}

/** `{ passes?: 'all' | 'none' | string[], ortLevel?, output? }` → OptimizeChoices. */
export function parseOptimizeArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): OptimizeChoices {
  const passes = x.passes ?? 'all';
  if (passes !== 'all' && passes !== 'none' && (!Array.isArray(passes) || passes.some((p) => typeof p !== 'string'))) {
    throw new CommandArgumentsError(command, `"passes" must be "all", "none" or an array of pass names`);
  }
  const level = x.ortLevel;
  if (level !== undefined && !ORT_LEVELS.includes(level as OrtOptimizationLevel)) throw new CommandArgumentsError(command, `"ortLevel" must be one of ${ORT_LEVELS.join(', ')}`);
  const output = x.output;
  if (output !== undefined && (typeof output !== 'string' || !isAbsolute(output))) throw new CommandArgumentsError(command, `"output" must be an absolute path`);
  return {
    passes: passes as OptimizeChoices['passes'],
    ...(level !== undefined ? { ortLevel: level as OrtOptimizationLevel } : {}),
    ...(output !== undefined ? { output: output as string } : {}),
  };
}
