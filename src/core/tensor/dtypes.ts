/**
 * ONNX element types (TensorProto.DataType): numbers, names, storage sizes.
 * The numbers are the wire values of the ONNX IR; names are the enum names the CLI prints.
 */
export enum DataType {
  UNDEFINED = 0,
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
  FLOAT8E4M3FN = 17,
  FLOAT8E4M3FNUZ = 18,
  FLOAT8E5M2 = 19,
  FLOAT8E5M2FNUZ = 20,
  UINT4 = 21,
  INT4 = 22,
  FLOAT4E2M1 = 23,
  FLOAT8E8M0 = 24,
  UINT2 = 25,
  INT2 = 26,
}

/** Name of an element type as the ONNX enum spells it (`"FLOAT"`), or `"UNKNOWN(<n>)"` for a future one. */
export function dataTypeName(t: number): string {
  const n = (DataType as unknown as Record<number, string>)[t];
  return typeof n === 'string' ? n : `UNKNOWN(${t})`;
}

/** Bits one element takes in `raw_data` (0 for STRING, whose elements have no fixed size; -1 unknown). */
export function bitsPerElement(t: number): number {
  switch (t) {
    case DataType.BOOL:
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
    case DataType.FLOAT8E8M0:
      return 8;
    case DataType.UINT16:
    case DataType.INT16:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return 16;
    case DataType.FLOAT:
    case DataType.INT32:
    case DataType.UINT32:
      return 32;
    case DataType.DOUBLE:
    case DataType.INT64:
    case DataType.UINT64:
    case DataType.COMPLEX64:
      return 64;
    case DataType.COMPLEX128:
      return 128;
    case DataType.UINT4:
    case DataType.INT4:
    case DataType.FLOAT4E2M1:
      return 4;
    case DataType.UINT2:
    case DataType.INT2:
      return 2;
    case DataType.STRING:
      return 0;
    default:
      return -1;
  }
}

/** Bytes `count` elements occupy in `raw_data` (sub-byte types are packed, rounded up). */
export function rawByteLength(t: number, count: number): number {
  const bits = bitsPerElement(t);
  if (bits <= 0) return -1;
  return Math.ceil((count * bits) / 8);
}
