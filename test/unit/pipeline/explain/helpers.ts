/**
 * Test helpers for explanations: tiny ONNX models (linear, with interactions, image) written with the generated
 * protobufjs encoder, CSV files, and an independent brute-force Shapley implementation over all M! feature
 * orders that calls onnxruntime directly (no code shared with src/pipeline/explain).
 */
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { ExplainResult } from '../../../../src/protocol/explain';
import { FLOAT, encode, node, rawFloat, tensorInfo, type ModelSpec } from '../../core/build';

/** Deterministic uniform numbers in [−1, 1) (LCG; independent of the pipeline's RNG). */
export function uniforms(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

export function matrix(rows: number, cols: number, r: () => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(r() * 1000) / 250));
}

/** y = x·w + b as a [N,1] regression output `y`. */
export function linearModel(w: readonly number[], b: number): Uint8Array {
  const M = w.length;
  return encode({
    nodes: [node('Gemm', ['x', 'W', 'B'], ['y'])],
    inputs: [tensorInfo('x', FLOAT, ['N', M])],
    outputs: [tensorInfo('y', FLOAT, ['N', 1])],
    initializers: [rawFloat('W', [M, 1], [...w]), rawFloat('B', [1], [b])],
  });
}

/** logits = relu((x·A) ⊙ (x·B) + x·C) · W: pairwise interactions and a kink; K outputs (logits, or one value when K = 1). */
export function interactionModel(M: number, H: number, K: number, seed: number): Uint8Array {
  const r = uniforms(seed);
  const mat = (name: string, a: number, b: number) => rawFloat(name, [a, b], Array.from({ length: a * b }, () => r() * 0.8));
  const spec: ModelSpec = {
    nodes: [
      node('MatMul', ['x', 'A'], ['xa']),
      node('MatMul', ['x', 'B'], ['xb']),
      node('MatMul', ['x', 'C'], ['xc']),
      node('Mul', ['xa', 'xb'], ['ab']),
      node('Add', ['ab', 'xc'], ['pre']),
      node('Relu', ['pre'], ['h']),
      node('MatMul', ['h', 'W'], ['out']),
    ],
    inputs: [tensorInfo('x', FLOAT, ['N', M])],
    outputs: [tensorInfo('out', FLOAT, ['N', K])],
    initializers: [mat('A', M, H), mat('B', M, H), mat('C', M, H), mat('W', H, K)],
  };
  return encode(spec);
}

/** An image classifier: x [N, ...rowShape] → Flatten → Gemm(P→8) → Relu → Gemm(8→2) logits. */
export function imageModel(rowShape: readonly number[], seed: number): Uint8Array {
  const r = uniforms(seed);
  const P = rowShape.reduce((a, b) => a * b, 1);
  return encode({
    nodes: [node('Flatten', ['x'], ['flat']), node('Gemm', ['flat', 'W1', 'B1'], ['h']), node('Relu', ['h'], ['a']), node('Gemm', ['a', 'W2', 'B2'], ['logits'])],
    inputs: [tensorInfo('x', FLOAT, ['N', ...rowShape])],
    outputs: [tensorInfo('logits', FLOAT, ['N', 2])],
    initializers: [
      rawFloat('W1', [P, 8], Array.from({ length: P * 8 }, () => r())),
      rawFloat('B1', [8], Array.from({ length: 8 }, () => r() * 0.1)),
      rawFloat('W2', [8, 2], Array.from({ length: 16 }, () => r())),
      rawFloat('B2', [2], [0, 0.1]),
    ],
  });
}

export function csv(header: readonly string[], rows: readonly (readonly (number | string)[])[]): string {
  return `${header.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

export function softmax(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** f on plain rows through onnxruntime directly; `post` turns one output row into the explained values. */
export async function ortFunction(file: string, inputName: string, shape: readonly number[], post: (row: number[]) => number[]): Promise<{ f: (rows: number[][]) => Promise<number[][]>; close: () => Promise<void> }> {
  const session = await ort.InferenceSession.create(file);
  return {
    async f(rows) {
      const t = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, ...shape]);
      const out = await session.run({ [inputName]: t });
      const o = out[session.outputNames[0]!]!;
      const data = Array.from(o.data as Float32Array);
      const width = data.length / rows.length;
      return rows.map((_, i) => post(data.slice(i * width, (i + 1) * width)));
    },
    close: () => session.release(),
  };
}

/**
 * Shapley values by definition: the average over all M! orders of each feature's marginal contribution, with
 * v(S) = weighted mean over background rows b of f(x on the elements of S's features, b elsewhere).
 * `groups[j]` lists the row elements feature j owns. Returns φ as [feature][output].
 */
export async function bruteShapley(
  f: (rows: number[][]) => Promise<number[][]>,
  x: readonly number[],
  background: readonly (readonly number[])[],
  groups: readonly (readonly number[])[],
  weights?: readonly number[],
): Promise<number[][]> {
  const M = groups.length;
  const w = weights ?? background.map(() => 1 / background.length);
  const memo = new Map<number, number[]>();
  const v = async (S: number): Promise<number[]> => {
    const hit = memo.get(S);
    if (hit) return hit;
    const rows = background.map((b) => {
      const row = [...b];
      for (let j = 0; j < M; j++) if ((S >> j) & 1) for (const e of groups[j]!) row[e] = x[e]!;
      return row;
    });
    const out = await f(rows);
    const mean = out[0]!.map((_, k) => out.reduce((a, o, i) => a + w[i]! * o[k]!, 0));
    memo.set(S, mean);
    return mean;
  };
  let K = 0;
  const phi: number[][] = [];
  let orders = 0;
  const visit = async (order: number[]): Promise<void> => {
    let S = 0;
    let prev = await v(0);
    if (!K) {
      K = prev.length;
      for (let j = 0; j < M; j++) phi.push(new Array<number>(K).fill(0));
    }
    for (const j of order) {
      S |= 1 << j;
      const next = await v(S);
      for (let k = 0; k < K; k++) phi[j]![k]! += next[k]! - prev[k]!;
      prev = next;
    }
    orders++;
  };
  const permute = async (prefix: number[], rest: number[]): Promise<void> => {
    if (rest.length === 0) return visit(prefix);
    for (let i = 0; i < rest.length; i++) await permute([...prefix, rest[i]!], [...rest.slice(0, i), ...rest.slice(i + 1)]);
  };
  await permute([], Array.from({ length: M }, (_, j) => j));
  return phi.map((p) => p.map((s) => s / orders));
}

/** Mean over rows of Σ|φ − φ_ref| / Σ|φ_ref| (one output). */
export function relativeL1(phi: readonly (readonly number[])[], ref: readonly (readonly number[])[], k = 0): number {
  let num = 0;
  let den = 0;
  for (let j = 0; j < ref.length; j++) {
    num += Math.abs(phi[j]![k]! - ref[j]![k]!);
    den += Math.abs(ref[j]![k]!);
  }
  return num / Math.max(den, 1e-300);
}

/** Σφ = f(x) − base for every row and output, recomputed from the result. */
export function assertEfficiency(r: ExplainResult, tol = 1e-6): void {
  assert.ok(r.efficiency_max_error <= tol, `efficiency_max_error ${r.efficiency_max_error}`);
  r.shap_values.forEach((row, i) => {
    for (let k = 0; k < r.output_names.length; k++) {
      const s = row.reduce((a, f) => a + f[k]!, 0);
      const want = r.f_x[i]![k]! - r.base_value[k]!;
      assert.ok(Math.abs(s - want) <= tol * Math.max(1, Math.abs(r.f_x[i]![k]!)), `row ${i} output ${k}: Σφ ${s} vs ${want}`);
    }
  });
}
