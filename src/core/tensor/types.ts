import type Long from 'long';

/**
 * The data fields of one TensorProto, as read from the file (after external data was resolved into `rawData`).
 * Exactly one of the data fields is normally set; `dims` are plain numbers (validated to be safe integers).
 */
export interface TensorFields {
  readonly name?: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly rawData?: Uint8Array;
  readonly floatData?: readonly number[];
  readonly int32Data?: readonly number[];
  readonly int64Data?: readonly (Long | number)[];
  readonly doubleData?: readonly number[];
  readonly uint64Data?: readonly (Long | number)[];
  readonly stringData?: readonly Uint8Array[];
}

/**
 * Decoded tensor values. Element type → array:
 * FLOAT, FLOAT16, BFLOAT16, FLOAT8*, FLOAT4E2M1, FLOAT8E8M0 → Float32Array (converted to float32);
 * DOUBLE → Float64Array; INT8, INT4, INT2 → Int8Array; UINT8, UINT4, UINT2, BOOL (0/1) → Uint8Array;
 * INT16 → Int16Array; UINT16 → Uint16Array; INT32 → Int32Array; UINT32 → Uint32Array;
 * INT64 → BigInt64Array; UINT64 → BigUint64Array; COMPLEX64 → Float32Array (re, im interleaved, 2 per element);
 * COMPLEX128 → Float64Array (interleaved); STRING → string[] (UTF-8 decoded).
 */
export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

export interface DecodedTensor {
  readonly name?: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** Number of elements (product of dims; 1 for a scalar). */
  readonly size: number;
  readonly values: TensorValues;
}
