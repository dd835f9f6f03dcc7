/** What a sample run must feed: the graph inputs that are not initializers, with concrete shapes (pure). */
import type Long from 'long';
import type { onnx } from '../../core/proto/onnx';
import { dataTypeName } from '../../core/tensor/dtypes';
import { RuntimeError } from '../runtime/errors';
import { ortTypeOf } from '../runtime/convert';

/** Largest input a sample run generates (2^27 elements: 512 MiB of float32). */
export const MAX_SAMPLE_ELEMENTS = 2 ** 27;

export type InputKind = 'tensor' | 'optional' | 'sequence' | 'map' | 'sparse_tensor' | 'opaque' | 'unknown';

export interface SampleInputSpec {
  readonly name: string;
  readonly kind: InputKind;
  /** Element type of the tensor to feed (for `optional`, the tensor inside it). */
  readonly dataType: number;
  /** Concrete dims: symbolic/unknown dims replaced by the chosen value. */
  readonly dims: readonly number[];
  /** The declared dims (numbers, dim_param names, null for unknown); null when the shape (rank) is unknown. */
  readonly declared: readonly (number | string | null)[] | null;
}

function kindOf(t: onnx.TypeProto.$Properties | null | undefined): InputKind {
  if (!t) return 'unknown';
  if (t.tensorType) return 'tensor';
  if (t.sequenceType) return 'sequence';
  if (t.mapType) return 'map';
  if (t.optionalType) return 'optional';
  if (t.sparseTensorType) return 'sparse_tensor';
  if (t.opaqueType) return 'opaque';
  return 'unknown';
}

function dimNumber(v: Long | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : v.toNumber();
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Declared dims of a tensor type: numbers, dim_param strings, null where unknown; null when the rank is unknown. */
export function declaredDims(t: onnx.TypeProto.Tensor.$Properties): (number | string | null)[] | null {
  if (!t.shape) return null;
  return (t.shape.dim ?? []).map((d) => {
    const n = dimNumber(d.dimValue);
    if (n !== null && d.dimValue !== undefined && d.dimValue !== null) return n;
    return d.dimParam ? d.dimParam : null;
  });
}

/**
 * The inputs a sample run feeds, in graph order. Symbolic or unknown dims become `symbolicDimValue`; an input
 * with no shape at all is fed as a scalar. Throws RuntimeError for inputs onnxruntime-node cannot be fed
 * (sequence, map, sparse, opaque kinds; element types such as BFLOAT16), naming the input.
 */
export function sampleInputSpecs(model: onnx.ModelProto.$Properties, symbolicDimValue = 1): SampleInputSpec[] {
  if (!Number.isSafeInteger(symbolicDimValue) || symbolicDimValue < 0) {
    throw new RuntimeError('invalid-params', `symbolicDimValue must be a non-negative integer, got ${symbolicDimValue}`);
  }
  const graph = model.graph;
  if (!graph) return [];
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const specs: SampleInputSpec[] = [];
  for (const vi of graph.input ?? []) {
    const name = vi.name ?? '';
    if (initializers.has(name)) continue;
    const kind = kindOf(vi.type);
    let tensor: onnx.TypeProto.Tensor.$Properties | null | undefined;
    if (kind === 'tensor') tensor = vi.type!.tensorType;
    else if (kind === 'optional') tensor = vi.type!.optionalType?.elemType?.tensorType;
    if (!tensor) {
      const what = kind === 'optional' ? 'optional of a non-tensor value' : kind === 'unknown' ? 'value with no declared type' : kind;
      throw new RuntimeError(
        'unsupported-kind',
        `input '${name}' is a ${what}; onnxruntime-node can only be fed tensors, so sample runs do not support it`,
      );
    }
    const dataType = tensor.elemType ?? 0;
    if (!ortTypeOf(dataType)) {
      throw new RuntimeError(
        'unsupported-dtype',
        `input '${name}' has element type ${dataTypeName(dataType)}, which onnxruntime-node cannot feed`,
      );
    }
    const declared = declaredDims(tensor);
    const dims = (declared ?? []).map((d) => (typeof d === 'number' ? d : symbolicDimValue));
    const size = dims.reduce((a, b) => a * b, 1);
    if (size > MAX_SAMPLE_ELEMENTS) {
      throw new RuntimeError(
        'invalid-params',
        `input '${name}' would hold ${size} elements (shape [${dims.join(', ')}]), more than the ${MAX_SAMPLE_ELEMENTS} a sample run generates` +
          (declared?.some((d) => typeof d !== 'number') ? '; use a smaller symbolic dim value' : ''),
      );
    }
    specs.push({ name, kind, dataType, dims, declared });
  }
  return specs;
}
