/**
 * Kernel SHAP (Lundberg & Lee 2017) as shap's KernelExplainer does it:
 * - coalition sizes s and M − s are paired; the Shapley kernel gives size s the weight (M−1)/(s(M−s));
 * - sizes are enumerated completely, smallest first (with their complements), while the budget allows
 *   (so with nsamples ≥ 2^M − 2 every coalition is used and the result is exact);
 * - the rest of the budget is drawn: a size from the remaining kernel weights, a random subset of that size, and
 *   its complement (antithetic pair); repeated draws add weight to the first instead of a new row;
 * - a weighted least-squares fit of v(S) − v(∅) on the masks with efficiency (Σφ = f(x) − v(∅)) enforced exactly
 *   by eliminating the last feature (shap's constrained solve).
 * Optional `topK`: keep the k features with the largest |φ| of that solve and re-solve on them (others 0) — a
 * simple stand-in for shap's `l1_reg="num_features(k)"` (which selects with LARS). Off by default.
 */
import type { Rng32 } from '../shared/rng';
import { MaskSet } from './coalitions';
import type { Estimator } from './estimator';
import { solveSpd } from './linalg';

/** shap's default budget: 2·M + 2048. */
export function defaultNsamples(M: number): number {
  return 2 * M + 2048;
}

export function kernelEstimator(M: number, nsamples: number, rng: Rng32, topK?: number): Estimator & { readonly regularized: boolean } {
  const budget = M <= 30 ? Math.min(nsamples, 2 ** M - 2) : nsamples;
  const set = new MaskSet(M, Math.min(budget, 1 << 16));
  const weights: number[] = [];
  const add = (mask: Uint8Array, w: number): void => {
    const r = set.add(mask);
    if (r.added) weights.push(w);
    else weights[r.index]! += w;
  };

  const sizes = Math.ceil((M - 1) / 2);
  const paired = Math.floor((M - 1) / 2);
  const kernel = Array.from({ length: sizes }, (_, i) => ((M - 1) / ((i + 1) * (M - i - 1))) * (i < paired ? 2 : 1));
  const norm = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < sizes; i++) kernel[i]! /= norm;

  // Enumerate whole sizes while the budget allows.
  let full = 0;
  let left = budget;
  const remaining = [...kernel];
  const mask = new Uint8Array(M);
  for (let s = 1; s <= sizes; s++) {
    let n = binomial(M, s);
    if (s <= paired) n *= 2;
    if ((left * remaining[s - 1]!) / n < 1 - 1e-8) break;
    full++;
    left -= n;
    if (remaining[s - 1]! < 1) {
      const scale = 1 - remaining[s - 1]!;
      for (let i = 0; i < sizes; i++) remaining[i]! /= scale;
    }
    const w = kernel[s - 1]! / binomial(M, s) / (s <= paired ? 2 : 1);
    forEachSubset(M, s, (idx) => {
      mask.fill(0);
      for (const j of idx) mask[j] = 1;
      add(mask, w);
      if (s <= paired) {
        for (let j = 0; j < M; j++) mask[j] = 1 - mask[j]!;
        add(mask, w);
      }
    });
  }

  // Sample the remaining sizes.
  const fixed = set.count;
  /** For each sampled coalition (index − fixed): its draw; a drawn subset and its complement share one. */
  const draw: number[] = [];
  if (full !== sizes && left > 0) {
    const rest = kernel.map((w, i) => (i < paired ? w / 2 : w)).slice(full);
    const restSum = rest.reduce((a, b) => a + b, 0);
    const cdf: number[] = [];
    let acc = 0;
    for (const w of rest) cdf.push((acc += w / restSum));
    const perm = Int32Array.from({ length: M }, (_, i) => i);
    for (let draws = 4 * left; left > 0 && draws > 0; draws--) {
      const u = rng.nextFloat();
      let ind = cdf.findIndex((c) => u < c);
      if (ind < 0) ind = cdf.length - 1;
      const s = ind + full + 1;
      // A random subset of size s: the first s of a partial Fisher–Yates shuffle.
      for (let i = 0; i < s; i++) {
        const j = i + rng.nextBelow(M - i);
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      mask.fill(0);
      for (let i = 0; i < s; i++) mask[perm[i]!] = 1;
      const r = set.add(mask);
      if (r.added) {
        weights.push(1);
        draw.push(draws);
        left--;
      } else weights[r.index]! += 1;
      if (left > 0 && s <= paired) {
        for (let j = 0; j < M; j++) mask[j] = 1 - mask[j]!;
        const c = set.add(mask);
        if (c.added) {
          weights.push(1);
          draw.push(draws);
          left--;
        } else weights[c.index]! += 1;
      }
    }
    const weightLeft = kernel.slice(full).reduce((a, b) => a + b, 0);
    let sampled = 0;
    for (let i = fixed; i < weights.length; i++) sampled += weights[i]!;
    for (let i = fixed; i < weights.length; i++) weights[i]! *= weightLeft / sampled;
  }

  const masks = set.masks();
  const count = set.count;
  let regularized = false;
  return {
    masks,
    count,
    permutations: 0,
    get regularized() {
      return regularized;
    },
    solve(v, fx, base, K) {
      const all = Array.from({ length: M }, (_, j) => j);
      const r = constrainedSolve(masks, count, M, weights, v, fx, base, K, all);
      regularized ||= r.ridge > 0;
      if (topK === undefined || topK >= M) return r.phi;
      // Per output: keep the top-k features of the full solve, re-solve on them.
      const phi = new Float64Array(M * K);
      for (let k = 0; k < K; k++) {
        const keep = all
          .map((j) => ({ j, a: Math.abs(r.phi[j * K + k]!) }))
          .sort((a, b) => b.a - a.a)
          .slice(0, Math.max(topK, 1))
          .map((e) => e.j)
          .sort((a, b) => a - b);
        const one = constrainedSolve(masks, count, M, weights, v, fx.subarray(k, k + 1), base.subarray(k, k + 1), 1, keep, k, K);
        regularized ||= one.ridge > 0;
        for (const j of keep) phi[j * K + k] = one.phi[j]!;
      }
      return phi;
    },
    stdError(v, fx, base, K) {
      return sandwichStdError(masks, count, fixed, draw, M, weights, v, fx, base, K);
    },
  };
}

/**
 * Standard error of the (full, efficiency-constrained) Kernel SHAP fit from its sampled coalitions: the sampled
 * rows are draws, the enumerated sizes are fixed, so the estimate's sampling covariance is the sandwich
 * A⁻¹ (Σ_d g_d g_dᵀ − S·ḡḡᵀ) A⁻¹ over the S draws d, g_d = Σ w_r · residual_r · e_r over the draw's coalitions (a
 * subset and its complement: the pair is the independent unit, and its two terms largely cancel) — the delta
 * method of weighted least squares, A the fit's normal matrix. Costs one (M−1)² inverse and (M−1)² per sampled
 * coalition. Zero when every coalition was enumerated (then φ is exact).
 */
function sandwichStdError(
  masks: Uint8Array,
  count: number,
  fixed: number,
  draw: readonly number[],
  M: number,
  weights: readonly number[],
  v: Float64Array,
  fx: Float64Array,
  base: Float64Array,
  K: number,
): Float64Array {
  const se = new Float64Array(M * K);
  if (M <= 1 || count <= fixed) return se;
  let S = 1;
  for (let i = 1; i < count - fixed; i++) if (draw[i] !== draw[i - 1]) S++;
  if (S < 2) return se.fill(NaN);
  const n = M - 1;
  const last = M - 1;
  const total = Float64Array.from({ length: K }, (_, k) => fx[k]! - base[k]!);
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * K);
  const e = new Float64Array(n);
  const y = new Float64Array(K);
  const load = (r: number): number => {
    const row = r * M;
    const zl = masks[row + last]!;
    for (let i = 0; i < n; i++) e[i] = masks[row + i]! - zl;
    for (let k = 0; k < K; k++) y[k] = v[r * K + k]! - base[k]! - zl * total[k]!;
    return weights[r]!;
  };
  for (let r = 0; r < count; r++) {
    const w = load(r);
    for (let i = 0; i < n; i++) {
      const we = w * e[i]!;
      if (we === 0) continue;
      for (let j = 0; j < n; j++) A[i * n + j]! += we * e[j]!;
      for (let k = 0; k < K; k++) B[i * K + k]! += we * y[k]!;
    }
  }
  const x = solveSpd(A, B, n, K).x;
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const inv = solveSpd(A, identity, n, n).x;
  // Σ u and Σ u² per (feature, output) over draws, u = A⁻¹ g_d; the eliminated feature's u is −Σ_i u_i.
  const s1 = new Float64Array(M * K);
  const s2 = new Float64Array(M * K);
  const a = new Float64Array(n);
  const g = new Float64Array(M * K);
  const flushDraw = (): void => {
    for (let i = 0; i < M * K; i++) {
      s1[i]! += g[i]!;
      s2[i]! += g[i]! * g[i]!;
    }
    g.fill(0);
  };
  for (let r = fixed; r < count; r++) {
    if (r > fixed && draw[r - fixed] !== draw[r - fixed - 1]) flushDraw();
    const w = load(r);
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += inv[i * n + j]! * e[j]!;
      a[i] = t;
    }
    for (let k = 0; k < K; k++) {
      let fit = 0;
      for (let i = 0; i < n; i++) fit += e[i]! * x[i * K + k]!;
      const c = w * (y[k]! - fit);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const u = c * a[i]!;
        sum += u;
        g[i * K + k]! += u;
      }
      g[last * K + k]! -= sum;
    }
  }
  flushDraw();
  for (let i = 0; i < M * K; i++) se[i] = Math.sqrt(Math.max(0, s2[i]! - (s1[i]! * s1[i]!) / S));
  return se;
}

/**
 * Weighted least squares of y = v − base on the mask columns `cols`, with Σφ = f(x) − base exactly: the last
 * column is eliminated (φ_last = total − Σ others). `vOffset`/`vStride` pick one output column of v.
 */
function constrainedSolve(
  masks: Uint8Array,
  count: number,
  M: number,
  weights: readonly number[],
  v: Float64Array,
  fx: Float64Array,
  base: Float64Array,
  K: number,
  cols: readonly number[],
  vOffset = 0,
  vStride = K,
): { phi: Float64Array; ridge: number } {
  const phi = new Float64Array(M * K);
  const total = Float64Array.from({ length: K }, (_, k) => fx[k]! - base[k]!);
  const m = cols.length;
  if (m === 0) return { phi, ridge: 0 };
  const last = cols[m - 1]!;
  if (m === 1) {
    for (let k = 0; k < K; k++) phi[last * K + k] = total[k]!;
    return { phi, ridge: 0 };
  }
  const n = m - 1;
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * K);
  const e = new Float64Array(n);
  const y = new Float64Array(K);
  for (let r = 0; r < count; r++) {
    const row = r * M;
    const zl = masks[row + last]!;
    for (let i = 0; i < n; i++) e[i] = masks[row + cols[i]!]! - zl;
    for (let k = 0; k < K; k++) y[k] = v[r * vStride + vOffset + k]! - base[k]! - zl * total[k]!;
    const w = weights[r]!;
    for (let i = 0; i < n; i++) {
      const we = w * e[i]!;
      if (we === 0) continue;
      for (let j = 0; j <= i; j++) A[i * n + j]! += we * e[j]!;
      for (let k = 0; k < K; k++) B[i * K + k]! += we * y[k]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j]!;
  const { x, ridge } = solveSpd(A, B, n, K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      phi[cols[i]! * K + k] = x[i * K + k]!;
      s += x[i * K + k]!;
    }
    phi[last * K + k] = total[k]! - s;
  }
  return { phi, ridge };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Calls `fn` with every k-subset of 0..n−1 (lexicographic), reusing one index array. */
function forEachSubset(n: number, k: number, fn: (idx: Int32Array) => void): void {
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  for (;;) {
    fn(idx);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}
