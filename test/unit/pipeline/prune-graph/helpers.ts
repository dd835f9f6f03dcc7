/** Shared pieces of the pruning-core tests: tiny models built in TS, pruning them, running them in onnxruntime. */
import { deriveModel, openModel, writeModel } from '../../../../src/core';
import type { onnx } from '../../../../src/core/proto/onnx';
import { pruneGraph, type PruneGraphOutcome, type PruneGraphSettings } from '../../../../src/pipeline/prune-graph/prune-graph';
import { encodeModel, floatInit, runModel, type ModelSpec, type Scratch } from '../quantize/helpers';

export { L, Scratch, encodeModel, floatInit, intAttr, floatAttr, maxAbsDiff, randoms, runModel, valueInfo } from '../quantize/helpers';

/** Settings with the defaults the worker op fills in. */
export function settings(over: Partial<PruneGraphSettings>): PruneGraphSettings {
  return { method: 'magnitude', sparsity: 0.5, scope: 'layer', n: 2, m: 4, criterion: 'l1', round_to: 1, exclude: [], ...over };
}

/** A model spec whose float initializers are also kept as arrays, so tests can read and edit them. */
export interface Built {
  readonly spec: ModelSpec;
  readonly weights: Map<string, { dims: number[]; values: Float32Array }>;
}

/** Builds a spec from nodes and float initializers. */
export function build(spec: Omit<ModelSpec, 'initializers'>, weights: Record<string, [number[], ArrayLike<number>]>, extra: onnx.TensorProto.$Properties[] = []): Built {
  const map = new Map<string, { dims: number[]; values: Float32Array }>();
  for (const [name, [dims, values]] of Object.entries(weights)) map.set(name, { dims, values: Float32Array.from(values) });
  return { spec: { ...spec, initializers: [...[...map].map(([n, w]) => floatInit(n, w.dims, w.values)), ...extra] }, weights: map };
}

/** A copy of `b` with the weight `name` edited by `edit` (on a copy of its values). */
export function edited(b: Built, name: string, edit: (values: Float32Array, dims: number[]) => void): Built {
  const weights = new Map(b.weights);
  const w = b.weights.get(name)!;
  const values = Float32Array.from(w.values);
  edit(values, w.dims);
  weights.set(name, { dims: w.dims, values });
  const initializers = (b.spec.initializers ?? []).map((t) => (t.name === name ? floatInit(name, w.dims, values) : t));
  return { spec: { ...b.spec, initializers }, weights };
}

/** Sets to 0 every entry of a row-major tensor whose index along `axis` belongs to a removed channel (channel c = [c·block, (c+1)·block)). */
export function zeroAlong(values: Float32Array, dims: readonly number[], axis: number, removed: readonly number[], block = 1): void {
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  const len = dims[axis]!;
  const gone = new Set<number>();
  for (const c of removed) for (let k = 0; k < block; k++) gone.add(c * block + k);
  for (let i = 0; i < values.length; i++) if (gone.has(Math.floor(i / inner) % len)) values[i] = 0;
}

/** L1 norm of each slice along `axis`. */
export function channelL1(values: Float32Array, dims: readonly number[], axis: number): number[] {
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  const out = new Array<number>(dims[axis]!).fill(0);
  for (let i = 0; i < values.length; i++) out[Math.floor(i / inner) % dims[axis]!]! += Math.abs(values[i]!);
  return out;
}

/** The `count` channels of smallest importance (computed independently of the product code). */
export function smallest(importance: readonly number[], count: number): number[] {
  return importance
    .map((v, i) => [v, i] as const)
    .sort((a, b) => a[0] - b[0] || b[1] - a[1])
    .slice(0, count)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}

/** Writes the built model, prunes it, writes the result; returns both paths and the outcome. */
export async function pruneFile(scratch: Scratch, b: Built, s: PruneGraphSettings, name = 'm'): Promise<{ source: string; output: string; outcome: PruneGraphOutcome }> {
  const source = scratch.write(`${name}.onnx`, encodeModel(b.spec));
  const model = await openModel(source);
  try {
    const outcome = await pruneGraph(model, s);
    const output = scratch.path(`${name}.pruned.onnx`);
    await writeModel(deriveModel(model, outcome.proto), output);
    return { source, output, outcome };
  } finally {
    await model.close();
  }
}

/** Runs a model file and returns its first output's data. */
export async function firstOutput(file: string, inputs: Record<string, { data: Float32Array; dims: number[] }>): Promise<Float32Array> {
  const out = await runModel(file, inputs);
  return out[Object.keys(out)[0]!]!.data as Float32Array;
}
