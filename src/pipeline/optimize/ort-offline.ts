/** onnxruntime's offline graph optimization: a session created with `optimizedModelFilePath` writes the result. */
import { stat } from 'node:fs/promises';
import { normalizeDomain } from '../../core/graph-walk';
import type { onnx } from '../../core/proto/onnx';
import type { OrtOptimizationLevel } from '../../protocol/optimize';
import type { RuntimeOptions } from '../../protocol/worker';
import { RuntimeError } from '../runtime/errors';
import { createSession } from '../runtime/session';

export const ORT_LEVELS: readonly OrtOptimizationLevel[] = ['basic', 'extended', 'all'];

/**
 * Writes onnxruntime's optimization of `input` at `level` to `output` (CPU execution provider unless
 * `runtime` says otherwise). `extended`/`all` results may hold com.microsoft fused operators and, at `all`,
 * layout choices for this machine's CPU: they are for onnxruntime with the same execution provider only.
 */
export async function ortOptimizeFile(input: string, output: string, level: OrtOptimizationLevel, runtime: RuntimeOptions = {}): Promise<void> {
  const session = await createSession(input, { ...runtime, graphOptimizationLevel: level, optimizedModelFilePath: output });
  await session.release().catch(() => undefined);
  const written = await stat(output).then((s) => s.isFile() && s.size > 0, () => false);
  if (!written) throw new RuntimeError('ort-run', `onnxruntime did not write the optimized model to ${output}`);
}

/** `domain::op` of every main-graph node outside the standard domains (ai.onnx, ai.onnx.ml), e.g. com.microsoft fusions. */
export function nonStandardOps(model: onnx.ModelProto.$Properties): string[] {
  const ops = new Set<string>();
  for (const n of model.graph?.node ?? []) {
    const d = normalizeDomain(n.domain);
    if (d !== 'ai.onnx' && d !== 'ai.onnx.ml') ops.add(`${d}::${n.opType ?? ''}`);
  }
  return [...ops].sort();
}
