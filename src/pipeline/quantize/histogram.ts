/**
 * Histogram calibration as onnxruntime's HistogramCalibrater does it (calibrate.py, HistogramCollector):
 * - `collect_value` (entropy; percentile with asymmetric activations): a histogram over [−t, t], t = max|x| so far,
 *   `numBins` bins at first; when a batch exceeds t, the histogram grows by whole bins of the same width on both
 *   sides (merge_histogram), so earlier counts keep their bins;
 * - `collect_absolute_value` (percentile with symmetric activations): a histogram of |x| from 0, growing to the right.
 * Percentile: thresholds at the edges where the CDF crosses (100 − p)/200 and 1 − (100 − p)/200 (symmetric: p/100
 * of |x|). Entropy: the threshold whose clipped distribution, merged into `numQuantizedBins` bins, has the smallest
 * KL divergence from the original (get_entropy_threshold with smooth_distribution, eps = 1e-4), clipped to the
 * observed [min, max].
 */

/** Counts over equal-width bins; edges lo + i·width. */
export interface Histogram {
  readonly counts: Float64Array;
  readonly lo: number;
  readonly width: number;
  readonly min: number;
  readonly max: number;
}

function edge(h: Histogram, i: number): number {
  return h.lo + i * h.width;
}

/** Adds `x` to `counts` over [lo, lo + n·width) like numpy.histogram (the last bin is closed). */
function addValues(counts: Float64Array, x: ArrayLike<number>, lo: number, width: number, abs: boolean): void {
  const n = counts.length;
  if (!(width > 0)) {
    // A zero-width range (all values equal, e.g. 0): everything lands in the bin holding lo.
    counts[Math.min(n - 1, Math.floor(n / 2))]! += x.length;
    return;
  }
  const inv = 1 / width;
  for (let i = 0; i < x.length; i++) {
    let v = x[i]!;
    if (v !== v) continue;
    if (abs && v < 0) v = -v;
    let b = Math.floor((v - lo) * inv);
    if (b >= n) b = n - 1;
    if (b < 0) b = 0;
    counts[b]!++;
  }
}

function minMax(x: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return x.length ? { min, max } : { min: 0, max: 0 };
}

/** One tensor's histogram over a symmetric range [−t, t] (collect_value / merge_histogram). */
export class SymmetricHistogram {
  private counts: Float64Array | undefined;
  private threshold = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly numBins: number) {}

  add(x: ArrayLike<number>): void {
    const mm = minMax(x);
    this.min = Math.min(this.min, mm.min);
    this.max = Math.max(this.max, mm.max);
    const t = Math.max(Math.abs(mm.min), Math.abs(mm.max));
    if (!this.counts) {
      this.counts = new Float64Array(this.numBins);
      this.threshold = t;
      addValues(this.counts, x, -t, (2 * t) / this.numBins, false);
      return;
    }
    const old = this.counts;
    const oldT = this.threshold;
    if (t <= oldT) {
      addValues(old, x, -oldT, (2 * oldT) / old.length, false);
      return;
    }
    if (oldT === 0) {
      const fresh = new Float64Array(old.length);
      addValues(fresh, x, -t, (2 * t) / old.length, false);
      let zeros = 0;
      for (const c of old) zeros += c;
      fresh[Math.floor(old.length / 2)]! += zeros;
      this.counts = fresh;
      this.threshold = t;
      return;
    }
    const stride = (2 * oldT) / old.length;
    const half = Math.floor((t - oldT) / stride) + 1;
    const bins = old.length + 2 * half;
    const newT = half * stride + oldT;
    const fresh = new Float64Array(bins);
    addValues(fresh, x, -newT, (2 * newT) / bins, false);
    for (let i = 0; i < old.length; i++) fresh[half + i]! += old[i]!;
    this.counts = fresh;
    this.threshold = newT;
  }

  get histogram(): Histogram {
    const counts = this.counts ?? new Float64Array(this.numBins);
    const t = this.threshold;
    return { counts, lo: -t, width: (2 * t) / counts.length, min: this.min === Infinity ? 0 : this.min, max: this.max === -Infinity ? 0 : this.max };
  }
}

/** One tensor's histogram of |x| over [0, amax] (collect_absolute_value). */
export class AbsoluteHistogram {
  private counts: Float64Array | undefined;
  private width = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly numBins: number) {}

  add(x: ArrayLike<number>): void {
    const mm = minMax(x);
    this.min = Math.min(this.min, mm.min);
    this.max = Math.max(this.max, mm.max);
    const amax = Math.max(Math.abs(mm.min), Math.abs(mm.max));
    if (!this.counts || this.width === 0) {
      const prev = this.counts;
      this.counts = new Float64Array(this.numBins);
      this.width = amax / this.numBins;
      addValues(this.counts, x, 0, this.width, true);
      if (prev) for (const c of prev) this.counts[0]! += c;
      return;
    }
    const top = this.counts.length * this.width;
    if (amax > top) {
      const extra = Math.ceil((amax - top) / this.width);
      const grown = new Float64Array(this.counts.length + extra);
      grown.set(this.counts);
      this.counts = grown;
    }
    addValues(this.counts, x, 0, this.width, true);
  }

  get histogram(): Histogram {
    const counts = this.counts ?? new Float64Array(this.numBins);
    return { counts, lo: 0, width: this.width, min: this.min === Infinity ? 0 : this.min, max: this.max === -Infinity ? 0 : this.max };
  }
}

/** First index whose cumulative fraction reaches `q` (numpy.searchsorted(cdf, q), side left). */
function searchCdf(counts: Float64Array, total: number, q: number): number {
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i]!;
    if (acc / total >= q) return i;
  }
  return counts.length - 1;
}

/** Percentile range of a histogram (compute_percentile). `absolute` histograms give a symmetric range. */
export function percentileRange(h: Histogram, percentile: number, absolute: boolean): [number, number] {
  let total = 0;
  for (const c of h.counts) total += c;
  if (total === 0) return [0, 0];
  if (absolute) {
    const t = edge(h, searchCdf(h.counts, total, percentile / 100));
    return [-t, t];
  }
  const cut = (100 - percentile) / 200;
  return [edge(h, searchCdf(h.counts, total, cut)), edge(h, searchCdf(h.counts, total, 1 - cut))];
}

const SMOOTH_EPS = 0.0001;

/**
 * KL divergence (scipy.stats.entropy) between p and q after smooth_distribution (eps of mass moved onto empty bins,
 * taken evenly from the others, float32 values as numpy holds them), over the first `n` bins; Infinity when either
 * is all zeros. Smoothing keeps each sum, so the normalizers are Σp and Σq.
 */
function smoothedKl(p: Float64Array, q: Float64Array, n: number): number {
  let zp = 0;
  let zq = 0;
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] === 0) zp++;
    if (q[i] === 0) zq++;
    sp += p[i]!;
    sq += q[i]!;
  }
  if (zp === n || zq === n) return Infinity;
  const e1p = (SMOOTH_EPS * zp) / (n - zp);
  const e1q = (SMOOTH_EPS * zq) / (n - zq);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const a = (p[i] === 0 ? SMOOTH_EPS : Math.fround(p[i]!) - e1p) / sp;
    const b = (q[i] === 0 ? SMOOTH_EPS : Math.fround(q[i]!) - e1q) / sq;
    if (a > 0) kl += a * Math.log(a / b);
  }
  return kl;
}

/** The entropy (KL) threshold of a symmetric histogram (get_entropy_threshold). */
export function entropyRange(h: Histogram, numQuantizedBins: number): [number, number] {
  const hist = h.counts;
  const numBins = hist.length;
  const zero = Math.floor(numBins / 2);
  const halfQ = Math.floor(numQuantizedBins / 2);
  let best = Infinity;
  let range: [number, number] = [edge(h, 0), edge(h, numBins)];
  const prefix = new Float64Array(numBins + 1);
  for (let i = 0; i < numBins; i++) prefix[i + 1] = prefix[i]! + hist[i]!;
  const p = new Float64Array(numBins);
  const q = new Float64Array(numBins);
  for (let i = halfQ; i <= zero; i++) {
    const start = zero - i;
    const end = Math.min(zero + i + 1, numBins);
    const size = end - start;
    for (let k = 0; k < size; k++) p[k] = hist[start + k]!;
    p[0]! += prefix[start]!;
    p[size - 1]! += prefix[numBins]! - prefix[end]!;
    // Merge into numQuantizedBins bins (the remainder joins the last), then expand back over p's non-empty bins,
    // with the integer division onnxruntime's int64 array does.
    const merged = Math.floor(size / numQuantizedBins);
    q.fill(0, 0, size);
    for (let b = 0; b < numQuantizedBins; b++) {
      const k0 = b * merged;
      const k1 = b === numQuantizedBins - 1 ? size : k0 + merged;
      const sum = prefix[start + k1]! - prefix[start + k0]!;
      let norm = 0;
      for (let k = k0; k < k0 + merged; k++) if (p[k] !== 0) norm++;
      if (norm === 0) continue;
      const v = Math.trunc(sum / norm);
      for (let k = k0; k < k0 + merged; k++) q[k] = v;
    }
    const kl = smoothedKl(p, q, size);
    if (kl < best || i === halfQ) {
      best = kl;
      range = [edge(h, start), edge(h, end)];
    }
  }
  return [Math.max(range[0], h.min), Math.min(range[1], h.max)];
}
