/**
 * NumPy `.npy` (format 1.0) encoding of a decoded tensor, for "Save as .npy". Types NumPy has are written as
 * they are; float16 keeps its bits when given them, other sub-float32 formats (bfloat16, float8, float4, e8m0)
 * are written as the float32 values they decode to; int4/int2 as int8/uint8; strings as fixed-width UTF-32.
 */
import { TensorDataError } from './errors';
import { DataType, dataTypeName } from './tensor/dtypes';
import type { DecodedTensor } from './tensor/types';

function descr(t: DecodedTensor): { descr: string; bytes: Uint8Array } {
  const v = t.values;
  const raw = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (Array.isArray(v)) {
    const width = Math.max(1, ...v.map((s) => [...s].length));
    const out = new Uint32Array(v.length * width);
    v.forEach((s, i) => [...s].forEach((ch, j) => (out[i * width + j] = ch.codePointAt(0)!)));
    return { descr: `<U${width}`, bytes: raw(out) };
  }
  switch (t.dataType) {
    case DataType.BOOL:
      return { descr: '|b1', bytes: raw(v as Uint8Array) };
    case DataType.COMPLEX64:
      return { descr: '<c8', bytes: raw(v as Float32Array) };
    case DataType.COMPLEX128:
      return { descr: '<c16', bytes: raw(v as Float64Array) };
  }
  if (v instanceof Float32Array) return { descr: '<f4', bytes: raw(v) };
  if (v instanceof Float64Array) return { descr: '<f8', bytes: raw(v) };
  if (v instanceof Int8Array) return { descr: '|i1', bytes: raw(v) };
  if (v instanceof Uint8Array) return { descr: '|u1', bytes: raw(v) };
  if (v instanceof Int16Array) return { descr: '<i2', bytes: raw(v) };
  if (v instanceof Uint16Array) return { descr: '<u2', bytes: raw(v) };
  if (v instanceof Int32Array) return { descr: '<i4', bytes: raw(v) };
  if (v instanceof Uint32Array) return { descr: '<u4', bytes: raw(v) };
  if (v instanceof BigInt64Array) return { descr: '<i8', bytes: raw(v) };
  if (v instanceof BigUint64Array) return { descr: '<u8', bytes: raw(v) };
  throw new TensorDataError(`cannot write ${dataTypeName(t.dataType)} tensor '${t.name ?? ''}' as .npy`);
}

/**
 * The preamble of a `.npy` file (magic, version 1.0, header dict) for data of type `descr` and shape `dims`, C
 * order, padded to a multiple of 64 bytes and to at least `minBytes` (a streamed writer reserves room for the row
 * count it learns at the end and rewrites the preamble in place).
 */
export function npyPreamble(descr: string, dims: readonly number[], minBytes = 0): Uint8Array {
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // magic(6) + version(2) + header length(2) + header + '\n' must be a multiple of 64.
  const total = Math.max(10 + header.length + 1, minBytes);
  header += ' '.repeat((64 - (total % 64)) % 64 + Math.max(0, minBytes - (10 + header.length + 1))) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/** The bytes of a `.npy` file holding `t` (C order, little-endian). */
export function encodeNpy(t: DecodedTensor): Uint8Array {
  const { descr: d, bytes } = descr(t);
  const head = npyPreamble(d, t.dims);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head, 0);
  out.set(bytes, head.length);
  return out;
}
