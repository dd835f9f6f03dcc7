import { longToNumber } from './long';
import type { onnx } from './proto/onnx';
import type { ValueKind } from './report-types';
import { dataTypeName } from './tensor/dtypes';

export interface TypeDescription {
  readonly kind: ValueKind;
  readonly elemType: string | null;
  readonly shape: (number | string | null)[] | null;
  /** Human-readable, e.g. `float32[N,3,224,224]`, `seq(map(INT64,FLOAT))`. */
  readonly text: string;
}

/** Describes a TypeProto: kind, innermost element type, shape (numbers fixed, strings symbolic, null unknown). */
export function describeType(t: onnx.TypeProto.$Properties | undefined): TypeDescription {
  if (!t) return { kind: 'unknown', elemType: null, shape: null, text: '?' };
  if (t.tensorType) return tensorLike('tensor', t.tensorType);
  if (t.sparseTensorType) return tensorLike('sparse_tensor', t.sparseTensorType);
  if (t.sequenceType) {
    const inner = describeType(t.sequenceType.elemType ?? undefined);
    return { kind: 'sequence', elemType: inner.elemType, shape: inner.shape, text: `seq(${inner.text})` };
  }
  if (t.optionalType) {
    const inner = describeType(t.optionalType.elemType ?? undefined);
    return { kind: 'optional', elemType: inner.elemType, shape: inner.shape, text: `optional(${inner.text})` };
  }
  if (t.mapType) {
    const key = dataTypeName(t.mapType.keyType ?? 0);
    const val = describeType(t.mapType.valueType ?? undefined);
    const text = `map(${key},${val.kind === 'tensor' && val.elemType ? val.elemType : val.text})`;
    return { kind: 'map', elemType: text, shape: null, text };
  }
  if (t.opaqueType) {
    const text = `opaque(${t.opaqueType.domain ?? ''}.${t.opaqueType.name ?? ''})`;
    return { kind: 'opaque', elemType: null, shape: null, text };
  }
  return { kind: 'unknown', elemType: null, shape: null, text: '?' };
}

function tensorLike(
  kind: 'tensor' | 'sparse_tensor',
  t: { elemType?: number | null; shape?: onnx.TensorShapeProto.$Properties | null },
): TypeDescription {
  const elemType = t.elemType ? dataTypeName(t.elemType) : null;
  const shape = t.shape
    ? (t.shape.dim ?? []).map((d): number | string | null => {
        if (d.dimValue !== null && d.dimValue !== undefined) return longToNumber(d.dimValue);
        if (d.dimParam) return d.dimParam;
        return null;
      })
    : null;
  const dims = shape ? `[${shape.map((s) => (s === null ? '?' : String(s))).join(',')}]` : '';
  const text = `${kind === 'sparse_tensor' ? 'sparse ' : ''}${(elemType ?? '?').toLowerCase()}${dims}`;
  return { kind, elemType, shape, text };
}
