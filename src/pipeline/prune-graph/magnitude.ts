/**
 * Unstructured magnitude pruning: the weights of smallest |w| are set to 0. A threshold is found by selection
 * (quickselect over a Float32Array of magnitudes, no sort of boxed numbers), and ties at the threshold are broken
 * by position (earlier weights first) so that exactly the requested count is zero.
 */

/** The k-th smallest (0-based) value of `values`, which is reordered in place. */
export function selectKth(values: Float32Array, k: number): number {
  if (k < 0 || k >= values.length) throw new RangeError(`selectKth: k ${k} outside 0..${values.length - 1}`);
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const a = values[lo]!;
    const b = values[(lo + hi) >>> 1]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = values[i]!;
      if (v < pivot) {
        values[i] = values[lt]!;
        values[lt++] = v;
        i++;
      } else if (v > pivot) {
        values[i] = values[gt]!;
        values[gt--] = v;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return values[lo]!;
}

/** |w| of every weight, as a new array. */
export function magnitudes(w: Float32Array): Float32Array {
  const m = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) m[i] = Math.abs(w[i]!);
  return m;
}

/**
 * Zeros every weight with |w| < `threshold` and, in index order, up to `ties` weights with |w| == `threshold`.
 * Returns how many of the ties were used.
 */
export function applyThreshold(w: Float32Array, threshold: number, ties: number): number {
  let used = 0;
  for (let i = 0; i < w.length; i++) {
    const a = Math.abs(w[i]!);
    if (a < threshold) w[i] = 0;
    else if (a === threshold && used < ties) {
      w[i] = 0;
      used++;
    }
  }
  return used;
}

/** Count of |w| strictly below `threshold`. */
export function countBelow(mags: Float32Array, threshold: number): number {
  let n = 0;
  for (let i = 0; i < mags.length; i++) if (mags[i]! < threshold) n++;
  return n;
}

/** Zeros exactly `count` weights of `w` (in place): those of smallest |w|, ties broken by index. */
export function pruneSmallest(w: Float32Array, count: number): void {
  if (count <= 0) return;
  if (count >= w.length) {
    w.fill(0);
    return;
  }
  const mags = magnitudes(w);
  const threshold = selectKth(mags, count - 1);
  // selectKth reordered `mags`, but a count does not care about order.
  applyThreshold(w, threshold, count - countBelow(mags, threshold));
}

/** Number of exact zeros. */
export function countZeros(w: Float32Array): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) if (w[i] === 0) n++;
  return n;
}
