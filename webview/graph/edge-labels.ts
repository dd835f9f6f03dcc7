/** Edge label text: the tensor's shape and element type (`1×3×224×224 f32`), or `N tensors` for aggregated edges. */
import type { GvTensor } from '../../src/protocol/graph';
import type { EdgeLabel } from './renderer';
import { formatShapeText } from './search';

const SHORT_TYPES: Readonly<Record<string, string>> = {
  float32: 'f32',
  float: 'f32',
  float16: 'f16',
  bfloat16: 'bf16',
  float64: 'f64',
  double: 'f64',
  int64: 'i64',
  int32: 'i32',
  int16: 'i16',
  int8: 'i8',
  uint8: 'u8',
  uint16: 'u16',
  uint32: 'u32',
  uint64: 'u64',
  bool: 'bool',
  string: 'str',
};

export function shortType(elemType: string | null): string {
  if (!elemType) return '';
  return SHORT_TYPES[elemType.toLowerCase()] ?? elemType.toLowerCase();
}

/** `stubFrom`: the source's label when the edge is drawn as a stub (its source is elsewhere). */
export function edgeLabelText(tensor: GvTensor | undefined, count: number, stubFrom?: string): EdgeLabel | null {
  if (stubFrom !== undefined) {
    const from = stubFrom.length > 32 ? `…${stubFrom.slice(-31)}` : stubFrom;
    return { text: count > 1 ? `from ${from} (${count} tensors)` : `from ${from}`, inferred: false };
  }
  if (count > 1) return { text: `${count} tensors`, inferred: false };
  if (!tensor || (!tensor.shape && !tensor.elemType)) return null;
  const type = shortType(tensor.elemType);
  const text = tensor.shape ? `${formatShapeText(tensor.shape)}${type ? ` ${type}` : ''}` : type;
  return { text, inferred: tensor.shapeSource === 'inferred' };
}
