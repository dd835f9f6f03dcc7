/**
 * Reading float weights one at a time (each initializer is read from the model file when needed and dropped
 * after quantization, so memory holds one float weight at a time) and the small array helpers the rewrites share.
 */
import type { OnnxModel } from '../../core';
import { storedBytes } from '../../core/inspect';
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import type { Tensor } from './graph-editor';

/** The float32 values of an initializer, or a reason it cannot be used as a float weight. */
export async function readFloatWeight(model: OnnxModel, t: Tensor): Promise<Float32Array> {
  const d = await model.readTensor(t);
  if (!(d.values instanceof Float32Array) || d.dataType !== DataType.FLOAT) {
    throw new TypeError(`weight '${t.name ?? ''}' is ${dataTypeName(d.dataType)}, not FLOAT`);
  }
  return d.values;
}

/** Bytes the tensor's data takes in the source model. */
export function weightBytes(model: OnnxModel, t: Tensor): number {
  return storedBytes(model, t);
}

/** Bytes of a tensor created by a rewrite (raw data held in memory). */
export function newTensorBytes(t: Tensor): number {
  return t.rawData?.length ?? 0;
}

const TILE = 64;

/** Row-major int8 [rows, cols] → [cols, rows], in cache-friendly tiles (int8 only: one element type keeps the loop fast). */
export function transposeInt8(src: Int8Array, rows: number, cols: number): Int8Array {
  const out = new Int8Array(src.length);
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[base + c]!;
      }
    }
  }
  return out;
}
