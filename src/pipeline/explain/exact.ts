/**
 * Exact Shapley values: all 2^M coalitions, φ_i = Σ_{S ⊆ N∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)).
 * Coalition s (a bitmask, bit j = feature j) is evaluated at index s − 1; v(∅) = base, v(N) = f(x).
 */
import type { Estimator } from './estimator';
import { ExplainError } from './errors';

/** Features above which exact is refused. */
export const EXACT_MAX_FEATURES = 14;

/** The refusal for too many features, with the cost it would have. */
export function exactTooLarge(M: number, backgroundRows: number): ExplainError {
  const coalitions = 2 ** M;
  const rows = coalitions * backgroundRows;
  const fmt = (n: number) => (n < 1e15 ? n.toLocaleString('en-US') : n.toExponential(2));
  return new ExplainError(
    'too-many-features',
    `exact needs 2^M = 2^${M} = ${fmt(coalitions)} coalitions × ${backgroundRows} background rows = ${fmt(rows)} model rows per explained row ` +
      `(exact is limited to M ≤ ${EXACT_MAX_FEATURES} features); use --method kernel or permutation`,
  );
}

export function exactEstimator(M: number): Estimator {
  if (M > EXACT_MAX_FEATURES) throw new ExplainError('too-many-features', `exact Shapley values need M ≤ ${EXACT_MAX_FEATURES}, got ${M}`);
  const full = 2 ** M - 1;
  const count = Math.max(full - 1, 0);
  const masks = new Uint8Array(count * M);
  for (let s = 1; s < full; s++) for (let j = 0; j < M; j++) masks[(s - 1) * M + j] = (s >> j) & 1;
  // w[k] = k!(M−k−1)!/M! = 1 / (M · C(M−1, k))
  const w = new Float64Array(Math.max(M, 1));
  let binom = 1;
  for (let k = 0; k < M; k++) {
    w[k] = 1 / (M * binom);
    binom = (binom * (M - 1 - k)) / (k + 1);
  }
  const popcount = (s: number): number => {
    let c = 0;
    for (let v = s; v; v &= v - 1) c++;
    return c;
  };
  return {
    masks,
    count,
    permutations: 0,
    solve(v, fx, base, K) {
      const phi = new Float64Array(M * K);
      const at = (s: number, k: number): number => (s === 0 ? base[k]! : s === full ? fx[k]! : v[(s - 1) * K + k]!);
      for (let s = 0; s < full; s++) {
        const weight = w[popcount(s)]!;
        for (let i = 0; i < M; i++) {
          if ((s >> i) & 1) continue;
          const withI = s | (1 << i);
          for (let k = 0; k < K; k++) phi[i * K + k]! += weight * (at(withI, k) - at(s, k));
        }
      }
      return phi;
    },
  };
}
