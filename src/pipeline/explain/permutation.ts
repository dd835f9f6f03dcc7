/**
 * Permutation SHAP with antithetic pairs, as shap's PermutationExplainer: for a random order π of the M
 * features, add them one by one from ∅ to N (forward: the marginal contribution of π_i is v(S_i) − v(S_{i−1})),
 * then remove them in the same order from N to ∅ — which is the forward pass of the reversed order. Each pair
 * costs 2(M − 1) coalitions besides ∅ and N (shared by all pairs; shap counts 2M + 1); coalitions met twice are
 * evaluated once. Every permutation's contributions telescope to f(x) − v(∅), so efficiency holds exactly.
 */
import type { Rng32 } from '../shared/rng';
import { MaskSet } from './coalitions';
import type { Estimator } from './estimator';

/** shap's default budget of evaluations. */
export const DEFAULT_MAX_EVALS = 500;

/** Antithetic pairs a budget of `maxEvals` v(S) evaluations allows (∅ and N counted once), at least 1. */
export function permutationPairs(M: number, maxEvals: number): number {
  if (M <= 1) return 1;
  return Math.max(1, Math.floor((maxEvals - 2) / (2 * M - 2)));
}

/** The smallest budget that allows one pair: 2·M + 1 (shap's minimum; one pair needs 2M − 2 plus ∅ and N). */
export function minMaxEvals(M: number): number {
  return 2 * M + 1;
}

export function permutationEstimator(M: number, pairs: number, rng: Rng32): Estimator & { moments(v: Float64Array, fx: Float64Array, base: Float64Array, K: number): PairMoments } {
  const set = new MaskSet(M, Math.min(pairs * 2 * Math.max(M - 1, 0), 1 << 16));
  /** For each pair and step: the coalition index of the forward set S_i and of the backward set N ∖ {π_1..π_i} (−1: ∅ / N). */
  const forward = new Int32Array(pairs * (M + 1));
  const backward = new Int32Array(pairs * (M + 1));
  const orders = new Int32Array(pairs * M);
  const perm = Int32Array.from({ length: M }, (_, i) => i);
  const mask = new Uint8Array(M);
  for (let p = 0; p < pairs; p++) {
    for (let i = M - 1; i > 0; i--) {
      const j = rng.nextBelow(i + 1);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    orders.set(perm, p * M);
    const f = p * (M + 1);
    forward[f] = -1; // ∅
    backward[f] = -2; // N
    mask.fill(0);
    for (let i = 1; i <= M; i++) {
      mask[perm[i - 1]!] = 1;
      forward[f + i] = i === M ? -2 : set.add(mask).index;
    }
    mask.fill(1);
    for (let i = 1; i <= M; i++) {
      mask[perm[i - 1]!] = 0;
      backward[f + i] = i === M ? -1 : set.add(mask).index;
    }
  }
  /** Per pair p: its estimate φ^(p) = (forward + backward contributions) / 2; returns Σ_p φ^(p) and Σ_p (φ^(p))². */
  const moments = (v: Float64Array, fx: Float64Array, base: Float64Array, K: number): PairMoments => {
    const sum = new Float64Array(M * K);
    const sq = new Float64Array(M * K);
    const one = new Float64Array(M * K);
    const at = (c: number, k: number): number => (c === -1 ? base[k]! : c === -2 ? fx[k]! : v[c * K + k]!);
    for (let p = 0; p < pairs; p++) {
      const f = p * (M + 1);
      for (let i = 1; i <= M; i++) {
        const j = orders[p * M + i - 1]!;
        for (let k = 0; k < K; k++) {
          const fw = at(forward[f + i]!, k) - at(forward[f + i - 1]!, k);
          const bw = at(backward[f + i - 1]!, k) - at(backward[f + i]!, k);
          one[j * K + k] = (fw + bw) / 2;
        }
      }
      for (let i = 0; i < one.length; i++) {
        sum[i]! += one[i]!;
        sq[i]! += one[i]! * one[i]!;
      }
    }
    return { sum, sq, pairs };
  };
  return {
    masks: set.masks(),
    count: set.count,
    permutations: pairs,
    moments,
    solve(v, fx, base, K) {
      const { sum } = moments(v, fx, base, K);
      for (let i = 0; i < sum.length; i++) sum[i]! /= pairs;
      return sum;
    },
    stdError(v, fx, base, K) {
      return pairStdError(moments(v, fx, base, K));
    },
  };
}

/** Sums over antithetic pairs of each pair's φ estimate and of its square (M × K each). */
export interface PairMoments {
  readonly sum: Float64Array;
  readonly sq: Float64Array;
  readonly pairs: number;
}

/** Σ of two rounds' moments (disjoint pairs of the same row). */
export function addMoments(a: PairMoments, b: PairMoments): PairMoments {
  return { sum: a.sum.map((x, i) => x + b.sum[i]!), sq: a.sq.map((x, i) => x + b.sq[i]!), pairs: a.pairs + b.pairs };
}

/**
 * Standard error of the mean over pairs, σ_j / √pairs with σ_j the sample standard deviation of the per-pair
 * estimates (pairs are independent; the two orders within a pair are not, which is why the pair is the unit).
 * NaN with fewer than 2 pairs.
 */
export function pairStdError(m: PairMoments): Float64Array {
  const n = m.pairs;
  return m.sum.map((s, i) => {
    if (n < 2) return NaN;
    const variance = Math.max(0, (m.sq[i]! - (s * s) / n) / (n - 1));
    return Math.sqrt(variance / n);
  });
}
