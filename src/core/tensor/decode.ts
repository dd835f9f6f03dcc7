/**
 * TensorProto data ↔ typed arrays. Decoding validates the declared shape against the data actually present
 * before allocating anything, so a hostile file cannot make us allocate from its dims alone.
 */
import type Long from 'long';
import { TensorDataError } from '../errors';
import { alignedHostCopy, littleEndianBytes, readUint16LE } from './byte-order';
import { DataType, bitsPerElement, dataTypeName } from './dtypes';
import { decodeTable, minifloatEncoder, minifloatFormatOf, numberToE8m0 } from './float-formats';
import { packBits, unpackSigned, unpackUnsigned, type PackedBits } from './packed';
import type { DecodedTensor, TensorFields, TensorValues } from './types';

export { tensorStats, type TensorStats } from './stats';

/** Largest element count we decode (2^31). */
const MAX_ELEMENTS = 2n ** 31n;
/** Element counts are computed exactly up to this bound, then reported as "more than". */
const COUNT_CAP = 2n ** 64n;
/** Dims shown in messages before eliding. */
const SHOWN_DIMS = 16;

type FieldName = 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data' | 'string_data';

type DataSource =
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'field'; readonly field: FieldName; readonly length: number }
  | { readonly kind: 'none' };

/** Values accepted by {@link encodeTensorValues}. */
export type EncodableValues = TensorValues | readonly number[] | readonly bigint[] | readonly string[];

// ---------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Decodes the values of one tensor from `rawData` (little-endian, sub-byte types packed low bits first) or
 * from the typed field ONNX assigns to its element type. Throws TensorDataError (naming the tensor and
 * `file`) for unknown types, invalid dims, more than 2^31 elements, or data that does not match the shape.
 */
export function decodeTensorFields(f: TensorFields, file?: string): DecodedTensor {
  const dt = f.dataType;
  if (bitsPerElement(dt) < 0) {
    throw new TensorDataError(`${label(f)} has unknown data type ${dataTypeName(dt)}`, file);
  }
  const count = elementCount(f, file);
  const source = selectSource(f);
  checkDataMatches(f, count, source, file);
  const size = Number(count);
  const values =
    source.kind === 'raw' ? decodeRaw(dt, source.bytes, size) : source.kind === 'field' ? decodeField(f, size, file) : emptyValues(dt);
  return { name: f.name, dataType: dt, dims: [...f.dims], size, values };
}

function label(f: TensorFields): string {
  return f.name ? `tensor ${JSON.stringify(f.name)}` : 'unnamed tensor';
}

function shapeText(dims: readonly number[]): string {
  const shown = dims.slice(0, SHOWN_DIMS).map(String).join(',');
  return `[${shown}${dims.length > SHOWN_DIMS ? `,… (${dims.length} dims)` : ''}]`;
}

function countText(count: bigint): string {
  return count > COUNT_CAP ? `more than ${COUNT_CAP}` : String(count);
}

/** Product of dims (1 for a scalar), exact up to COUNT_CAP; validates every dim first. */
function elementCount(f: TensorFields, file: string | undefined): bigint {
  f.dims.forEach((d, i) => {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new TensorDataError(
        `${label(f)} has invalid dimension ${String(d)} at index ${i} (shape ${shapeText(f.dims)}); dimensions must be non-negative integers`,
        file,
      );
    }
  });
  if (f.dims.includes(0)) return 0n;
  let count = 1n;
  for (const d of f.dims) {
    count *= BigInt(d);
    if (count > COUNT_CAP) return COUNT_CAP + 1n;
  }
  return count;
}

function typedFieldOf(dt: number): FieldName {
  switch (dt) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      return 'float_data';
    case DataType.INT64:
      return 'int64_data';
    case DataType.STRING:
      return 'string_data';
    case DataType.DOUBLE:
    case DataType.COMPLEX128:
      return 'double_data';
    case DataType.UINT32:
    case DataType.UINT64:
      return 'uint64_data';
    default:
      return 'int32_data';
  }
}

function fieldLength(f: TensorFields, field: FieldName): number {
  const arrays: Record<FieldName, { readonly length: number } | undefined> = {
    float_data: f.floatData,
    int32_data: f.int32Data,
    int64_data: f.int64Data,
    double_data: f.doubleData,
    uint64_data: f.uint64Data,
    string_data: f.stringData,
  };
  return arrays[field]?.length ?? 0;
}

/** raw_data when non-empty (protobufjs gives an empty buffer when absent), else the type's typed field. */
function selectSource(f: TensorFields): DataSource {
  if (f.rawData && f.rawData.length > 0) return { kind: 'raw', bytes: f.rawData };
  const field = typedFieldOf(f.dataType);
  const length = fieldLength(f, field);
  return length > 0 ? { kind: 'field', field, length } : { kind: 'none' };
}

/** Entries of the typed field that hold `count` elements (2 per complex element, packed sub-byte types). */
function fieldEntriesFor(dt: number, count: bigint): bigint {
  switch (dt) {
    case DataType.COMPLEX64:
    case DataType.COMPLEX128:
      return count * 2n;
    case DataType.INT4:
    case DataType.UINT4:
    case DataType.FLOAT4E2M1:
      return (count + 1n) / 2n;
    case DataType.INT2:
    case DataType.UINT2:
      return (count + 3n) / 4n;
    default:
      return count;
  }
}

function rawBytesFor(dt: number, count: bigint): bigint {
  return (count * BigInt(bitsPerElement(dt)) + 7n) / 8n;
}

/** Throws unless the data holds exactly the declared elements and their count is within MAX_ELEMENTS. */
function checkDataMatches(f: TensorFields, count: bigint, source: DataSource, file: string | undefined): void {
  const dt = f.dataType;
  const declares = `${label(f)} declares ${countText(count)} elements (shape ${shapeText(f.dims)})`;
  const typeName = dataTypeName(dt);
  if (source.kind === 'raw') {
    if (dt === DataType.STRING) {
      throw new TensorDataError(`${label(f)} is a STRING tensor with raw_data; strings are stored in string_data`, file);
    }
    const expected = rawBytesFor(dt, count);
    if (BigInt(source.bytes.length) !== expected) {
      throw new TensorDataError(
        `${declares} but its raw_data holds ${source.bytes.length} bytes (${typeName} needs ${countText(expected)})`,
        file,
      );
    }
  } else if (source.kind === 'field') {
    const expected = fieldEntriesFor(dt, count);
    if (BigInt(source.length) !== expected) {
      throw new TensorDataError(
        `${declares} but its ${source.field} holds ${source.length} values (${typeName} needs ${countText(expected)})`,
        file,
      );
    }
  } else if (count > 0n) {
    throw new TensorDataError(`${declares} but holds no data`, file);
  }
  if (count > MAX_ELEMENTS) {
    throw new TensorDataError(`${declares}, more than the ${MAX_ELEMENTS} elements supported`, file);
  }
}

function emptyValues(dt: number): TensorValues {
  if (dt === DataType.STRING) return [];
  return decodeRaw(dt, new Uint8Array(0), 0);
}

/** Decodes `n` elements from little-endian raw bytes whose length was already checked. */
function decodeRaw(dt: number, bytes: Uint8Array, n: number): TensorValues {
  switch (dt) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      return new Float32Array(alignedHostCopy(bytes, 4));
    case DataType.DOUBLE:
    case DataType.COMPLEX128:
      return new Float64Array(alignedHostCopy(bytes, 8));
    case DataType.INT8:
      return new Int8Array(alignedHostCopy(bytes, 1));
    case DataType.UINT8:
      return new Uint8Array(alignedHostCopy(bytes, 1));
    case DataType.BOOL:
      return toBool(bytes);
    case DataType.INT16:
      return new Int16Array(alignedHostCopy(bytes, 2));
    case DataType.UINT16:
      return new Uint16Array(alignedHostCopy(bytes, 2));
    case DataType.INT32:
      return new Int32Array(alignedHostCopy(bytes, 4));
    case DataType.UINT32:
      return new Uint32Array(alignedHostCopy(bytes, 4));
    case DataType.INT64:
      return new BigInt64Array(alignedHostCopy(bytes, 8));
    case DataType.UINT64:
      return new BigUint64Array(alignedHostCopy(bytes, 8));
    case DataType.FLOAT16:
      return lookup(decodeTable(dt), readUint16LE(bytes), 0xffff);
    case DataType.BFLOAT16:
      return fromBfloat16Bits(readUint16LE(bytes));
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
    case DataType.FLOAT8E8M0:
      return lookup(decodeTable(dt), bytes, 0xff);
    case DataType.FLOAT4E2M1:
      return lookup(decodeTable(dt), unpackUnsigned(bytes, n, 4), 0xf);
    case DataType.INT4:
      return unpackSigned(bytes, n, 4);
    case DataType.UINT4:
      return unpackUnsigned(bytes, n, 4);
    case DataType.INT2:
      return unpackSigned(bytes, n, 2);
    case DataType.UINT2:
      return unpackUnsigned(bytes, n, 2);
    default:
      throw new TensorDataError(`data type ${dataTypeName(dt)} has no raw_data form`);
  }
}

/** Decodes `n` elements from the typed field of `f` (its length was already checked). */
function decodeField(f: TensorFields, n: number, file: string | undefined): TensorValues {
  const dt = f.dataType;
  const int32 = f.int32Data ?? [];
  switch (dt) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      return new Float32Array(f.floatData ?? []);
    case DataType.DOUBLE:
    case DataType.COMPLEX128:
      return new Float64Array(f.doubleData ?? []);
    case DataType.INT32:
      return new Int32Array(int32);
    case DataType.INT16:
      return new Int16Array(int32);
    case DataType.INT8:
      return new Int8Array(int32);
    case DataType.UINT16:
      return new Uint16Array(int32);
    case DataType.UINT8:
      return new Uint8Array(int32);
    case DataType.BOOL:
      return toBool(int32);
    case DataType.FLOAT16:
      return lookup(decodeTable(dt), int32, 0xffff);
    case DataType.BFLOAT16:
      return fromBfloat16Bits(int32);
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
    case DataType.FLOAT8E8M0:
      return lookup(decodeTable(dt), int32, 0xff);
    case DataType.INT4:
    case DataType.UINT4:
    case DataType.FLOAT4E2M1:
    case DataType.INT2:
    case DataType.UINT2:
      // Packed like raw_data, one byte's worth of elements per int32 entry.
      return decodeRaw(dt, new Uint8Array(int32), n);
    case DataType.INT64:
      return toBigInts(new BigInt64Array(n), f.int64Data ?? [], true, f, file);
    case DataType.UINT64:
      return toBigInts(new BigUint64Array(n), f.uint64Data ?? [], false, f, file);
    case DataType.UINT32:
      return uint32FromUint64Field(f.uint64Data ?? [], n);
    case DataType.STRING:
      return decodeStrings(f.stringData ?? []);
    default:
      throw new TensorDataError(`${label(f)} has unsupported data type ${dataTypeName(dt)}`, file);
  }
}

function lookup(table: Float32Array, codes: ArrayLike<number>, mask: number): Float32Array {
  const n = codes.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = table[codes[i] & mask];
  return out;
}

/** bfloat16 is the top half of a float32: place the 16 bits there. */
function fromBfloat16Bits(codes: ArrayLike<number>): Float32Array {
  const n = codes.length;
  const out = new Float32Array(n);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) bits[i] = (codes[i] & 0xffff) << 16;
  return out;
}

function toBool(codes: ArrayLike<number>): Uint8Array {
  const n = codes.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = codes[i] !== 0 ? 1 : 0;
  return out;
}

/** A 64-bit entry (protobufjs Long, or number) as an exact BigInt, read from Long's low/high words. */
function int64EntryToBigInt(v: Long | number, signed: boolean, f: TensorFields, file: string | undefined): bigint {
  let raw: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TensorDataError(`${label(f)} has a non-integer 64-bit entry ${v}`, file);
    raw = BigInt(v);
  } else {
    raw = (BigInt(v.high | 0) << 32n) | BigInt(v.low >>> 0);
  }
  return signed ? BigInt.asIntN(64, raw) : BigInt.asUintN(64, raw);
}

function toBigInts<T extends BigInt64Array | BigUint64Array>(
  out: T,
  entries: readonly (Long | number)[],
  signed: boolean,
  f: TensorFields,
  file: string | undefined,
): T {
  for (let i = 0; i < out.length; i++) out[i] = int64EntryToBigInt(entries[i], signed, f, file);
  return out;
}

function uint32FromUint64Field(entries: readonly (Long | number)[], n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = entries[i];
    out[i] = typeof v === 'number' ? v >>> 0 : v.low >>> 0;
  }
  return out;
}

function decodeStrings(entries: readonly Uint8Array[]): string[] {
  const decoder = new TextDecoder('utf-8');
  return entries.map((bytes) => decoder.decode(bytes));
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/**
 * Encodes values as the little-endian raw_data of element type `dataType` (the inverse of decoding).
 * Floats narrower than float32 round to nearest even; float8/float4 saturate like ONNX Cast saturate=1;
 * integers wrap like a C cast; sub-byte types are packed. STRING and unknown types throw TensorDataError.
 */
export function encodeTensorValues(dataType: number, values: EncodableValues): Uint8Array {
  const name = dataTypeName(dataType);
  switch (dataType) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      return littleEndianBytes(new Float32Array(asNumbers(values, name)));
    case DataType.DOUBLE:
    case DataType.COMPLEX128:
      return littleEndianBytes(new Float64Array(asNumbers(values, name)));
    case DataType.INT8:
      return littleEndianBytes(new Int8Array(asNumbers(values, name)));
    case DataType.UINT8:
      return littleEndianBytes(new Uint8Array(asNumbers(values, name)));
    case DataType.INT16:
      return littleEndianBytes(new Int16Array(asNumbers(values, name)));
    case DataType.UINT16:
      return littleEndianBytes(new Uint16Array(asNumbers(values, name)));
    case DataType.INT32:
      return littleEndianBytes(new Int32Array(asNumbers(values, name)));
    case DataType.UINT32:
      return littleEndianBytes(new Uint32Array(asNumbers(values, name)));
    case DataType.BOOL:
      return toBool(asNumbers(values, name));
    case DataType.INT64:
      return littleEndianBytes(fillBigInts(new BigInt64Array(values.length), values, name));
    case DataType.UINT64:
      return littleEndianBytes(fillBigInts(new BigUint64Array(values.length), values, name));
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return littleEndianBytes(encodeEach(new Uint16Array(values.length), values, name, minifloatEncoderOf(dataType)));
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
      return encodeEach(new Uint8Array(values.length), values, name, minifloatEncoderOf(dataType));
    case DataType.FLOAT8E8M0:
      return encodeEach(new Uint8Array(values.length), values, name, numberToE8m0);
    case DataType.FLOAT4E2M1:
      return packBits(encodeEach(new Uint8Array(values.length), values, name, minifloatEncoderOf(dataType)), 4);
    case DataType.INT4:
    case DataType.UINT4:
      return packIntegers(values, name, 4);
    case DataType.INT2:
    case DataType.UINT2:
      return packIntegers(values, name, 2);
    case DataType.STRING:
      throw new TensorDataError('STRING tensors have no raw_data form; strings are stored in string_data');
    default:
      throw new TensorDataError(`cannot encode values of unknown data type ${name}`);
  }
}

function minifloatEncoderOf(dataType: number): (x: number) => number {
  const fmt = minifloatFormatOf(dataType);
  if (!fmt) throw new TensorDataError(`${dataTypeName(dataType)} is not a small float type`);
  return minifloatEncoder(fmt);
}

function notANumber(v: unknown, typeName: string): TensorDataError {
  return new TensorDataError(`cannot encode ${typeof v} value ${JSON.stringify(String(v))} as ${typeName}`);
}

/** The values as numbers (bigints converted to the nearest double); strings are rejected. */
function asNumbers(values: EncodableValues, typeName: string): ArrayLike<number> {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float64Array.from(values, Number);
  if (ArrayBuffer.isView(values)) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') out[i] = v;
    else if (typeof v === 'bigint') out[i] = Number(v);
    else throw notANumber(v, typeName);
  }
  return out;
}

/** Fills a 64-bit array (values wrap modulo 2^64); numbers are truncated and must be finite. */
function fillBigInts<T extends BigInt64Array | BigUint64Array>(out: T, values: EncodableValues, typeName: string): T {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'bigint') out[i] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[i] = BigInt(Math.trunc(v));
    else throw notANumber(v, typeName);
  }
  return out;
}

function encodeEach<T extends Uint8Array | Uint16Array>(
  out: T,
  values: EncodableValues,
  typeName: string,
  encode: (x: number) => number,
): T {
  const numbers = asNumbers(values, typeName);
  for (let i = 0; i < numbers.length; i++) out[i] = encode(numbers[i]);
  return out;
}

/** Packs integers into `bits`-wide two's-complement fields (out-of-range values wrap, NaN → 0). */
function packIntegers(values: EncodableValues, typeName: string, bits: PackedBits): Uint8Array {
  const numbers = asNumbers(values, typeName);
  const codes = new Int32Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) codes[i] = numbers[i] | 0;
  return packBits(codes, bits);
}
