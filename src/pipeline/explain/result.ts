/** Pieces of the explanation result: the efficiency check, feature values, the image part, the method note. */
import type { ExplainImage, ExplainMethod } from '../../protocol/explain';
import type { FeatureGroups } from './coalitions';
import { heatmap, pixelsHwc, type ImageGeometry, type PatchGrid } from './image';

/** Heatmap values in a result, at most: beyond it each row keeps only its largest output's map. */
const MAX_HEATMAP_VALUES = 4_000_000;

/**
 * max over rows and the reported outputs of |Σφ − (f(x) − base)|, divided by the scale max(|f(x)|, |base|)
 * (at least 1e-12).
 */
export function efficiencyError(phi: readonly Float64Array[], fx: Float64Array, base: Float64Array, M: number, K: number, outputs: readonly number[]): number {
  let err = 0;
  let scale = 1e-12;
  phi.forEach((p, r) => {
    for (const k of outputs) {
      let s = 0;
      for (let j = 0; j < M; j++) s += p[j * K + k]!;
      err = Math.max(err, Math.abs(s - (fx[r * K + k]! - base[k]!)));
      scale = Math.max(scale, Math.abs(fx[r * K + k]!), Math.abs(base[k]!));
    }
  });
  return err / scale;
}

/** The shortest decimal that reads back as the same float32 (2.104 rather than 2.1040000915527344). */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p < 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}

/** A row's value per feature (a group's mean: patches); float32 inputs shown as their shortest decimal. */
export function featureValues(x: ArrayLike<number>, groups: FeatureGroups, f32: boolean): number[] {
  return Array.from({ length: groups.count }, (_, j) => {
    const n = groups.start[j + 1]! - groups.start[j]!;
    let s = 0;
    for (let e = groups.start[j]!; e < groups.start[j + 1]!; e++) s += x[groups.elems[e]!]!;
    const v = s / Math.max(n, 1);
    return f32 && n === 1 ? shortestFloat32(v) : v;
  });
}

export function weightedMean(values: Float64Array, weights: Float64Array, n: number, D: number): Float64Array {
  const out = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) out[j]! += weights[r]! * values[r * D + j]!;
  return out;
}

export function describeMethod(method: ExplainMethod, estimator: 'exact' | 'kernel' | 'permutation', M: number, nb: number, baseline: 'mean' | 'background'): string {
  const v = baseline === 'mean' ? 'v(S) = f(x_S, mean image elsewhere)' : `v(S) = mean over ${nb} background rows of f(x_S, b_rest) (interventional)`;
  switch (method) {
    case 'exact':
      return `exact Shapley values over all 2^${M} coalitions; ${v}`;
    case 'kernel':
      return `Kernel SHAP (paired sampling, whole coalition sizes enumerated while the budget allows, efficiency enforced); ${v}`;
    case 'permutation':
      return `Permutation SHAP (antithetic permutation pairs); ${v}`;
    case 'occlusion':
      return `occlusion: ${M} patches as features, ${estimator === 'exact' ? 'exact Shapley values' : 'Permutation SHAP (antithetic pairs)'}; ${v}`;
  }
}

export interface ImageInput {
  readonly geometry: ImageGeometry;
  readonly grid: PatchGrid;
  readonly shapley: 'exact' | 'permutation';
  readonly baseline: 'mean' | 'background';
  /** The explained rows as composite values (count × D). */
  readonly values: Float64Array;
  readonly count: number;
  readonly D: number;
  readonly phi: readonly Float64Array[];
  readonly fx: Float64Array;
  readonly K: number;
  /** The reported outputs (indices among the K). */
  readonly outputs: readonly number[];
  readonly f32: boolean;
}

/** Heatmaps (every reported output's, unless too many values: then each row's largest output) and the pixels. */
export function imageResult(i: ImageInput): ExplainImage {
  const { geometry: g, grid, phi, fx, K, outputs } = i;
  const all = i.count * outputs.length * g.height * g.width <= MAX_HEATMAP_VALUES;
  const mapsOf = Array.from({ length: i.count }, (_, r) => {
    if (all) return outputs.map((_, o) => o);
    let best = 0;
    outputs.forEach((k, o) => {
      if (fx[r * K + k]! > fx[r * K + outputs[best]!]!) best = o;
    });
    return [best];
  });
  const pixel = (v: number): number => (i.f32 ? shortestFloat32(v) : v);
  return {
    height: g.height,
    width: g.width,
    channels: g.channels,
    layout: g.layout,
    patch: grid.patch,
    grid_rows: grid.rows,
    grid_cols: grid.cols,
    shapley: i.shapley,
    baseline: i.baseline,
    heatmaps: mapsOf.map((os, r) => os.map((o) => heatmap(g, grid, (p) => phi[r]![p * K + outputs[o]!]!))),
    heatmap_outputs: mapsOf,
    pixels: Array.from({ length: i.count }, (_, r) => pixelsHwc(g, i.values.subarray(r * i.D, (r + 1) * i.D)).map(pixel)),
  };
}
