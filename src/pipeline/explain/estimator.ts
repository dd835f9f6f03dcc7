/** What every Shapley estimator gives for one explained row, in the space of its M varying features. */

export interface Estimator {
  /** Coalitions to evaluate: count × M bytes (1 = from x). Never the empty or the full set (their v is base / f(x)). */
  readonly masks: Uint8Array;
  readonly count: number;
  /** Antithetic permutation pairs (permutation) or 0. */
  readonly permutations: number;
  /** φ, M × K, from v of each coalition (count × K), f(x) and the base value (K each). */
  solve(v: Float64Array, fx: Float64Array, base: Float64Array, K: number): Float64Array;
  /**
   * Per-feature standard error of φ (M × K) from the same v, for sampling estimators (NaN where it cannot be told;
   * absent for exact).
   */
  stdError?(v: Float64Array, fx: Float64Array, base: Float64Array, K: number): Float64Array;
}
