/**
 * Temporary copies of a model whose graph outputs also list intermediate tensors, so one onnxruntime run returns
 * them (calibration ranges, activation SQNR). Weights are streamed from the source file, never loaded; the copy is
 * written into a temp folder the caller removes.
 */
import { deriveModel, writeModel, type OnnxModel } from '../../core';
import { onnx } from '../../core/proto/onnx';
import { createSession, type OrtSession } from '../runtime';
import type { RuntimeOptions } from '../../protocol/worker';

/** A tensor to expose and its element type (FLOAT, FLOAT16 …). */
export interface ExposedTensor {
  readonly name: string;
  readonly elemType: number;
}

/** `proto` (default: the model's own) with `tensors` added to its graph outputs (those already outputs are kept once). */
export function withOutputs(proto: onnx.ModelProto, tensors: readonly ExposedTensor[]): onnx.ModelProto {
  const g = proto.graph ?? {};
  const have = new Set((g.output ?? []).map((o) => o.name ?? ''));
  const extra: onnx.ValueInfoProto.$Properties[] = [];
  for (const t of tensors) {
    if (have.has(t.name)) continue;
    have.add(t.name);
    extra.push({ name: t.name, type: { tensorType: { elemType: t.elemType } } });
  }
  return onnx.ModelProto.create({ ...proto, graph: { ...g, output: [...(g.output ?? []), ...extra] } });
}

/**
 * Writes `model` (or `proto` over the model's weights) with `tensors` exposed to `file` and opens an onnxruntime
 * session on it with graph optimizations off (as onnxruntime's calibrator does), so every tensor keeps its value.
 */
export async function exposedSession(
  model: OnnxModel,
  proto: onnx.ModelProto,
  tensors: readonly ExposedTensor[],
  file: string,
  runtime: RuntimeOptions,
): Promise<OrtSession> {
  await writeModel(deriveModel(model, withOutputs(proto, tensors)), file);
  return createSession(file, { ...runtime, graphOptimizationLevel: 'disabled' });
}
