/** Builders and checks shared by the optimize tests. */
import assert from 'node:assert/strict';
import Long from 'long';
import { openModel, type OnnxModel } from '../../../../src/core';
import { onnx } from '../../../../src/core/proto/onnx';
import type { DecodedTensor } from '../../../../src/core/tensor/types';
import { optimizeModel, type OptimizeOptions } from '../../../../src/pipeline/optimize';
import { createSession, fromOrtTensor, toOrtTensor, type OrtTensor } from '../../../../src/pipeline/runtime';
import { sampleInputSpecs } from '../../../../src/pipeline/shared/input-specs';
import { createRng, generateTensor } from '../../../../src/pipeline/shared/random-inputs';
import type { OptimizeParams, OptimizeResult } from '../../../../src/protocol/optimize';
import { encode, type ModelSpec } from '../../core/build';

export { FLOAT, L, TempDir, encode, node, rawFloat, tensorInfo, type ModelSpec } from '../../core/build';

const A = onnx.AttributeProto.AttributeType;
export const INT64 = onnx.TensorProto.DataType.INT64;

export const ints = (name: string, v: number[]): onnx.AttributeProto.$Properties => ({ name, type: A.INTS, ints: v.map((x) => Long.fromNumber(x)) });
export const int = (name: string, v: number): onnx.AttributeProto.$Properties => ({ name, type: A.INT, i: Long.fromNumber(v) });
export const flt = (name: string, v: number): onnx.AttributeProto.$Properties => ({ name, type: A.FLOAT, f: v });
export const tensorAttr = (name: string, t: onnx.TensorProto.$Properties): onnx.AttributeProto.$Properties => ({ name, type: A.TENSOR, t });

/** An INT64 tensor stored in raw_data. */
export function rawInt64(name: string, dims: number[], values: number[]): onnx.TensorProto.$Properties {
  return { name, dims: dims.map((d) => Long.fromNumber(d)), dataType: INT64, rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) };
}

/** Deterministic pseudo-random values in [-1, 1). */
export function values(n: number, seed = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng() * 2 - 1);
}

/** Positive values in [lo, lo + 1). */
export function positive(n: number, seed = 1, lo = 0.5): number[] {
  return values(n, seed).map((v) => lo + (v + 1) / 2);
}

export interface Optimized {
  readonly result: OptimizeResult;
  readonly model: OnnxModel;
  /** Op types of the output's main graph, in order. */
  readonly ops: string[];
}

/** Optimizes `file` (default: all passes) into `out` and opens the result (close `model` when done). */
export async function optimize(file: string, out: string, params: Partial<OptimizeParams> = {}, options: OptimizeOptions = {}): Promise<Optimized> {
  const result = await optimizeModel({ model: file, output: out, ...params }, {}, options);
  const model = await openModel(out);
  return { result, model, ops: (model.proto.graph?.node ?? []).map((n) => n.opType ?? '') };
}

/** Writes `spec` to the temp dir and returns its path. */
export function writeSpec(tmp: { file(name: string, bytes: Uint8Array): string }, name: string, spec: ModelSpec): string {
  return tmp.file(name, encode(spec));
}

/** The tensor outputs of a model file on seeded sample inputs (optimizations off). */
export async function runOutputs(file: string, dim = 3, seed = 7): Promise<Map<string, DecodedTensor>> {
  const m = await openModel(file);
  const specs = sampleInputSpecs(m.proto, dim);
  await m.close();
  const rng = createRng(seed);
  const feeds: Record<string, OrtTensor> = {};
  for (const s of specs) feeds[s.name] = toOrtTensor(generateTensor(s.name, s.dataType, s.dims, rng));
  const session = await createSession(file, { graphOptimizationLevel: 'disabled' });
  try {
    const names = session.outputMetadata.filter((o) => o.isTensor).map((o) => o.name);
    const out = await session.run(feeds, names);
    return new Map(names.map((n) => [n, fromOrtTensor(out[n] as OrtTensor, n)]));
  } finally {
    await session.release();
  }
}

/** Both models give the same outputs (names, shapes, values within 1e-5 + 1e-4·|a|) on the same inputs. */
export async function assertSameOutputs(original: string, optimized: string, dim = 3): Promise<void> {
  const a = await runOutputs(original, dim);
  const b = await runOutputs(optimized, dim);
  assert.deepEqual([...b.keys()], [...a.keys()], 'output names');
  for (const [name, x] of a) {
    const y = b.get(name)!;
    assert.deepEqual(y.dims, x.dims, `shape of ${name}`);
    for (let i = 0; i < x.size; i++) {
      const p = Number(x.values[i]);
      const q = Number(y.values[i]);
      assert.ok(Math.abs(p - q) <= 1e-5 + 1e-4 * Math.abs(p), `${name}[${i}]: ${q} vs ${p}`);
    }
  }
}

/** Values of an initializer of an opened model, as numbers. */
export async function initValues(model: OnnxModel, name: string): Promise<number[]> {
  const t = model.proto.graph?.initializer?.find((i) => i.name === name);
  assert.ok(t, `initializer ${name}`);
  return Array.from((await model.readTensor(t)).values as ArrayLike<number>, Number);
}

/** Every pass of the result either changed nothing or kept verified changes, none rejected. */
export function assertAllVerified(r: OptimizeResult): void {
  for (const p of r.passes) {
    assert.equal(p.rejected, false, `${p.name} rejected: ${p.message}`);
    assert.equal(p.verified, true, `${p.name} verified`);
  }
}
