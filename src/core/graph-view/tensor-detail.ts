/** Values of one tensor on request: statistics, a histogram and the first values (initializers, constant attributes). */
import type { TensorDetail } from './graph-types';
import { longToNumber } from '../long';
import type { OnnxModel } from '../model';
import { tensorDims } from '../shape-inference/constants';
import { DataType, dataTypeName } from '../tensor/dtypes';
import { tensorStats } from '../tensor/stats';
import type { DecodedTensor, TensorValues } from '../tensor/types';
import { elementFormatter } from './format';
import { parseTensorRef } from './node-detail';
import { resolveGraph } from './resolve';
import type { TensorProto, SparseTensorProto } from '../onnx-types';


export const HISTOGRAM_BINS = 32;
export const PREVIEW_VALUES = 64;

export interface TensorDetailOptions {
  /** Tensors with more elements get no statistics (only shape and type). */
  readonly maxElements: number;
}

/** The named tensor (or attribute reference) is not a tensor whose values the model holds. */
export class TensorNotFoundError extends Error {
  constructor(readonly ref: string, path: string) {
    super(`no tensor values for '${ref}' in graph '${path}' (only initializers and constant attributes have values)`);
    this.name = 'TensorNotFoundError';
  }
}

type Source = { kind: 'dense'; t: TensorProto; name: string } | { kind: 'sparse'; s: SparseTensorProto; name: string };

function findSource(model: OnnxModel, path: string, ref: string): Source | undefined {
  const r = resolveGraph(model.proto, path);
  const parsed = parseTensorRef(ref);
  if (parsed) {
    const a = r.graph.node?.[parsed.nodeId]?.attribute?.find((x) => x.name === parsed.attr);
    if (!a) return undefined;
    const label = `${r.graph.node?.[parsed.nodeId]?.name || `#${parsed.nodeId}`}.${parsed.attr}`;
    if (parsed.index !== undefined) {
      const t = a.tensors?.[parsed.index];
      if (t) return { kind: 'dense', t, name: `${label}[${parsed.index}]` };
      const s = a.sparseTensors?.[parsed.index];
      return s ? { kind: 'sparse', s, name: `${label}[${parsed.index}]` } : undefined;
    }
    if (a.t) return { kind: 'dense', t: a.t, name: label };
    if (a.sparseTensor) return { kind: 'sparse', s: a.sparseTensor, name: label };
    return undefined;
  }
  // Innermost graph first, then the enclosing ones (a subgraph may read an outer initializer).
  for (let k = r.levels.length - 1; k >= 0; k--) {
    const g = r.levels[k]!.graph;
    const t = g.initializer?.find((x) => x.name === ref);
    if (t) return { kind: 'dense', t, name: ref };
    const s = g.sparseInitializer?.find((x) => x.values?.name === ref);
    if (s) return { kind: 'sparse', s, name: ref };
    const c = g.node?.find((n) => n.opType === 'Constant' && (!n.domain || n.domain === 'ai.onnx') && n.output?.[0] === ref);
    const a = c?.attribute?.find((x) => x.name === 'value' || x.name === 'sparse_value');
    if (a?.t) return { kind: 'dense', t: a.t, name: ref };
    if (a?.sparseTensor) return { kind: 'sparse', s: a.sparseTensor, name: ref };
  }
  return undefined;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Dense values of a sparse tensor (indices as [NNZ, rank] coordinates or [NNZ] linear positions). */
async function densify(model: OnnxModel, s: SparseTensorProto, dims: number[]): Promise<DecodedTensor> {
  const values = await model.readTensor(s.values!);
  const indices = s.indices ? await model.readTensor(s.indices) : undefined;
  const size = product(dims);
  const dt = values.dataType;
  const nnz = values.size;
  const strings = Array.isArray(values.values);
  const out: TensorValues = strings ? new Array<string>(size).fill('') : new Float64Array(size);
  const idx = indices ? Array.from(indices.values as ArrayLike<number | bigint>, (x) => Number(x)) : [];
  const coords = indices && indices.dims.length === 2;
  for (let k = 0; k < nnz; k++) {
    let pos: number;
    if (coords) {
      pos = 0;
      for (let a = 0; a < dims.length; a++) pos = pos * dims[a]! + (idx[k * dims.length + a] ?? 0);
    } else pos = idx[k] ?? k;
    if (pos < 0 || pos >= size) continue;
    const v = (values.values as ArrayLike<number | bigint | string>)[k]!;
    if (strings) (out as string[])[pos] = String(v);
    else (out as Float64Array)[pos] = Number(v);
  }
  return { dataType: dt, dims, size, values: out };
}

/** Statistics, 32-bin histogram and first values of an initializer, a Constant's value or an attribute tensor. */
export async function tensorDetail(model: OnnxModel, path: string, nameOrRef: string, options: TensorDetailOptions): Promise<TensorDetail> {
  const src = findSource(model, path, nameOrRef);
  if (!src) throw new TensorNotFoundError(nameOrRef, path);
  const dims = src.kind === 'dense' ? tensorDims(src.t) : (src.s.dims ?? []).map((d) => longToNumber(d));
  const dataType = src.kind === 'dense' ? (src.t.dataType ?? 0) : (src.s.values?.dataType ?? 0);
  const size = product(dims);
  const base = { name: src.name, elemType: dataTypeName(dataType), shape: dims, size };
  if (size > options.maxElements) {
    return {
      ...base,
      stats: null,
      histogram: null,
      preview: [],
      note: `${size.toLocaleString('en-US')} elements exceed the limit of ${options.maxElements.toLocaleString('en-US')}; values not loaded`,
    };
  }
  let dec: DecodedTensor;
  if (src.kind === 'dense') dec = await model.readTensor(src.t);
  else if (src.s.values) dec = await densify(model, src.s, dims);
  else throw new TensorNotFoundError(nameOrRef, path);
  return { ...base, ...summarize(dec, dataType) };
}

/** Stats (finite values; sparsity = share of zeros), histogram and preview of decoded values. */
export function summarize(dec: DecodedTensor, dataType: number): Pick<TensorDetail, 'stats' | 'histogram' | 'preview' | 'note'> {
  const values = dec.values;
  const fmt = elementFormatter(dataType);
  const complex = dataType === DataType.COMPLEX64 || dataType === DataType.COMPLEX128;
  const preview: string[] = [];
  if (complex) {
    const f = elementFormatter(dataType === DataType.COMPLEX64 ? DataType.FLOAT : DataType.DOUBLE);
    const nums = values as Float32Array | Float64Array;
    for (let i = 0; i < Math.min(dec.size, PREVIEW_VALUES); i++) preview.push(`${f(nums[2 * i]!)}${nums[2 * i + 1]! < 0 ? '-' : '+'}${f(Math.abs(nums[2 * i + 1]!))}i`);
  } else {
    const n = Math.min(values.length, PREVIEW_VALUES);
    for (let i = 0; i < n; i++) preview.push(fmt(values[i] as number | bigint | string));
  }
  if (Array.isArray(values)) return { stats: null, histogram: null, preview, note: 'string tensor: no statistics' };
  const st = tensorStats(values);
  const stats = {
    min: st.min,
    max: st.max,
    mean: st.mean,
    std: st.std,
    sparsity: st.count > 0 ? (st.zeros ?? 0) / st.count : null,
    nan: st.nan ?? 0,
  };
  let histogram: TensorDetail['histogram'] = null;
  if (st.min !== null && st.max !== null) {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    const lo = st.min;
    const width = (st.max - lo) / HISTOGRAM_BINS;
    const big = values instanceof BigInt64Array || values instanceof BigUint64Array;
    for (let i = 0; i < values.length; i++) {
      const x = big ? Number(values[i]) : (values[i] as number);
      if (!Number.isFinite(x)) continue;
      const b = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((x - lo) / width)) : 0;
      counts[b]!++;
    }
    histogram = { min: st.min, max: st.max, counts };
  }
  return { stats, histogram, preview };
}
