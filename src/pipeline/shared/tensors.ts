/** Building TensorProtos for new initializers (always inline raw data, so the writer stores them as given). */
import { toLong } from '../../core/long';
import { DataType } from '../../core/tensor/dtypes';
import { encodeTensorValues } from '../../core/tensor/decode';
import type { DecodedTensor } from '../../core/tensor/types';
import type { TensorProto } from '../../core/onnx-types';
export type { TensorProto } from '../../core/onnx-types';


/** A self-contained TensorProto named `name` holding `t`'s values (raw_data; string_data for strings). */
export function tensorProtoOf(name: string, t: DecodedTensor): TensorProto {
  const dims = t.dims.map((d) => toLong(d));
  if (t.dataType === DataType.STRING) {
    const enc = new TextEncoder();
    return { name, dims, dataType: t.dataType, stringData: (t.values as string[]).map((s) => enc.encode(s)) };
  }
  return { name, dims, dataType: t.dataType, rawData: encodeTensorValues(t.dataType, t.values) };
}

/** A FLOAT or DOUBLE tensor from float64 values (rounded to float32 for FLOAT). */
export function floatTensor(name: string, dataType: number, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const typed = dataType === DataType.DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
  return tensorProtoOf(name, { name, dataType, dims, size: typed.length, values: typed });
}

/** A 1-D INT64 tensor (shapes, perms). */
export function int64Vector(name: string, values: readonly number[]): TensorProto {
  const typed = BigInt64Array.from(values.map((v) => BigInt(v)));
  return tensorProtoOf(name, { name, dataType: DataType.INT64, dims: [values.length], size: values.length, values: typed });
}

/** Whether the element type is one whose values the passes do arithmetic on (FLOAT, DOUBLE). */
export function isArithmeticFloat(dataType: number): boolean {
  return dataType === DataType.FLOAT || dataType === DataType.DOUBLE;
}

/** Values of an integer tensor as numbers (int64 within ±2^53), or undefined for other types. */
export function integerValues(t: DecodedTensor): number[] | undefined {
  const v = t.values;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array || v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array) {
    return Array.from(v as ArrayLike<number | bigint>, (x) => Number(x));
  }
  return undefined;
}
