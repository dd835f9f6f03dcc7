import * as assert from 'node:assert/strict';
import Long from 'long';
import { TensorDataError } from '../../../src/core/errors';
import { decodeTensorFields, encodeTensorValues, tensorStats } from '../../../src/core/tensor/decode';
import { DataType } from '../../../src/core/tensor/dtypes';
import type { TensorFields, TensorValues } from '../../../src/core/tensor/types';

// ---------------------------------------------------------------------------------------------------------
// Helpers: expected bytes are built with DataView / Buffer, independently of the code under test.

function raw(dataType: number, dims: number[], bytes: ArrayLike<number>, name = 't'): TensorFields {
  return { name, dataType, dims, rawData: Uint8Array.from(bytes) };
}

function leBytes(size: 2 | 4 | 8, values: readonly number[], write: (v: DataView, at: number, x: number) => void): number[] {
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((x, i) => write(view, i * size, x));
  return [...new Uint8Array(view.buffer)];
}
const f32le = (...v: number[]): number[] => leBytes(4, v, (d, at, x) => d.setFloat32(at, x, true));
const f64le = (...v: number[]): number[] => leBytes(8, v, (d, at, x) => d.setFloat64(at, x, true));
const u16le = (...v: number[]): number[] => leBytes(2, v, (d, at, x) => d.setUint16(at, x, true));

function decode(f: TensorFields): TensorValues {
  return decodeTensorFields(f).values;
}

/** Decodes one-element-per-code tensors of a float type and returns plain numbers. */
function decodeCodes(dataType: number, codes: number[]): number[] {
  const bytes = dataType === DataType.FLOAT16 || dataType === DataType.BFLOAT16 ? u16le(...codes) : codes;
  return [...(decode(raw(dataType, [codes.length], bytes)) as Float32Array)];
}

function assertThrowsTensorError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TensorDataError, `expected TensorDataError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

const encodeBytes = (dt: number, values: readonly number[] | readonly bigint[]): number[] => [...encodeTensorValues(dt, values)];

// ---------------------------------------------------------------------------------------------------------

describe('decodeTensorFields: raw_data, standard types', () => {
  it('decodes FLOAT and DOUBLE', () => {
    assert.deepEqual(decode(raw(DataType.FLOAT, [3], f32le(1.5, -2, 3.25))), new Float32Array([1.5, -2, 3.25]));
    assert.deepEqual(decode(raw(DataType.DOUBLE, [2], f64le(Math.PI, -1e300))), new Float64Array([Math.PI, -1e300]));
  });

  it('decodes 8/16/32-bit integers little-endian', () => {
    assert.deepEqual(decode(raw(DataType.INT8, [3], [0xff, 0x7f, 0x80])), new Int8Array([-1, 127, -128]));
    assert.deepEqual(decode(raw(DataType.UINT8, [2], [0xff, 0x01])), new Uint8Array([255, 1]));
    assert.deepEqual(decode(raw(DataType.INT16, [2], [0xfe, 0xff, 0x00, 0x80])), new Int16Array([-2, -32768]));
    assert.deepEqual(decode(raw(DataType.UINT16, [1], [0x34, 0x12])), new Uint16Array([0x1234]));
    assert.deepEqual(decode(raw(DataType.INT32, [1], [0xfe, 0xff, 0xff, 0xff])), new Int32Array([-2]));
    assert.deepEqual(decode(raw(DataType.UINT32, [1], [0xff, 0xff, 0xff, 0xff])), new Uint32Array([4294967295]));
  });

  it('decodes INT64 and UINT64 exactly', () => {
    // 2^53 + 1 = 0x0020000000000001, and -1.
    const int64 = [0x01, 0, 0, 0, 0, 0, 0x20, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    assert.deepEqual(decode(raw(DataType.INT64, [2], int64)), new BigInt64Array([9007199254740993n, -1n]));
    const uint64 = new Array<number>(8).fill(0xff);
    assert.deepEqual(decode(raw(DataType.UINT64, [1], uint64)), new BigUint64Array([18446744073709551615n]));
  });

  it('decodes BOOL as 0/1', () => {
    assert.deepEqual(decode(raw(DataType.BOOL, [3], [0, 1, 2])), new Uint8Array([0, 1, 1]));
  });

  it('decodes COMPLEX64 and COMPLEX128 interleaved, size counting complex elements', () => {
    const c64 = decodeTensorFields(raw(DataType.COMPLEX64, [2], f32le(1, -2, 3.5, 4)));
    assert.equal(c64.size, 2);
    assert.deepEqual(c64.values, new Float32Array([1, -2, 3.5, 4]));
    assert.deepEqual(decode(raw(DataType.COMPLEX128, [1], f64le(0.1, -0.2))), new Float64Array([0.1, -0.2]));
  });

  it('treats dims [] as a scalar with one element and keeps name and dims', () => {
    const d = decodeTensorFields(raw(DataType.FLOAT, [], f32le(7), 'scalar'));
    assert.equal(d.size, 1);
    assert.deepEqual(d.dims, []);
    assert.equal(d.name, 'scalar');
    assert.equal(d.dataType, DataType.FLOAT);
    assert.deepEqual(d.values, new Float32Array([7]));
  });

  it('returns empty values for a zero-sized tensor without data', () => {
    const d = decodeTensorFields({ name: 'e', dataType: DataType.INT64, dims: [3, 0], rawData: new Uint8Array(0) });
    assert.equal(d.size, 0);
    assert.deepEqual(d.values, new BigInt64Array(0));
    assert.deepEqual(decode({ dataType: DataType.STRING, dims: [0] }), []);
  });
});

describe('decodeTensorFields: 16-bit floats', () => {
  it('FLOAT16 known bit patterns, subnormals, infinities and NaN', () => {
    const v = decodeCodes(DataType.FLOAT16, [0x3c00, 0xc000, 0x7c00, 0xfc00, 0x0001, 0x0400, 0x7bff, 0x3555, 0x8000, 0x7e00, 0x7c01]);
    assert.deepEqual(v.slice(0, 8), [1, -2, Infinity, -Infinity, 2 ** -24, 2 ** -14, 65504, 0.333251953125]);
    assert.ok(Object.is(v[8], -0));
    assert.ok(Number.isNaN(v[9]) && Number.isNaN(v[10]));
  });

  it('BFLOAT16 known bit patterns', () => {
    const v = decodeCodes(DataType.BFLOAT16, [0x3f80, 0xc049, 0x7f80, 0x0001, 0x7f7f, 0x7fc0]);
    assert.deepEqual(v.slice(0, 5), [1, -3.140625, Infinity, 2 ** -133, 255 * 2 ** 120]);
    assert.ok(Number.isNaN(v[5]));
  });
});

describe('decodeTensorFields: 8-bit and 4-bit floats', () => {
  it('FLOAT8E4M3FN: max 448, S.1111.111 is NaN, no infinity, subnormals', () => {
    const v = decodeCodes(DataType.FLOAT8E4M3FN, [0x7e, 0xfe, 0x38, 0x01, 0x08, 0x07, 0x78, 0x80, 0x7f, 0xff]);
    assert.deepEqual(v.slice(0, 7), [448, -448, 1, 2 ** -9, 2 ** -6, 7 * 2 ** -9, 256]);
    assert.ok(Object.is(v[7], -0));
    assert.ok(Number.isNaN(v[8]) && Number.isNaN(v[9]));
  });

  it('FLOAT8E4M3FNUZ: bias 8, max 240, 0x80 is NaN', () => {
    const v = decodeCodes(DataType.FLOAT8E4M3FNUZ, [0x7f, 0xff, 0x40, 0x01, 0x00, 0x80]);
    assert.deepEqual(v.slice(0, 5), [240, -240, 1, 2 ** -10, 0]);
    assert.ok(Number.isNaN(v[5]));
  });

  it('FLOAT8E5M2: IEEE-like, max 57344, infinities and NaNs', () => {
    const v = decodeCodes(DataType.FLOAT8E5M2, [0x7b, 0x3c, 0x01, 0x04, 0x7c, 0xfc, 0x7d, 0x7e, 0xff]);
    assert.deepEqual(v.slice(0, 6), [57344, 1, 2 ** -16, 2 ** -14, Infinity, -Infinity]);
    assert.ok(v.slice(6).every(Number.isNaN));
  });

  it('FLOAT8E5M2FNUZ: bias 16, max 57344, 0x7C is finite, 0x80 is NaN', () => {
    const v = decodeCodes(DataType.FLOAT8E5M2FNUZ, [0x7f, 0x40, 0x01, 0x7c, 0xfc, 0x80]);
    assert.deepEqual(v.slice(0, 5), [57344, 1, 2 ** -17, 32768, -32768]);
    assert.ok(Number.isNaN(v[5]));
  });

  it('FLOAT4E2M1: the full 16-value table, two per byte, low nibble first', () => {
    const v = decode(raw(DataType.FLOAT4E2M1, [16], [0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe])) as Float32Array;
    assert.deepEqual([...v], [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6]);
    assert.ok(Object.is(v[8], -0));
  });

  it('FLOAT8E8M0: 2^(e-127), 0xFF is NaN', () => {
    const v = decodeCodes(DataType.FLOAT8E8M0, [0x7f, 0x80, 0x7c, 0x00, 0xfe, 0xff]);
    assert.deepEqual(v.slice(0, 5), [1, 2, 0.125, 2 ** -127, 2 ** 127]);
    assert.ok(Number.isNaN(v[5]));
  });
});

describe('decodeTensorFields: packed integers', () => {
  it('INT4 negative values and an odd count (padding nibble ignored)', () => {
    assert.deepEqual(decode(raw(DataType.INT4, [3], [0x8f, 0xa7])), new Int8Array([-1, -8, 7]));
    assert.deepEqual(decode(raw(DataType.INT4, [1, 4], [0x10, 0x9a])), new Int8Array([0, 1, -6, -7]));
  });

  it('UINT4', () => {
    assert.deepEqual(decode(raw(DataType.UINT4, [3], [0x8f, 0x07])), new Uint8Array([15, 8, 7]));
  });

  it('INT2 and UINT2: four per byte, lowest bits first', () => {
    assert.deepEqual(decode(raw(DataType.INT2, [5], [0b11100100, 0b01])), new Int8Array([0, 1, -2, -1, 1]));
    assert.deepEqual(decode(raw(DataType.UINT2, [4], [0b11100100])), new Uint8Array([0, 1, 2, 3]));
  });
});

describe('decodeTensorFields: typed fields', () => {
  const typed = (dataType: number, dims: number[], fields: Partial<TensorFields>): TensorValues =>
    decode({ name: 'f', dataType, dims, ...fields });

  it('float_data for FLOAT and COMPLEX64', () => {
    assert.deepEqual(typed(DataType.FLOAT, [2], { floatData: [1.5, -2] }), new Float32Array([1.5, -2]));
    assert.deepEqual(typed(DataType.COMPLEX64, [2], { floatData: [1, 2, 3, 4] }), new Float32Array([1, 2, 3, 4]));
  });

  it('double_data for DOUBLE and COMPLEX128', () => {
    assert.deepEqual(typed(DataType.DOUBLE, [1], { doubleData: [Math.E] }), new Float64Array([Math.E]));
    assert.deepEqual(typed(DataType.COMPLEX128, [1], { doubleData: [1, -1] }), new Float64Array([1, -1]));
  });

  it('int32_data for the small integer types and BOOL', () => {
    assert.deepEqual(typed(DataType.INT32, [2], { int32Data: [-5, 7] }), new Int32Array([-5, 7]));
    assert.deepEqual(typed(DataType.INT16, [1], { int32Data: [-300] }), new Int16Array([-300]));
    assert.deepEqual(typed(DataType.INT8, [2], { int32Data: [-128, 127] }), new Int8Array([-128, 127]));
    assert.deepEqual(typed(DataType.UINT16, [1], { int32Data: [65535] }), new Uint16Array([65535]));
    assert.deepEqual(typed(DataType.UINT8, [1], { int32Data: [255] }), new Uint8Array([255]));
    assert.deepEqual(typed(DataType.BOOL, [3], { int32Data: [0, 1, 5] }), new Uint8Array([0, 1, 1]));
  });

  it('int32_data holding 16-bit and 8-bit float patterns', () => {
    assert.deepEqual(typed(DataType.FLOAT16, [2], { int32Data: [0x3c00, 0xc000] }), new Float32Array([1, -2]));
    assert.deepEqual(typed(DataType.BFLOAT16, [1], { int32Data: [0x3f80] }), new Float32Array([1]));
    assert.deepEqual(typed(DataType.FLOAT8E4M3FN, [1], { int32Data: [0x7e] }), new Float32Array([448]));
    assert.deepEqual(typed(DataType.FLOAT8E4M3FNUZ, [1], { int32Data: [0x7f] }), new Float32Array([240]));
    assert.deepEqual(typed(DataType.FLOAT8E5M2, [1], { int32Data: [0x7b] }), new Float32Array([57344]));
    assert.deepEqual(typed(DataType.FLOAT8E5M2FNUZ, [1], { int32Data: [0x7f] }), new Float32Array([57344]));
    assert.deepEqual(typed(DataType.FLOAT8E8M0, [1], { int32Data: [0x80] }), new Float32Array([2]));
  });

  it('int32_data packing 4-bit and 2-bit elements like raw_data', () => {
    assert.deepEqual(typed(DataType.INT4, [3], { int32Data: [0x8f, 0x07] }), new Int8Array([-1, -8, 7]));
    assert.deepEqual(typed(DataType.UINT4, [2], { int32Data: [0x8f] }), new Uint8Array([15, 8]));
    assert.deepEqual(typed(DataType.FLOAT4E2M1, [3], { int32Data: [0x21, 0x0f] }), new Float32Array([0.5, 1, -6]));
    assert.deepEqual(typed(DataType.INT2, [4], { int32Data: [0b11100100] }), new Int8Array([0, 1, -2, -1]));
    assert.deepEqual(typed(DataType.UINT2, [3], { int32Data: [0b100100] }), new Uint8Array([0, 1, 2]));
  });

  it('int64_data: Long beyond 2^53 and the extremes, converted exactly', () => {
    const int64Data = [
      Long.fromString('9007199254740993'),
      Long.fromString('-9223372036854775808'),
      Long.fromString('9223372036854775807'),
      42,
      -7,
    ];
    assert.deepEqual(
      typed(DataType.INT64, [5], { int64Data }),
      new BigInt64Array([9007199254740993n, -9223372036854775808n, 9223372036854775807n, 42n, -7n]),
    );
  });

  it('uint64_data for UINT64 (max value, signed Long bits) and UINT32', () => {
    const uint64Data = [Long.fromString('18446744073709551615', true), Long.fromBits(-1, -1, false), Long.fromBits(1, 1, true), 5];
    assert.deepEqual(
      typed(DataType.UINT64, [4], { uint64Data }),
      new BigUint64Array([18446744073709551615n, 18446744073709551615n, 4294967297n, 5n]),
    );
    assert.deepEqual(
      typed(DataType.UINT32, [2], { uint64Data: [Long.fromNumber(4294967295, true), 7] }),
      new Uint32Array([4294967295, 7]),
    );
  });

  it('string_data decoded as UTF-8', () => {
    const words = ['héllo', '日本語', '', '🙂'];
    const stringData = words.map((w) => new Uint8Array(Buffer.from(w, 'utf8')));
    assert.deepEqual(typed(DataType.STRING, [2, 2], { stringData }), words);
  });

  it('prefers non-empty raw_data over typed fields, and typed fields over an empty raw_data', () => {
    assert.deepEqual(typed(DataType.FLOAT, [1], { rawData: Uint8Array.from(f32le(3)), floatData: [9] }), new Float32Array([3]));
    assert.deepEqual(typed(DataType.FLOAT, [1], { rawData: new Uint8Array(0), floatData: [9] }), new Float32Array([9]));
  });
});

describe('decodeTensorFields: hostile input', () => {
  it('rejects 2^40 declared elements backed by 16 bytes without allocating', () => {
    const f = raw(DataType.FLOAT, [1048576, 1048576], new Uint8Array(16), 'huge');
    assertThrowsTensorError(
      () => decodeTensorFields(f),
      /tensor "huge" declares 1099511627776 elements \(shape \[1048576,1048576\]\) but its raw_data holds 16 bytes/,
    );
  });

  it('names the file in the message', () => {
    assert.throws(
      () => decodeTensorFields(raw(DataType.FLOAT, [2], [0, 0, 0]), '/m/model.onnx'),
      (e: unknown) => e instanceof TensorDataError && e.file === '/m/model.onnx' && e.message.startsWith('/m/model.onnx: tensor "t" declares 2'),
    );
  });

  it('rejects negative, fractional and unsafe dims', () => {
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.FLOAT, [-1, 4], [])), /invalid dimension -1 at index 0/);
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.FLOAT, [2.5], [])), /invalid dimension 2\.5/);
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.FLOAT, [2 ** 60], [])), /invalid dimension/);
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.FLOAT, [NaN], [])), /invalid dimension NaN/);
  });

  it('rejects element counts above 2^31 even when every dim is valid', () => {
    assertThrowsTensorError(() => decodeTensorFields({ name: 'big', dataType: DataType.UINT8, dims: [2 ** 31 + 1] }), /declares 2147483649 elements/);
    const manyDims = new Array<number>(100_000).fill(2);
    assertThrowsTensorError(
      () => decodeTensorFields(raw(DataType.UINT8, manyDims, [1, 2, 3])),
      /declares more than 18446744073709551616 elements \(shape \[2,2,.*\(100000 dims\)\]\) but its raw_data holds 3 bytes/,
    );
  });

  it('rejects raw_data of the wrong length, including packed types', () => {
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.FLOAT, [3], new Uint8Array(8))), /raw_data holds 8 bytes \(FLOAT needs 12\)/);
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.INT4, [3], [0x11])), /raw_data holds 1 bytes \(INT4 needs 2\)/);
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.INT2, [4], [0, 0])), /raw_data holds 2 bytes \(INT2 needs 1\)/);
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.FLOAT, [0], [1, 2, 3, 4])), /declares 0 elements/);
  });

  it('rejects typed fields of the wrong length', () => {
    assertThrowsTensorError(
      () => decodeTensorFields({ name: 'w', dataType: DataType.FLOAT, dims: [2, 3], floatData: [1] }),
      /tensor "w" declares 6 elements \(shape \[2,3\]\) but its float_data holds 1 values/,
    );
    assertThrowsTensorError(
      () => decodeTensorFields({ dataType: DataType.COMPLEX64, dims: [2], floatData: [1, 2] }),
      /float_data holds 2 values \(COMPLEX64 needs 4\)/,
    );
  });

  it('rejects a tensor with elements but no data', () => {
    assertThrowsTensorError(
      () => decodeTensorFields({ name: 'w', dataType: DataType.FLOAT, dims: [2], rawData: new Uint8Array(0), floatData: [] }),
      /tensor "w" declares 2 elements \(shape \[2\]\) but holds no data/,
    );
  });

  it('rejects UNDEFINED and unknown data types', () => {
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.UNDEFINED, [1], [0])), /unknown data type UNDEFINED/);
    assertThrowsTensorError(() => decodeTensorFields(raw(99, [1], [0])), /unknown data type UNKNOWN\(99\)/);
  });

  it('rejects STRING raw_data and non-integer 64-bit entries', () => {
    assertThrowsTensorError(() => decodeTensorFields(raw(DataType.STRING, [1], [0x61])), /STRING tensor with raw_data/);
    assertThrowsTensorError(
      () => decodeTensorFields({ dataType: DataType.INT64, dims: [1], int64Data: [1.5] }),
      /non-integer 64-bit entry 1\.5/,
    );
  });

  it('decodes raw_data at an unaligned byteOffset (Uint8Array and Buffer)', () => {
    const backing = new Uint8Array(1 + 12 + 8);
    backing.set(f32le(1, -2, 3), 1);
    backing.set(u16le(0x3c00, 0xc000), 13);
    assert.deepEqual(decode({ dataType: DataType.FLOAT, dims: [3], rawData: backing.subarray(1, 13) }), new Float32Array([1, -2, 3]));
    assert.deepEqual(decode({ dataType: DataType.FLOAT16, dims: [2], rawData: backing.subarray(13, 17) }), new Float32Array([1, -2]));
    assert.deepEqual(decode({ dataType: DataType.BFLOAT16, dims: [1], rawData: backing.subarray(17, 19) }), new Float32Array([0]));
    const buffer = Buffer.concat([Buffer.from([0xaa]), Buffer.from(f64le(Math.PI, 0.5))]).subarray(1);
    assert.deepEqual(decode({ dataType: DataType.DOUBLE, dims: [2], rawData: buffer }), new Float64Array([Math.PI, 0.5]));
    const int64 = Buffer.concat([Buffer.from([0, 0, 0]), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]).subarray(3);
    assert.deepEqual(decode({ dataType: DataType.INT64, dims: [1], rawData: int64 }), new BigInt64Array([-2n]));
  });

  it('returns values that do not alias the input buffer', () => {
    const bytes = Uint8Array.from(f32le(1, 2));
    const values = decode({ dataType: DataType.FLOAT, dims: [2], rawData: bytes }) as Float32Array;
    bytes.fill(0);
    assert.deepEqual(values, new Float32Array([1, 2]));
    assert.notEqual(values.buffer, bytes.buffer);
  });
});

describe('encodeTensorValues', () => {
  it('FLOAT16: round to nearest even, subnormals, overflow to infinity, NaN', () => {
    const cases: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00], // halfway past max rounds (to even) to infinity
      [1 + 2 ** -11, 0x3c00], // tie → even
      [1 + 3 * 2 ** -11, 0x3c02], // tie → even (up)
      [2 ** -24, 0x0001],
      [1.5 * 2 ** -24, 0x0002],
      [2 ** -25, 0x0000],
      [-0, 0x8000],
      [-Infinity, 0xfc00],
      [NaN, 0x7e00],
    ];
    for (const [x, code] of cases) assert.deepEqual(encodeBytes(DataType.FLOAT16, [x]), u16le(code), `float16(${x})`);
  });

  it('BFLOAT16: round to nearest even directly from the double (no double rounding)', () => {
    assert.deepEqual(encodeBytes(DataType.BFLOAT16, [1, 1 + 2 ** -8, 1 + 3 * 2 ** -8]), u16le(0x3f80, 0x3f80, 0x3f82));
    // Rounding through float32 first would make this an exact tie and round down to 0x3F80.
    assert.deepEqual(encodeBytes(DataType.BFLOAT16, [1 + 2 ** -8 + 2 ** -30]), u16le(0x3f81));
    assert.deepEqual(encodeBytes(DataType.BFLOAT16, [3.4e38, Infinity, NaN]), u16le(0x7f80, 0x7f80, 0x7fc0));
  });

  it('FLOAT8E4M3FN saturates to ±448 (ONNX Cast saturate=1)', () => {
    assert.deepEqual(
      encodeBytes(DataType.FLOAT8E4M3FN, [448, 464, 1e6, Infinity, -Infinity, -0, 2 ** -9, 2 ** -10, 1.0625, 1.1875]),
      [0x7e, 0x7e, 0x7e, 0x7e, 0xfe, 0x80, 0x01, 0x00, 0x38, 0x3a],
    );
    assert.equal(encodeBytes(DataType.FLOAT8E4M3FN, [NaN])[0]! & 0x7f, 0x7f);
  });

  it('FLOAT8E4M3FNUZ: saturates, infinity and NaN → 0x80, no negative zero', () => {
    assert.deepEqual(
      encodeBytes(DataType.FLOAT8E4M3FNUZ, [240, 1000, -1000, Infinity, NaN, -0, -(2 ** -12), 2 ** -10]),
      [0x7f, 0x7f, 0xff, 0x80, 0x80, 0x00, 0x00, 0x01],
    );
  });

  it('FLOAT8E5M2 saturates to ±57344 including infinities', () => {
    assert.deepEqual(encodeBytes(DataType.FLOAT8E5M2, [57344, 1e9, Infinity, -Infinity, 2 ** -16, 1.25]), [0x7b, 0x7b, 0x7b, 0xfb, 0x01, 0x3d]);
    const nan = encodeBytes(DataType.FLOAT8E5M2, [NaN])[0]!;
    assert.ok((nan & 0x7c) === 0x7c && (nan & 0x03) !== 0, `NaN pattern, got ${nan.toString(16)}`);
  });

  it('FLOAT8E5M2FNUZ saturates, infinity → NaN', () => {
    assert.deepEqual(encodeBytes(DataType.FLOAT8E5M2FNUZ, [57344, 1e9, Infinity, 2 ** -17, -0]), [0x7f, 0x7f, 0x80, 0x01, 0x00]);
  });

  it('FLOAT4E2M1: ties to even, saturation, NaN → 6, packed two per byte', () => {
    // 0.25→0, 0.75→1, 1.25→1, 1.75→2, 2.5→2, 3.5→4, 5→4, 100→6
    assert.deepEqual(encodeBytes(DataType.FLOAT4E2M1, [0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, 100]), [0x20, 0x42, 0x64, 0x76]);
    assert.deepEqual(encodeBytes(DataType.FLOAT4E2M1, [-6, NaN, -Infinity]), [0x7f, 0x0f]);
  });

  it('FLOAT8E8M0: nearest power of two, ties to even code, saturating', () => {
    assert.deepEqual(
      encodeBytes(DataType.FLOAT8E8M0, [1, 0.125, 3, 6, 2.9, 3.1, 0, 1e300, Infinity, 2 ** -140, NaN, -1]),
      [0x7f, 0x7c, 0x80, 0x82, 0x80, 0x81, 0x00, 0xfe, 0xfe, 0x00, 0xff, 0xff],
    );
  });

  it('packs INT4/UINT4/INT2/UINT2 low bits first, zero padding', () => {
    assert.deepEqual(encodeBytes(DataType.INT4, [-1, -8, 7]), [0x8f, 0x07]);
    assert.deepEqual(encodeBytes(DataType.UINT4, [15, 8, 7]), [0x8f, 0x07]);
    assert.deepEqual(encodeBytes(DataType.INT2, [0, 1, -2, -1, 1]), [0b11100100, 0b01]);
    assert.deepEqual(encodeBytes(DataType.UINT2, [0, 1, 2, 3]), [0b11100100]);
  });

  it('encodes standard types little-endian, from numbers or bigints', () => {
    assert.deepEqual(encodeBytes(DataType.FLOAT, [1.5, -2]), f32le(1.5, -2));
    assert.deepEqual(encodeBytes(DataType.UINT16, [0x1234]), [0x34, 0x12]);
    assert.deepEqual(encodeBytes(DataType.INT32, [5n]), [5, 0, 0, 0]);
    assert.deepEqual(encodeBytes(DataType.INT64, [-2n]), [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert.deepEqual(encodeBytes(DataType.UINT64, [1]), [1, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(encodeBytes(DataType.BOOL, [0, 2, 1]), [0, 1, 1]);
  });

  it('rejects STRING, unknown types and string values for numeric types', () => {
    assertThrowsTensorError(() => encodeTensorValues(DataType.STRING, ['a']), /no raw_data form/);
    assertThrowsTensorError(() => encodeTensorValues(99, [1]), /unknown data type/);
    assertThrowsTensorError(() => encodeTensorValues(DataType.FLOAT, ['x']), /cannot encode string value "x" as FLOAT/);
    assertThrowsTensorError(() => encodeTensorValues(DataType.INT64, [NaN]), /cannot encode number value "NaN" as INT64/);
  });
});

describe('encode → decode round trip', () => {
  const cases: [string, number, readonly number[] | readonly bigint[], TensorValues][] = [
    ['FLOAT', DataType.FLOAT, [0, -1.5, 3.25, 2 ** -149], new Float32Array([0, -1.5, 3.25, 2 ** -149])],
    ['DOUBLE', DataType.DOUBLE, [Math.PI, -1e300], new Float64Array([Math.PI, -1e300])],
    ['INT8', DataType.INT8, [-128, 0, 127], new Int8Array([-128, 0, 127])],
    ['UINT8', DataType.UINT8, [0, 255], new Uint8Array([0, 255])],
    ['INT16', DataType.INT16, [-32768, 32767], new Int16Array([-32768, 32767])],
    ['UINT16', DataType.UINT16, [0, 65535], new Uint16Array([0, 65535])],
    ['INT32', DataType.INT32, [-(2 ** 31), 2 ** 31 - 1], new Int32Array([-(2 ** 31), 2 ** 31 - 1])],
    ['UINT32', DataType.UINT32, [0, 2 ** 32 - 1], new Uint32Array([0, 2 ** 32 - 1])],
    ['INT64', DataType.INT64, [-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n], new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n])],
    ['UINT64', DataType.UINT64, [0n, 2n ** 64n - 1n], new BigUint64Array([0n, 2n ** 64n - 1n])],
    ['BOOL', DataType.BOOL, [0, 1, 1, 0], new Uint8Array([0, 1, 1, 0])],
    ['FLOAT16', DataType.FLOAT16, [1, -2, 65504, 2 ** -24, 0.333251953125], new Float32Array([1, -2, 65504, 2 ** -24, 0.333251953125])],
    ['BFLOAT16', DataType.BFLOAT16, [1, -3.140625, 2 ** -133], new Float32Array([1, -3.140625, 2 ** -133])],
    ['FLOAT8E4M3FN', DataType.FLOAT8E4M3FN, [448, -448, 2 ** -9, 1.125], new Float32Array([448, -448, 2 ** -9, 1.125])],
    ['FLOAT8E4M3FNUZ', DataType.FLOAT8E4M3FNUZ, [240, -240, 2 ** -10], new Float32Array([240, -240, 2 ** -10])],
    ['FLOAT8E5M2', DataType.FLOAT8E5M2, [57344, -1.5, 2 ** -16], new Float32Array([57344, -1.5, 2 ** -16])],
    ['FLOAT8E5M2FNUZ', DataType.FLOAT8E5M2FNUZ, [57344, -0.75, 2 ** -17], new Float32Array([57344, -0.75, 2 ** -17])],
    ['FLOAT4E2M1', DataType.FLOAT4E2M1, [0, 0.5, 1.5, 3, 6, -0.5, -4], new Float32Array([0, 0.5, 1.5, 3, 6, -0.5, -4])],
    ['FLOAT8E8M0', DataType.FLOAT8E8M0, [2 ** -127, 1, 2 ** 127], new Float32Array([2 ** -127, 1, 2 ** 127])],
    ['INT4', DataType.INT4, [-8, -1, 0, 7, 3], new Int8Array([-8, -1, 0, 7, 3])],
    ['UINT4', DataType.UINT4, [0, 15, 9], new Uint8Array([0, 15, 9])],
    ['INT2', DataType.INT2, [-2, -1, 0, 1, -2, 1], new Int8Array([-2, -1, 0, 1, -2, 1])],
    ['UINT2', DataType.UINT2, [0, 1, 2, 3, 3], new Uint8Array([0, 1, 2, 3, 3])],
  ];
  for (const [name, dt, input, expected] of cases) {
    it(name, () => {
      const rawData = encodeTensorValues(dt, input);
      assert.deepEqual(decode({ dataType: dt, dims: [expected.length], rawData }), expected);
    });
  }

  it('COMPLEX64 and COMPLEX128', () => {
    const c64 = encodeTensorValues(DataType.COMPLEX64, new Float32Array([1, -2, 3.5, 4]));
    assert.deepEqual(decode({ dataType: DataType.COMPLEX64, dims: [2], rawData: c64 }), new Float32Array([1, -2, 3.5, 4]));
    const c128 = encodeTensorValues(DataType.COMPLEX128, [0.1, 0.2]);
    assert.deepEqual(decode({ dataType: DataType.COMPLEX128, dims: [1], rawData: c128 }), new Float64Array([0.1, 0.2]));
  });

  it('every finite float16 and float8 code survives decode → encode', () => {
    const formats: [number, number][] = [
      [DataType.FLOAT16, 65536],
      [DataType.FLOAT8E4M3FN, 256],
      [DataType.FLOAT8E4M3FNUZ, 256],
      [DataType.FLOAT8E5M2, 256],
      [DataType.FLOAT8E5M2FNUZ, 256],
      [DataType.FLOAT8E8M0, 256],
    ];
    for (const [dt, n] of formats) {
      const codes = Array.from({ length: n }, (_, i) => i);
      const values = decode({ dataType: dt, dims: [n], int32Data: codes }) as Float32Array;
      const finite = codes.filter((c) => Number.isFinite(values[c]));
      const encoded = encodeTensorValues(dt, finite.map((c) => values[c]!));
      const back = n === 65536 ? [...new Uint16Array(encoded.buffer, encoded.byteOffset, finite.length)] : [...encoded];
      assert.deepEqual(back, finite, `data type ${dt}`);
    }
  });
});

describe('tensorStats', () => {
  it('counts NaN/Inf/zeros and summarises finite values', () => {
    const s = tensorStats(new Float32Array([1, 2, 3, 4, NaN, Infinity, 0, -Infinity]));
    assert.deepEqual({ ...s, std: Number(s.std?.toFixed(12)) }, {
      count: 8,
      min: 0,
      max: 4,
      mean: 2,
      std: Number(Math.SQRT2.toFixed(12)),
      nan: 1,
      inf: 2,
      zeros: 1,
    });
  });

  it('stays accurate for values with a large common offset', () => {
    const s = tensorStats(new Float64Array([1e9 + 1, 1e9 + 2, 1e9 + 3]));
    assert.equal(s.mean, 1e9 + 2);
    assert.ok(Math.abs(s.std! - Math.sqrt(2 / 3)) < 1e-9, `std ${s.std}`);
  });

  it('returns null summaries when there are no finite values', () => {
    assert.deepEqual(tensorStats(new Float32Array([NaN, NaN])), { count: 2, min: null, max: null, mean: null, std: null, nan: 2, inf: 0, zeros: 0 });
    assert.deepEqual(tensorStats(new Int8Array(0)), { count: 0, min: null, max: null, mean: null, std: null, nan: 0, inf: 0, zeros: 0 });
  });

  it('handles 64-bit integers and strings', () => {
    const s = tensorStats(new BigInt64Array([-(2n ** 40n), 2n ** 40n, 0n]));
    assert.deepEqual([s.min, s.max, s.mean, s.zeros], [-(2 ** 40), 2 ** 40, 0, 1]);
    assert.deepEqual(tensorStats(['a', 'b']), { count: 2, min: null, max: null, mean: null, std: null, nan: null, inf: null, zeros: null });
  });
});
