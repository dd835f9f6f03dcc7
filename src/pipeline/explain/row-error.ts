/** The estimated error of an explained row's φ, absolute and relative to the row's attributions. */

/** E|Z| / σ for a normal Z: turns a standard error into the expected absolute error. */
const MEAN_ABS_PER_SD = Math.sqrt(2 / Math.PI);

/**
 * For one row (φ and its standard errors, M × K) over the given outputs: the largest standard error, and the
 * expected relative L1 error Σ_jk E|φ̂_jk − φ_jk| / Σ_jk |φ̂_jk| ≈ √(2/π) · Σ SE / Σ |φ̂| (errors taken as normal)
 * — the measure the explain bench's "≤ 2% error" uses. 0 when every SE is 0; NaN when an SE is unknown.
 */
export function rowError(phi: Float64Array, se: Float64Array, M: number, K: number, outputs: readonly number[]): { max: number; relative: number } {
  let max = 0;
  let seSum = 0;
  let total = 0;
  for (const k of outputs) {
    for (let j = 0; j < M; j++) {
      const s = se[j * K + k]!;
      max = Number.isNaN(s) || Number.isNaN(max) ? NaN : Math.max(max, s);
      seSum += s;
      total += Math.abs(phi[j * K + k]!);
    }
  }
  if (Number.isNaN(max)) return { max, relative: NaN };
  return { max, relative: seSum === 0 ? 0 : total > 0 ? (MEAN_ABS_PER_SD * seSum) / total : Infinity };
}
