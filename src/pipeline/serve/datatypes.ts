/**
 * The Open Inference Protocol's tensor datatypes and their in-memory form here (the typed arrays onnxruntime-node
 * exchanges): BOOL → Uint8Array (0/1), FP16 → Uint16Array (IEEE half bit patterns), INT64/UINT64 → BigInt64Array /
 * BigUint64Array, BYTES → string[] (UTF-8). Byte sizes are the protocol's (BOOL is one byte).
 */
export type V2Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

export type TensorData =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | string[];

/** A tensor as the server handles it: V2 datatype, shape, flat row-major values. */
export interface V2Tensor {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

interface TypeInfo {
  readonly onnx: string;
  readonly ort: string;
  readonly bytes: number;
  readonly make: (n: number) => Exclude<TensorData, string[]>;
  readonly from: (buf: ArrayBuffer, offset: number, n: number) => Exclude<TensorData, string[]>;
}

const fixed = <T extends Exclude<TensorData, string[]>>(
  onnx: string,
  ort: string,
  C: { new (n: number): T; new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
): TypeInfo => ({ onnx, ort, bytes: C.BYTES_PER_ELEMENT, make: (n) => new C(n), from: (b, o, n) => new C(b, o, n) });

const TYPES: Readonly<Record<Exclude<V2Datatype, 'BYTES'>, TypeInfo>> = {
  BOOL: fixed('BOOL', 'bool', Uint8Array),
  UINT8: fixed('UINT8', 'uint8', Uint8Array),
  UINT16: fixed('UINT16', 'uint16', Uint16Array),
  UINT32: fixed('UINT32', 'uint32', Uint32Array),
  UINT64: fixed('UINT64', 'uint64', BigUint64Array),
  INT8: fixed('INT8', 'int8', Int8Array),
  INT16: fixed('INT16', 'int16', Int16Array),
  INT32: fixed('INT32', 'int32', Int32Array),
  INT64: fixed('INT64', 'int64', BigInt64Array),
  FP16: fixed('FLOAT16', 'float16', Uint16Array),
  FP32: fixed('FLOAT', 'float32', Float32Array),
  FP64: fixed('DOUBLE', 'float64', Float64Array),
};

export const V2_DATATYPES: readonly V2Datatype[] = [...(Object.keys(TYPES) as V2Datatype[]), 'BYTES'];

export function isV2Datatype(s: unknown): s is V2Datatype {
  return typeof s === 'string' && (V2_DATATYPES as readonly string[]).includes(s);
}

/** The V2 datatype of an ONNX element type name (`"FLOAT"` → FP32), or undefined when the protocol has none. */
export function v2TypeOfOnnx(elemType: string | null | undefined): V2Datatype | undefined {
  if (elemType === 'STRING') return 'BYTES';
  for (const [k, v] of Object.entries(TYPES)) if (v.onnx === elemType) return k as V2Datatype;
  return undefined;
}

/** The ONNX element type name of a V2 datatype (FP32 → `"FLOAT"`, BYTES → `"STRING"`). */
export function onnxTypeOfV2(t: V2Datatype): string {
  return t === 'BYTES' ? 'STRING' : TYPES[t].onnx;
}

/** The V2 datatype of an onnxruntime-node tensor type (`"float32"` → FP32). */
export function v2TypeOfOrt(ortType: string): V2Datatype | undefined {
  if (ortType === 'string') return 'BYTES';
  for (const [k, v] of Object.entries(TYPES)) if (v.ort === ortType) return k as V2Datatype;
  return undefined;
}

/** onnxruntime-node's tensor type name for a V2 datatype. */
export function ortTypeOfV2(t: V2Datatype): string {
  return t === 'BYTES' ? 'string' : TYPES[t].ort;
}

/** Bytes per element (undefined for BYTES, whose elements are length-prefixed). */
export function byteSize(t: V2Datatype): number | undefined {
  return t === 'BYTES' ? undefined : TYPES[t].bytes;
}

/** A zero-filled array of `n` elements of `t`. */
export function allocate(t: V2Datatype, n: number): TensorData {
  return t === 'BYTES' ? new Array<string>(n).fill('') : TYPES[t].make(n);
}

/** A view of `n` elements of `t` at `offset` of `buf` (copied when the offset is not aligned). */
export function viewOf(t: Exclude<V2Datatype, 'BYTES'>, bytes: Uint8Array, n: number): Exclude<TensorData, string[]> {
  const info = TYPES[t];
  const offset = bytes.byteOffset;
  if (offset % info.bytes === 0) return info.from(bytes.buffer as ArrayBuffer, offset, n);
  const copy = new Uint8Array(n * info.bytes);
  copy.set(bytes.subarray(0, n * info.bytes));
  return info.from(copy.buffer, 0, n);
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
