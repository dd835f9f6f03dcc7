/** DecodedTensor (the core's decoded values) ⇄ onnxruntime-node Tensor, for every element type ORT-node exchanges. */
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../core/tensor/types';
import { RuntimeError } from './errors';
import { float16ToFloat32Array, float32ToFloat16Array } from './float16';
import { loadOrt } from './ort';

/** onnxruntime-node's tensor type names for the ONNX element types it can exchange. */
export type OrtTensorType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

const ORT_TYPE: ReadonlyMap<number, OrtTensorType> = new Map([
  [DataType.FLOAT, 'float32'],
  [DataType.DOUBLE, 'float64'],
  [DataType.FLOAT16, 'float16'],
  [DataType.INT8, 'int8'],
  [DataType.INT16, 'int16'],
  [DataType.INT32, 'int32'],
  [DataType.INT64, 'int64'],
  [DataType.UINT8, 'uint8'],
  [DataType.UINT16, 'uint16'],
  [DataType.UINT32, 'uint32'],
  [DataType.UINT64, 'uint64'],
  [DataType.BOOL, 'bool'],
  [DataType.STRING, 'string'],
]);

const ONNX_TYPE: ReadonlyMap<string, DataType> = new Map([...ORT_TYPE].map(([k, v]) => [v, k as DataType]));

/** ONNX element types onnxruntime-node can feed and fetch (BFLOAT16, FLOAT8*, INT4/UINT4, COMPLEX* … are not). */
export const ORT_SUPPORTED_DATA_TYPES: readonly DataType[] = [...ORT_TYPE.keys()];

/** The ORT tensor type for an ONNX element type, or undefined when onnxruntime-node cannot exchange it. */
export function ortTypeOf(dataType: number): OrtTensorType | undefined {
  return ORT_TYPE.get(dataType);
}

/** The ONNX element type for an ORT tensor type name, or undefined for one this module does not know. */
export function onnxTypeOf(ortType: string): DataType | undefined {
  return ONNX_TYPE.get(ortType);
}

/** Throws a clear RuntimeError unless onnxruntime-node can exchange `dataType`. */
export function requireOrtType(dataType: number, what = 'tensor'): OrtTensorType {
  const t = ORT_TYPE.get(dataType);
  if (!t) {
    throw new RuntimeError(
      'unsupported-dtype',
      `${what} has element type ${dataTypeName(dataType)}, which onnxruntime-node cannot exchange ` +
        `(supported: ${ORT_SUPPORTED_DATA_TYPES.map(dataTypeName).join(', ')})`,
    );
  }
  return t;
}

/** Copy of the values as the typed array ORT expects for `type` (float16: bit patterns). */
function ortData(type: OrtTensorType, values: TensorValues, what: string): OrtTensor['data'] {
  const expect = (ok: boolean) => {
    if (!ok) throw new TypeError(`decoded values of ${what} (${type}) are a ${values.constructor.name}`);
  };
  switch (type) {
    case 'float16':
      expect(values instanceof Float32Array);
      return float32ToFloat16Array(values as Float32Array);
    case 'float32':
      expect(values instanceof Float32Array);
      return values as Float32Array;
    case 'float64':
      expect(values instanceof Float64Array);
      return values as Float64Array;
    case 'int8':
      expect(values instanceof Int8Array);
      return values as Int8Array;
    case 'int16':
      expect(values instanceof Int16Array);
      return values as Int16Array;
    case 'int32':
      expect(values instanceof Int32Array);
      return values as Int32Array;
    case 'int64':
      expect(values instanceof BigInt64Array);
      return values as BigInt64Array;
    case 'uint8':
    case 'bool':
      expect(values instanceof Uint8Array);
      return values as Uint8Array;
    case 'uint16':
      expect(values instanceof Uint16Array);
      return values as Uint16Array;
    case 'uint32':
      expect(values instanceof Uint32Array);
      return values as Uint32Array;
    case 'uint64':
      expect(values instanceof BigUint64Array);
      return values as BigUint64Array;
    case 'string': {
      expect(Array.isArray(values));
      const strings = values as string[];
      const bad = strings.findIndex((v) => v.includes('\u0000'));
      if (bad >= 0) {
        // onnxruntime-node passes strings as C strings: everything after a NUL would silently be lost.
        throw new RuntimeError('unsupported-dtype', `${what}: string element ${bad} contains a NUL character, which onnxruntime-node cannot pass`);
      }
      return strings;
    }
  }
}

/**
 * An onnxruntime-node Tensor holding `decoded`'s values (shared, not copied, except float16 which is converted
 * to bit patterns). Throws RuntimeError('unsupported-dtype') for element types ORT-node cannot exchange.
 */
export function toOrtTensor(decoded: DecodedTensor): OrtTensor {
  const what = decoded.name ? `tensor '${decoded.name}'` : 'tensor';
  const type = requireOrtType(decoded.dataType, what);
  const data = ortData(type, decoded.values, what);
  const ort = loadOrt();
  // ORT's constructor overloads are per type; the runtime check above keeps data and type consistent.
  return new ort.Tensor(type as 'float32', data as Float32Array, [...decoded.dims]);
}

/** The values of an onnxruntime-node Tensor in the core's DecodedTensor form (float16 → Float32Array). */
export function fromOrtTensor(t: OrtTensor, name?: string): DecodedTensor {
  const dataType = ONNX_TYPE.get(t.type);
  if (dataType === undefined) {
    throw new RuntimeError('unsupported-dtype', `onnxruntime returned a ${t.type} tensor${name ? ` for '${name}'` : ''}, which is not supported here`);
  }
  const dims = t.dims.map(Number);
  const values: TensorValues =
    t.type !== 'float16'
      ? (t.data as TensorValues)
      : t.data instanceof Uint16Array
        ? float16ToFloat32Array(t.data)
        : Float32Array.from(t.data as ArrayLike<number>); // a native Float16Array, where the platform has one
  return { ...(name !== undefined ? { name } : {}), dataType, dims, size: dims.reduce((a, b) => a * b, 1), values };
}
