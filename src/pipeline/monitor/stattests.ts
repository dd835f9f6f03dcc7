/**
 * The drift tests, by Evidently's names and definitions, with scipy's values. Each takes the reference and current
 * samples of one column (missing values dropped) and returns the statistic, the p-value (p-value tests) and the
 * verdict at a threshold.
 */
import type { ColumnKind, StatTestName } from '../../protocol/drift';
import { binnedShares, histogramCounts, sturgesEdges } from './binning';
import { ks2samp } from './kolmogorov';
import { countAtMost, countBelow, mergeSorted, sortKeys, std, unionKeys, type ColumnSample } from './samples';
import { chiSquaredSf, normalCdf } from './special';

export interface TestOutcome {
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly drift: boolean;
  /** Something the user should know about this column's value (e.g. the wasserstein floor). */
  readonly note?: string;
}

export interface StatTest {
  readonly name: StatTestName;
  /** Evidently's default threshold. */
  readonly defaultThreshold: number;
  /** The column kinds Evidently allows the test on. */
  readonly kinds: readonly ColumnKind[];
  /** Needs the values themselves (numbers), not just counts. */
  readonly needsValues: boolean;
  run(ref: ColumnSample, cur: ColumnSample, kind: ColumnKind, threshold: number): TestOutcome;
}

/** Evidently's floor of the reference's standard deviation in the normed Wasserstein distance. */
export const WASSERSTEIN_STD_FLOOR = 0.001;

const ks: StatTest = {
  name: 'ks',
  defaultThreshold: 0.05,
  kinds: ['numerical'],
  needsValues: true,
  run(ref, cur, _kind, threshold) {
    const r = ks2samp(ref.values!, cur.values!);
    // Evidently: drift when p ≤ threshold (the other p-value tests use <).
    return { statistic: r.statistic, pValue: r.pValue, drift: r.pValue <= threshold };
  },
};

/** χ² of the current counts against the reference shares scaled to the current size (scipy.stats.chisquare). */
export function chiSquare(ref: ColumnSample, cur: ColumnSample): { statistic: number; pValue: number } {
  const keys = unionKeys(ref, cur);
  const rc = ref.counts();
  const cc = cur.counts();
  const scale = cur.n / ref.n;
  let stat = 0;
  for (const k of keys) {
    const expected = (rc.get(k) ?? 0) * scale;
    const observed = cc.get(k) ?? 0;
    stat += ((observed - expected) * (observed - expected)) / expected;
  }
  if (keys.length < 2) return { statistic: 0, pValue: 1 };
  return { statistic: stat, pValue: stat === Infinity ? 0 : chiSquaredSf(stat, keys.length - 1) };
}

const chisquare: StatTest = {
  name: 'chisquare',
  defaultThreshold: 0.05,
  kinds: ['categorical'],
  needsValues: false,
  run(ref, cur, _kind, threshold) {
    const r = chiSquare(ref, cur);
    return { statistic: r.statistic, pValue: r.pValue, drift: r.pValue < threshold };
  },
};

/** Two-proportion z-test, two-sided: the share of values other than the smallest key, reference vs current. */
const z: StatTest = {
  name: 'z',
  defaultThreshold: 0.05,
  kinds: ['categorical'],
  needsValues: false,
  run(ref, cur, _kind, threshold) {
    const keys = sortKeys(unionKeys(ref, cur));
    if (keys.length <= 1) return { statistic: 0, pValue: 1, drift: false };
    const first = keys[0]!;
    const n1 = ref.n;
    const n2 = cur.n;
    const p1 = (n1 - (ref.counts().get(first) ?? 0)) / n1;
    const p2 = (n2 - (cur.counts().get(first) ?? 0)) / n2;
    const p = (p1 * n1 + p2 * n2) / (n1 + n2);
    const stat = (p1 - p2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    const pValue = 2 * (1 - normalCdf(Math.abs(stat)));
    return { statistic: stat, pValue, drift: pValue < threshold };
  },
};

/** scipy.stats.wasserstein_distance: ∫ |U(x) − V(x)| dx over the empirical CDFs (both ascending), walked in merged order. */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i + j < nu + nv - 1) {
    const x = i < nu && (j >= nv || u[i]! <= v[j]!) ? u[i++]! : v[j++]!;
    const next = i < nu && (j >= nv || u[i]! <= v[j]!) ? u[i]! : v[j]!;
    // Between equal values the step is 0; after the last copy of x the counts are those of the values ≤ x.
    sum += Math.abs(i / nu - j / nv) * (next - x);
  }
  return sum;
}

const wasserstein: StatTest = {
  name: 'wasserstein',
  defaultThreshold: 0.1,
  kinds: ['numerical'],
  needsValues: true,
  run(ref, cur, _kind, threshold) {
    const sd = std(ref.values!);
    const norm = Math.max(sd, WASSERSTEIN_STD_FLOOR);
    const d = wassersteinDistance(ref.values!, cur.values!) / norm;
    const note = sd < WASSERSTEIN_STD_FLOOR ? `the reference's standard deviation is ${sd === 0 ? '0 (a constant column)' : sd}; the distance is divided by Evidently's floor ${WASSERSTEIN_STD_FLOOR} instead` : undefined;
    return { statistic: d, pValue: null, drift: d >= threshold, ...(note ? { note } : {}) };
  },
};

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalise(p: Float64Array): Float64Array {
  let s = 0;
  for (const x of p) s += x;
  return p.map((x) => x / s);
}

/** scipy.spatial.distance.jensenshannon(p, q) (natural log): √(JS divergence). */
export function jensenShannonDistance(p0: Float64Array, q0: Float64Array): number {
  const p = normalise(p0);
  const q = normalise(q0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    left += relEntr(p[i]!, m);
    right += relEntr(q[i]!, m);
  }
  return Math.sqrt((left + right) / 2);
}

const jensenshannon: StatTest = {
  name: 'jensenshannon',
  defaultThreshold: 0.1,
  kinds: ['categorical', 'numerical'],
  needsValues: false,
  run(ref, cur, kind, threshold) {
    const b = binnedShares(ref, cur, kind, false);
    const d = jensenShannonDistance(b.reference, b.current);
    return { statistic: d, pValue: null, drift: d >= threshold };
  },
};

const psi: StatTest = {
  name: 'psi',
  defaultThreshold: 0.1,
  kinds: ['categorical', 'numerical'],
  needsValues: false,
  run(ref, cur, kind, threshold) {
    const b = binnedShares(ref, cur, kind, true);
    let v = 0;
    for (let i = 0; i < b.reference.length; i++) v += (b.reference[i]! - b.current[i]!) * Math.log(b.reference[i]! / b.current[i]!);
    return { statistic: v, pValue: null, drift: v >= threshold };
  },
};

/** scipy.stats.entropy(p, q): Σ p·ln(p/q) after normalising both. */
const klDiv: StatTest = {
  name: 'kl_div',
  defaultThreshold: 0.1,
  kinds: ['categorical', 'numerical'],
  needsValues: false,
  run(ref, cur, kind, threshold) {
    const b = binnedShares(ref, cur, kind, true);
    const p = normalise(b.reference);
    const q = normalise(b.current);
    let v = 0;
    for (let i = 0; i < p.length; i++) v += relEntr(p[i]!, q[i]!);
    return { statistic: v, pValue: null, drift: v >= threshold };
  },
};

/** Scholz & Stephens' midrank A²akN (scipy's `_anderson_ksamp_midrank`) for two ascending samples. */
function andersonMidrank(samples: readonly Float64Array[], Z: Float64Array): number {
  const N = Z.length;
  let total = 0;
  for (const s of samples) {
    const ni = s.length;
    let inner = 0;
    for (let a = 0; a < N; ) {
      let b = a + 1;
      while (b < N && Z[b] === Z[a]) b++;
      const zj = Z[a]!;
      const lj = b - a;
      const Bj = a + lj / 2;
      const right = countAtMost(s, zj);
      const fij = right - countBelow(s, zj);
      const Mij = right - fij / 2;
      inner += ((lj / N) * (N * Mij - Bj * ni) ** 2) / (Bj * (N - Bj) - (N * lj) / 4);
      a = b;
    }
    total += inner / ni;
  }
  return (total * (N - 1)) / N;
}

/** Least-squares quadratic through (x, y) (numpy.polyfit(x, y, 2)): [c2, c1, c0]. */
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  // Normal equations on centred, scaled x for conditioning.
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const sx = Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) / n);
  const t = x.map((v) => (v - mx) / sx);
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    let p = 1;
    for (let k = 0; k < 5; k++) {
      S[k]! += p;
      if (k < 3) T[k]! += p * y[i]!;
      p *= t[i]!;
    }
  }
  // Solve [[S0 S1 S2][S1 S2 S3][S2 S3 S4]] · [a0 a1 a2] = T by Cramer's rule.
  const M = [
    [S[0]!, S[1]!, S[2]!],
    [S[1]!, S[2]!, S[3]!],
    [S[2]!, S[3]!, S[4]!],
  ];
  const det3 = (m: number[][]): number =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const D = det3(M);
  const col = (c: number): number[][] => M.map((row, i) => row.map((v, j) => (j === c ? T[i]! : v)));
  const a0 = det3(col(0)) / D;
  const a1 = det3(col(1)) / D;
  const a2 = det3(col(2)) / D;
  // Back to powers of x: a0 + a1·(x−mx)/sx + a2·((x−mx)/sx)².
  const c2 = a2 / (sx * sx);
  const c1 = a1 / sx - (2 * a2 * mx) / (sx * sx);
  const c0 = a0 - (a1 * mx) / sx + (a2 * mx * mx) / (sx * sx);
  return [c2, c1, c0];
}

const AD_SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const AD_B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const AD_B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const AD_B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** scipy.stats.anderson_ksamp([ref, cur]) (midrank): the standardised A² and its interpolated, capped p-value. */
export function andersonKsamp(ref: Float64Array, cur: Float64Array): { statistic: number; pValue: number } | undefined {
  const Z = mergeSorted(ref, cur);
  const N = Z.length;
  if (N < 2 || Z[0] === Z[N - 1]) return undefined;
  const k = 2;
  const A2kN = andersonMidrank([ref, cur], Z);
  const H = 1 / ref.length + 1 / cur.length;
  // hs_cs[t] = Σ_{i=N−1-t}^{N−1} 1/i … cumulative sums of 1/(N−1), 1/(N−2), …, 1/2.
  let cum = 0;
  let g = 0;
  for (let t = 0; t < N - 2; t++) {
    cum += 1 / (N - 1 - t);
    g += cum / (t + 2);
  }
  const h = cum + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const A2 = (A2kN - m) / Math.sqrt(sigmasq);
  const critical = AD_B0.map((b0, i) => b0 + AD_B1[i]! / Math.sqrt(m) + AD_B2[i]! / m);
  let p: number;
  if (A2 < Math.min(...critical)) p = 0.25;
  else if (A2 > Math.max(...critical)) p = 0.001;
  else {
    const [c2, c1, c0] = quadraticFit(critical, AD_SIG.map(Math.log));
    p = Math.exp((c2 * A2 + c1) * A2 + c0);
  }
  return { statistic: A2, pValue: p };
}

const anderson: StatTest = {
  name: 'anderson',
  defaultThreshold: 0.1,
  kinds: ['numerical'],
  needsValues: true,
  run(ref, cur, _kind, threshold) {
    const r = andersonKsamp(ref.values!, cur.values!);
    if (!r) return { statistic: null, pValue: 1, drift: false, note: 'every value is the same in both files; the Anderson–Darling test needs two distinct values (p-value 1)' };
    return { statistic: r.statistic, pValue: r.pValue, drift: r.pValue < threshold };
  },
};

/** Evidently's Hellinger distance: by value (categorical), or on density histograms over the distinct values' sturges edges. */
const hellinger: StatTest = {
  name: 'hellinger',
  defaultThreshold: 0.1,
  kinds: ['categorical', 'numerical'],
  needsValues: false,
  run(ref, cur, kind, threshold) {
    let bc = 0;
    if (kind === 'categorical' || !ref.values || !cur.values) {
      const rc = ref.counts();
      const cc = cur.counts();
      for (const key of unionKeys(ref, cur)) bc += Math.sqrt(((rc.get(key) ?? 0) / ref.n) * ((cc.get(key) ?? 0) / cur.n));
    } else {
      const keys = unionKeys(ref, cur) as number[];
      let min = Infinity;
      let max = -Infinity;
      for (const x of keys) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      const edges = sturgesEdges(min, max, keys.length);
      const bins = edges.length - 1;
      const h1 = histogramCounts(ref.values, edges);
      const h2 = histogramCounts(cur.values, edges);
      const width = (max - min) / bins;
      for (let i = 0; i < bins; i++) {
        const w = edges[i + 1]! - edges[i]!;
        bc += Math.sqrt((h1[i]! / (ref.n * w)) * (h2[i]! / (cur.n * w))) * width;
      }
    }
    const d = Math.sqrt(1 - Math.min(1, Math.max(0, bc)));
    const constant = kind === 'numerical' && ref.values && cur.values && ref.values[0] === ref.values[ref.n - 1] && cur.values[0] === ref.values[0] && cur.values[cur.n - 1] === ref.values[0];
    const note = constant ? "every value is the same in both files; Evidently's numerical Hellinger distance (histogram bin width 0) is 1 here" : undefined;
    return { statistic: d, pValue: null, drift: d >= threshold, ...(note ? { note } : {}) };
  },
};

export const STAT_TEST_TABLE: Readonly<Record<StatTestName, StatTest>> = {
  ks,
  chisquare,
  z,
  wasserstein,
  jensenshannon,
  psi,
  kl_div: klDiv,
  anderson,
  hellinger,
};
