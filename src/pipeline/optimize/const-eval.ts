/**
 * Evaluating a constant subgraph with onnxruntime: the nodes and the constants they read become a tiny
 * model with no inputs, run once in memory. Robust for any operator onnxruntime implements.
 */
import { toLong } from '../../core/long';
import { onnx } from '../../core/proto/onnx';
import type { DecodedTensor } from '../../core/tensor/types';
import type { RuntimeOptions } from '../../protocol/worker';
import { fromOrtTensor } from '../runtime/convert';
import { RuntimeError } from '../runtime/errors';
import { loadOrt, type OrtTensor } from '../runtime/ort';
import { ortMessage, ortSessionOptions } from '../runtime/session';
import type { Node } from '../shared/nodes';
import type { TensorProto } from '../shared/tensors';

export interface ConstantSubgraph {
  readonly nodes: readonly Node[];
  /** The constants the nodes read, with their data inline. */
  readonly initializers: readonly TensorProto[];
  /** Tensors to compute. */
  readonly outputs: readonly string[];
}

/** The model's frame the subgraph is evaluated in (opsets, model-local functions). */
export interface ModelFrame {
  readonly irVersion: number;
  readonly opsetImport: readonly onnx.OperatorSetIdProto.$Properties[];
  readonly functions?: readonly onnx.FunctionProto.$Properties[];
}

/**
 * Runs the subgraph in onnxruntime (optimizations off) and returns each output's value. Throws RuntimeError
 * ('ort-refused' / 'ort-run' / 'unsupported-kind') when onnxruntime cannot build, run or return it.
 */
export async function evaluateConstants(sub: ConstantSubgraph, frame: ModelFrame, runtime: RuntimeOptions = {}): Promise<Map<string, DecodedTensor>> {
  const bytes = onnx.ModelProto.encode({
    // Initializers need not be graph inputs from IR 4 on.
    irVersion: toLong(Math.max(4, frame.irVersion)),
    producerName: 'ptp-constant-folding',
    opsetImport: [...frame.opsetImport],
    functions: [...(frame.functions ?? [])],
    graph: { name: 'constants', node: [...sub.nodes], initializer: [...sub.initializers], input: [], output: sub.outputs.map((name) => ({ name })) },
  }).finish();
  const ort = loadOrt();
  let session;
  try {
    session = await ort.InferenceSession.create(bytes, ortSessionOptions({ ...runtime, graphOptimizationLevel: 'disabled' }));
  } catch (e) {
    throw new RuntimeError('ort-refused', `onnxruntime cannot build the constant subgraph: ${ortMessage(e)}`, ortMessage(e));
  }
  try {
    const nonTensor = session.outputMetadata.filter((m) => !m.isTensor).map((m) => m.name);
    if (nonTensor.length > 0) throw new RuntimeError('unsupported-kind', `constant values ${nonTensor.join(', ')} are not tensors`);
    let out;
    try {
      out = await session.run({}, [...sub.outputs]);
    } catch (e) {
      throw new RuntimeError('ort-run', `onnxruntime failed to evaluate the constant subgraph: ${ortMessage(e)}`, ortMessage(e));
    }
    const values = new Map<string, DecodedTensor>();
    for (const name of sub.outputs) values.set(name, fromOrtTensor(out[name] as OrtTensor, name));
    return values;
  } finally {
    await session.release().catch(() => undefined);
  }
}
