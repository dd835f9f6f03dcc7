/** Values held by Constant nodes. */
import { longToNumber } from '../../core/long';
import { onnx } from '../../core/proto/onnx';
import { decodeTensorFields } from '../../core/tensor/decode';
import { tensorFieldsOf } from '../../core/tensor/fields';
import type { DecodedTensor } from '../../core/tensor/types';
import { findAttr, type Node } from '../shared/nodes';

/** The value a Constant node produces, when it is held in `value`, `value_float(s)` or `value_int(s)`. */
export function constantNodeValue(n: Node): DecodedTensor | undefined {
  const t = findAttr(n, 'value')?.t;
  if (t) return decodeTensorFields(tensorFieldsOf(t));
  const f = findAttr(n, 'value_float');
  if (f) return { dataType: onnx.TensorProto.DataType.FLOAT, dims: [], size: 1, values: Float32Array.of(f.f ?? 0) };
  const fs = findAttr(n, 'value_floats');
  if (fs) return { dataType: onnx.TensorProto.DataType.FLOAT, dims: [fs.floats?.length ?? 0], size: fs.floats?.length ?? 0, values: Float32Array.from(fs.floats ?? []) };
  const i = findAttr(n, 'value_int');
  if (i) return { dataType: onnx.TensorProto.DataType.INT64, dims: [], size: 1, values: BigInt64Array.of(BigInt(longToNumber(i.i))) };
  const is = findAttr(n, 'value_ints');
  if (is) {
    const v = BigInt64Array.from((is.ints ?? []).map((x) => BigInt(longToNumber(x))));
    return { dataType: onnx.TensorProto.DataType.INT64, dims: [v.length], size: v.length, values: v };
  }
  return undefined;
}
