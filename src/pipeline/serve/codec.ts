/**
 * V2 tensors in and out of the wire forms: JSON `data` (flat or nested, row-major) and the binary tensor data
 * extension (little-endian, row-major; BOOL one byte; BYTES as a 4-byte little-endian length then the bytes).
 * Every check names the tensor: datatype, shape, element count, values that do not fit the datatype.
 */
import { float16BitsToNumber, numberToFloat16Bits } from '../runtime/float16';
import { allocate, byteSize, elementCount, isV2Datatype, viewOf, type TensorData, type V2Datatype, type V2Tensor } from './datatypes';
import { badRequest } from './errors';

/** Largest tensor one request may carry, in elements (2^28). */
export const MAX_ELEMENTS = 2 ** 28;

export function checkShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw badRequest(`input '${name}': 'shape' must be an array of non-negative integers`);
  const out: number[] = [];
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw badRequest(`input '${name}': shape ${JSON.stringify(shape)} has a dim that is not a non-negative integer`);
    out.push(d);
  }
  if (elementCount(out) > MAX_ELEMENTS) throw badRequest(`input '${name}': shape ${JSON.stringify(shape)} has more than ${MAX_ELEMENTS} elements`);
  return out;
}

export function checkDatatype(name: string, datatype: unknown): V2Datatype {
  if (!isV2Datatype(datatype)) throw badRequest(`input '${name}': unknown datatype ${JSON.stringify(datatype)}`);
  return datatype;
}

/** Flattens nested arrays row-major into `out`; throws on a non-array element inside ragged nesting. */
function flatten(value: unknown, out: unknown[], name: string, depth = 0): void {
  if (!Array.isArray(value)) {
    out.push(value);
    return;
  }
  if (depth > 64) throw badRequest(`input '${name}': 'data' is nested more than 64 levels`);
  for (const v of value) flatten(v, out, name, depth + 1);
}

const INT_RANGE: Partial<Record<V2Datatype, readonly [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** JSON `data` → the typed array of `datatype`, checked against the shape. */
export function decodeJsonData(name: string, datatype: V2Datatype, shape: readonly number[], data: unknown): TensorData {
  const n = elementCount(shape);
  let flat: unknown[];
  if (Array.isArray(data)) {
    flat = [];
    flatten(data, flat, name);
  } else if (data === undefined) {
    throw badRequest(`input '${name}': no 'data' (and no binary_data_size parameter)`);
  } else {
    flat = [data];
  }
  if (flat.length !== n) throw badRequest(`input '${name}': 'data' has ${flat.length} element(s) but shape ${JSON.stringify(shape)} needs ${n}`);
  const bad = (i: number, what: string): never => {
    throw badRequest(`input '${name}': element ${i} (${JSON.stringify(flat[i]) ?? String(flat[i])}) is not ${what} for datatype ${datatype}`);
  };
  if (datatype === 'BYTES') {
    return flat.map((v, i) => (typeof v === 'string' ? v : bad(i, 'a string')));
  }
  const out = allocate(datatype, n);
  if (datatype === 'BOOL') {
    const o = out as Uint8Array;
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v === 'boolean') o[i] = v ? 1 : 0;
      else if (v === 0 || v === 1) o[i] = v;
      else bad(i, 'true/false');
    }
    return out;
  }
  if (datatype === 'FP16' || datatype === 'FP32' || datatype === 'FP64') {
    const o = out as Uint16Array | Float32Array | Float64Array;
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      // NaN and ±Infinity are not JSON numbers; accept them spelled as strings, as numpy's JSON writers do.
      const x = typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' || v === 'inf' ? Infinity : v === '-Infinity' || v === '-inf' ? -Infinity : bad(i, 'a number');
      o[i] = datatype === 'FP16' ? numberToFloat16Bits(x) : x;
    }
    return out;
  }
  const [lo, hi] = INT_RANGE[datatype]!;
  const big = datatype === 'INT64' || datatype === 'UINT64';
  for (let i = 0; i < n; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) bad(i, `an integer in [${lo}, ${hi}]`);
    if (big) (out as BigInt64Array)[i] = BigInt(v as number);
    else (out as Int32Array)[i] = v as number;
  }
  return out;
}

/** A tensor's values as JSON `data` (flat): numbers, booleans or strings. int64 beyond 2^53 lose precision (use binary). */
export function encodeJsonData(t: V2Tensor): unknown[] {
  const d = t.data;
  if (Array.isArray(d)) return d;
  if (t.datatype === 'BOOL') return Array.from(d as Uint8Array, (v) => v !== 0);
  if (t.datatype === 'FP16') return Array.from(d as Uint16Array, float16BitsToNumber);
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Array.from(d, Number);
  const out = Array.from(d as Float32Array);
  // JSON has no NaN/Infinity: write them as the strings decodeJsonData accepts.
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) (out as unknown[])[i] = Number.isNaN(out[i]) ? 'NaN' : out[i]! > 0 ? 'Infinity' : '-Infinity';
  return out;
}

/** Binary form of a tensor's values (little-endian; BYTES length-prefixed). */
export function encodeBinary(t: V2Tensor): Uint8Array {
  const d = t.data;
  if (Array.isArray(d)) {
    const parts = d.map((s) => Buffer.from(s, 'utf8'));
    const out = Buffer.allocUnsafe(parts.reduce((a, p) => a + 4 + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.writeUInt32LE(p.length, o);
      p.copy(out, o + 4);
      o += 4 + p.length;
    }
    return out;
  }
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Binary values of `n` elements of `datatype` → typed array (or strings for BYTES), checked for length. */
export function decodeBinary(name: string, datatype: V2Datatype, shape: readonly number[], bytes: Uint8Array): TensorData {
  const n = elementCount(shape);
  const size = byteSize(datatype);
  if (size === undefined) {
    const out: string[] = [];
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let o = 0;
    while (o < view.length) {
      if (o + 4 > view.length) throw badRequest(`input '${name}': BYTES data ends inside a length prefix at byte ${o}`);
      const len = view.readUInt32LE(o);
      if (o + 4 + len > view.length) throw badRequest(`input '${name}': BYTES element ${out.length} claims ${len} bytes at byte ${o}, past the end of its ${view.length} bytes`);
      out.push(view.toString('utf8', o + 4, o + 4 + len));
      o += 4 + len;
    }
    if (out.length !== n) throw badRequest(`input '${name}': binary BYTES data holds ${out.length} element(s) but shape ${JSON.stringify(shape)} needs ${n}`);
    return out;
  }
  if (bytes.byteLength !== n * size) throw badRequest(`input '${name}': binary data is ${bytes.byteLength} bytes but shape ${JSON.stringify(shape)} of ${datatype} needs ${n * size}`);
  const out = viewOf(datatype as Exclude<V2Datatype, 'BYTES'>, bytes, n);
  if (datatype === 'BOOL') for (let i = 0; i < n; i++) if ((out as Uint8Array)[i]! > 1) throw badRequest(`input '${name}': BOOL element ${i} is ${(out as Uint8Array)[i]}, not 0 or 1`);
  return out;
}

/** Values as float64 numbers (for logs and the predict client); BYTES stay strings. */
export function valuesOf(t: { readonly datatype: V2Datatype; readonly data: TensorData }): (number | string | boolean)[] {
  return encodeJsonData({ name: '', shape: [], ...t }) as (number | string | boolean)[];
}
