/**
 * From trained values to the student file's initializers: MLP standardizations folded into the first / last Gemm,
 * every trained initializer replaced by a float32 tensor with the new values (the others kept as they were).
 */
import { longToNumber } from '../../core/long';
import { onnx } from '../../core/proto/onnx';
import { DataType } from '../../core/tensor/dtypes';
import { floatTensor } from '../shared/tensors';
import type { Standardization, StudentGraph } from './student';

/** Mean and standard deviation of each of `width` columns over rows `index` (a deviation of 0 becomes 1). */
export function columnStats(values: Float32Array, width: number, index: ArrayLike<number>): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < index.length; r++) {
    const o = index[r]! * width;
    for (let c = 0; c < width; c++) mean[c]! += values[o + c]!;
  }
  for (let c = 0; c < width; c++) mean[c]! /= Math.max(1, index.length);
  for (let r = 0; r < index.length; r++) {
    const o = index[r]! * width;
    for (let c = 0; c < width; c++) {
      const d = values[o + c]! - mean[c]!;
      sq[c]! += d * d;
    }
  }
  const std = new Float32Array(width);
  for (let c = 0; c < width; c++) {
    const s = Math.sqrt(sq[c]! / Math.max(1, index.length));
    std[c] = s > 1e-8 ? s : 1;
  }
  return { mean: Float32Array.from(mean), std };
}

/** (v − mean) / std per column, into a new array. */
export function standardize(values: Float32Array, width: number, s: { mean: Float32Array; std: Float32Array }): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % width;
    out[i] = (values[i]! - s.mean[c]!) / s.std[c]!;
  }
  return out;
}

/** The student's proto with the trained values (and the folded standardizations). */
export function exportStudent(student: StudentGraph, weights: ReadonlyMap<string, Float32Array>, inputNorm?: Standardization, outputNorm?: Standardization): onnx.ModelProto {
  const w = new Map(weights);
  const dimsOf = new Map((student.proto.graph?.initializer ?? []).map((t) => [t.name ?? '', (t.dims ?? []).map((d) => longToNumber(d))]));
  if (inputNorm) foldInput(w, dimsOf, inputNorm);
  if (outputNorm) foldOutput(w, dimsOf, outputNorm);
  const g = student.proto.graph!;
  const initializer = (g.initializer ?? []).map((t) => {
    const v = w.get(t.name ?? '');
    return v ? floatTensor(t.name ?? '', DataType.FLOAT, dimsOf.get(t.name ?? '')!, v) : t;
  });
  return onnx.ModelProto.create({ ...student.proto, graph: onnx.GraphProto.create({ ...g, initializer }) });
}

/** y = ((x − m) / s) W + b  ⇒  W' = W / s (per input row), b' = b − (m / s) W. W is [in, out]. */
function foldInput(w: Map<string, Float32Array>, dims: Map<string, number[]>, n: Standardization): void {
  const W = w.get(n.weight)!;
  const b = w.get(n.bias)!;
  const [rows, cols] = dims.get(n.weight)! as [number, number];
  const W2 = new Float32Array(W.length);
  const b2 = Float64Array.from(b);
  for (let i = 0; i < rows; i++) {
    const inv = 1 / n.std[i]!;
    for (let j = 0; j < cols; j++) {
      W2[i * cols + j] = W[i * cols + j]! * inv;
      b2[j]! -= n.mean[i]! * inv * W[i * cols + j]!;
    }
  }
  w.set(n.weight, W2);
  w.set(n.bias, Float32Array.from(b2));
}

/** y = (h W + b) · s + m  ⇒  W' = W · s (per output column), b' = b · s + m. */
function foldOutput(w: Map<string, Float32Array>, dims: Map<string, number[]>, n: Standardization): void {
  const W = w.get(n.weight)!;
  const b = w.get(n.bias)!;
  const [rows, cols] = dims.get(n.weight)! as [number, number];
  const W2 = new Float32Array(W.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) W2[i * cols + j] = W[i * cols + j]! * n.std[j]!;
  w.set(n.weight, W2);
  w.set(n.bias, Float32Array.from(b, (v, j) => v * n.std[j]! + n.mean[j]!));
}
