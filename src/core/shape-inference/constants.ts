/** Small constants: decoding inline tensors, and folding values through integer arithmetic. */
import { longToNumber } from '../long';
import { DataType } from '../tensor/dtypes';
import { decodeTensorFields } from '../tensor/decode';
import { tensorFieldsOf } from '../tensor/fields';
import { MAX_CONST_ELEMENTS, type ConstValue, type Dim } from './types';
import type { TensorProto } from '../onnx-types';


/** Element types whose values we keep (numbers; strings and complex are skipped). */
export function isNumericType(t: number): boolean {
  return t !== DataType.STRING && t !== DataType.COMPLEX64 && t !== DataType.COMPLEX128 && t !== DataType.UNDEFINED;
}

export function isIntegerType(t: number): boolean {
  switch (t) {
    case DataType.INT8:
    case DataType.INT16:
    case DataType.INT32:
    case DataType.INT64:
    case DataType.UINT8:
    case DataType.UINT16:
    case DataType.UINT32:
    case DataType.UINT64:
    case DataType.BOOL:
    case DataType.INT4:
    case DataType.UINT4:
    case DataType.INT2:
    case DataType.UINT2:
      return true;
    default:
      return false;
  }
}

/** Dims of a tensor proto as numbers. */
export function tensorDims(t: TensorProto): number[] {
  return (t.dims ?? []).map((d) => longToNumber(d));
}

function hasInlineData(t: TensorProto): boolean {
  return (
    (t.rawData?.length ?? 0) > 0 ||
    (t.floatData?.length ?? 0) > 0 ||
    (t.int32Data?.length ?? 0) > 0 ||
    (t.int64Data?.length ?? 0) > 0 ||
    (t.doubleData?.length ?? 0) > 0 ||
    (t.uint64Data?.length ?? 0) > 0
  );
}

/**
 * The value of a small numeric tensor whose data the proto holds (Constant attributes, initializers of
 * models built in memory); undefined when large, external, non-numeric or without inline data.
 */
export function inlineConst(t: TensorProto | null | undefined): ConstValue | undefined {
  if (!t) return undefined;
  const dt = t.dataType ?? 0;
  if (!isNumericType(dt)) return undefined;
  const dims = tensorDims(t);
  let n = 1;
  for (const d of dims) n *= d;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_CONST_ELEMENTS) return undefined;
  if (n === 0) return { dims, values: [] };
  if (t.dataLocation === 1 || !hasInlineData(t)) return undefined;
  try {
    const dec = decodeTensorFields(tensorFieldsOf(t));
    return { dims, values: valuesToNumbers(dec.values) };
  } catch {
    return undefined;
  }
}

/** Typed-array values as plain numbers (64-bit integers rounded to the nearest double). */
export function valuesToNumbers(v: ArrayLike<number> | BigInt64Array | BigUint64Array | string[]): number[] {
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Number(v[i]);
  return out;
}

export function constSize(v: ConstValue): number {
  return v.values.length;
}

/** A scalar's (or single element's) value. */
export function scalarOf(v: ConstValue | undefined): Dim | undefined {
  if (!v || v.values.length !== 1) return undefined;
  return v.values[0];
}

/** Values as numbers when all are known numbers. */
export function numbersOf(v: ConstValue | undefined): number[] | undefined {
  if (!v) return undefined;
  const out: number[] = [];
  for (const x of v.values) {
    if (typeof x !== 'number') return undefined;
    out.push(x);
  }
  return out;
}

/** Row-major strides. */
function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i]!;
  }
  return s;
}

/** Broadcast element-wise fold of constants; undefined when shapes are incompatible or too large. */
export function foldElementwise(inputs: readonly ConstValue[], fn: (xs: Dim[]) => Dim): ConstValue | undefined {
  let rank = 0;
  for (const v of inputs) rank = Math.max(rank, v.dims.length);
  const dims: number[] = new Array<number>(rank).fill(1);
  for (const v of inputs) {
    const off = rank - v.dims.length;
    for (let i = 0; i < v.dims.length; i++) {
      const d = v.dims[i]!;
      if (dims[off + i] === 1) dims[off + i] = d;
      else if (d !== 1 && d !== dims[off + i]) return undefined;
    }
  }
  let n = 1;
  for (const d of dims) n *= d;
  if (n > MAX_CONST_ELEMENTS) return undefined;
  const outStrides = strides(dims);
  const inStrides = inputs.map((v) => {
    const s = strides(v.dims);
    const off = rank - v.dims.length;
    const full = new Array<number>(rank).fill(0);
    for (let i = 0; i < v.dims.length; i++) full[off + i] = v.dims[i] === 1 ? 0 : s[i]!;
    return full;
  });
  const values: Dim[] = new Array<Dim>(n);
  const xs: Dim[] = new Array<Dim>(inputs.length);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < inputs.length; j++) {
      let rem = k;
      let idx = 0;
      const st = inStrides[j]!;
      for (let a = 0; a < rank; a++) {
        const q = Math.floor(rem / outStrides[a]!);
        rem -= q * outStrides[a]!;
        idx += q * st[a]!;
      }
      xs[j] = inputs[j]!.values[idx] ?? null;
    }
    values[k] = fn(xs);
  }
  return { dims, values };
}

/** Rounds a folded number the way a cast to `elemType` would. */
export function castNumber(x: number, elemType: number): number {
  if (elemType === DataType.BOOL) return x !== 0 ? 1 : 0;
  if (isIntegerType(elemType)) return Math.trunc(x);
  if (elemType === DataType.FLOAT) return Math.fround(x);
  return x;
}
