/**
 * Reductions computed the way NumPy computes them, so results agree with scikit-learn to the last bit in the
 * common cases: `np.sum` / `np.mean` of a contiguous float64 array use pairwise summation (8-way unrolled
 * blocks of at most 128 elements), `np.quantile` uses the "linear" method with NumPy's own lerp.
 */

const PW_BLOCKSIZE = 128;

/** `np.add.reduce` of `a[start .. start + n)`: NumPy's pairwise summation (accurate to O(log n) ulps). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start];
    let r1 = a[start + 1];
    let r2 = a[start + 2];
    let r3 = a[start + 3];
    let r4 = a[start + 4];
    let r5 = a[start + 5];
    let r6 = a[start + 6];
    let r7 = a[start + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const j = start + i;
      r0 += a[j];
      r1 += a[j + 1];
      r2 += a[j + 2];
      r3 += a[j + 3];
      r4 += a[j + 4];
      r5 += a[j + 5];
      r6 += a[j + 6];
      r7 += a[j + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `np.mean` (= `np.average` without weights). NaN for an empty array, as NumPy. */
export function mean(a: ArrayLike<number>): number {
  return pairwiseSum(a) / a.length;
}

/**
 * `np.quantile(a, q)` with the default "linear" method, on an array already sorted ascending (NaN-free).
 * The virtual index and the interpolation follow NumPy's `_quantile` / `_lerp` operation by operation.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  // _compute_virtual_index(n, q, alpha=1, beta=1) = n*q + (alpha + q*(1 - alpha - beta)) - 1
  const virtual = n * q + (1 + q * (1 - 1 - 1)) - 1;
  const previous = Math.floor(virtual);
  const gamma = virtual - previous;
  const lo = Math.min(Math.max(previous, 0), n - 1);
  const hi = Math.min(Math.max(previous + 1, 0), n - 1);
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** `np.median`: the middle value, or the mean of the two middle values. Sorts a copy (O(n log n)). */
export function median(a: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(a).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? s[mid] : (0 + s[mid - 1] + s[mid]) / 2;
}
