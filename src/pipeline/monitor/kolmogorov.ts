/**
 * The two-sample Kolmogorov–Smirnov test as scipy.stats.ks_2samp(alternative='two-sided', method='auto') computes
 * it: the exact p-value when both samples hold at most 10,000 values (lattice-path counting: the closed form for
 * n = m, Hodges' "inside" recursion in Viehmann's 1 − p form otherwise), else the one-sample Kolmogorov
 * distribution `kstwo.sf(D, round(mn/(m+n)))` (Simard & L'Ecuyer's choice of method per n and D).
 */
import { logBinomial, logGamma } from './special';

/** scipy's MAX_AUTO_N: 'auto' is exact when both samples have at most this many values. */
export const KS_MAX_EXACT_N = 10000;

export interface KsResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'asymp';
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** KS on two ascending-sorted samples (no NaN). */
export function ks2samp(a: Float64Array, b: Float64Array): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  const g = gcd(n1, n2);
  const f1 = n2 / g; // cdf1 * lcm = count1 * f1
  const f2 = n1 / g;
  // The largest |count1·n2/g − count2·n1/g| over the merged values: D·lcm, an integer.
  let i = 0;
  let j = 0;
  let h = 0;
  let maxFloat = 0;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = Math.abs(i * f1 - j * f2);
    if (diff > h) {
      h = diff;
      maxFloat = Math.abs(i / n1 - j / n2);
    }
  }
  const lcm = f2 * n2;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(Math.round(en), maxFloat);
  return { statistic: maxFloat, pValue: Math.min(1, Math.max(0, p)), method: 'asymp' };
}

/** P(D_{n,n} ≥ h/n): 2·Σ (−1)^(k+1) C(2n, n−kh)/C(2n, n), Horner-like to avoid cancellation. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * 1 − (share of lattice paths from (0,0) to (m,n) staying strictly inside |x/m − y/n| < h/lcm), by the column
 * recursion A(i, j) = (i·A(i−1, j) + j·A(i, j−1)) / (i + j) over a sliding window, which keeps every value in [0, 1].
 */
function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(Math.max(lenA, 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

/**
 * P(D_n ≥ x) of the one-sample two-sided Kolmogorov statistic (scipy.stats.kstwo.sf): Ruben–Gambino's closed forms
 * at the ends, 2·smirnov for large n·x², Durbin's matrix for n ≤ 140, Pelz–Good's expansion above. (Where
 * n ≤ 100,000 and n·x^1.5 ≤ 1.4 scipy takes Durbin's matrix for n > 140 too — p-values near 1 there; the two
 * differ by < 3e-6, measured on a grid.)
 */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = Math.exp(logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    return 1 - cdf;
  }
  if (t >= n - 1) return 2 * Math.pow(1 - x, n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  return clip(1 - pelzGoodCdf(n, x));
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** P(D⁺_n ≥ x), the one-sided exact (Birnbaum–Tingey) sum, term by term in log space. */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x) + 1e-12);
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const u = 1 - x - j / n;
    if (u <= 0) continue;
    const v = x + j / n;
    sum += Math.exp(logBinomial(n, j) + (n - j) * Math.log(u) + (j - 1) * Math.log(v));
  }
  return x * sum;
}

/** Durbin's matrix form (Marsaglia, Tsang & Wang 2003) of P(D_n < x), with scaling against overflow. */
function durbinCdf(n: number, d: number): number {
  const k = Math.floor(n * d) + 1;
  const m = 2 * k - 1;
  const h = k - n * d;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = i - j + 1 >= 0 ? 1 : 0;
  for (let i = 0; i < m; i++) {
    H[i * m] -= Math.pow(h, i + 1);
    H[(m - 1) * m + i] -= Math.pow(h, m - i);
  }
  H[(m - 1) * m] += 2 * h - 1 > 0 ? Math.pow(2 * h - 1, m) : 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i - j + 1 > 0) for (let g = 1; g <= i - j + 1; g++) H[i * m + j] /= g;
    }
  }
  const { matrix, exponent } = matrixPower(H, m, n);
  let s = matrix[(k - 1) * m + (k - 1)]!;
  let e = exponent;
  for (let i = 1; i <= n; i++) {
    s = (s * i) / n;
    if (s < 1e-140) {
      s *= 1e140;
      e -= 140;
    }
  }
  return s * Math.pow(10, e);
}

function matrixMultiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const x = a[i * m + l]!;
      if (x === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] += x * b[l * m + j]!;
    }
  }
  return c;
}

/** H^n with a decimal exponent kept aside (entries rescaled by 1e-140 when they grow past 1e140). */
function matrixPower(H: Float64Array, m: number, n: number): { matrix: Float64Array; exponent: number } {
  if (n === 1) return { matrix: H, exponent: 0 };
  const half = matrixPower(H, m, Math.floor(n / 2));
  let v = matrixMultiply(half.matrix, half.matrix, m);
  let e = 2 * half.exponent;
  if (n % 2 === 1) v = matrixMultiply(H, v, m);
  const centre = Math.floor(m / 2);
  if (v[centre * m + centre]! > 1e140) {
    for (let i = 0; i < v.length; i++) v[i]! *= 1e-140;
    e += 140;
  }
  return { matrix: v, exponent: e };
}

/** Pelz & Good's (1976) four-term expansion of P(D_n ≤ x) in z = x√n, through Jacobi-theta forms. */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + coeffs[i]!;
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const div = [z, 6 * z4, 72 * z6 * z, 6480 * z4 * z6];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * sqrt2pi) / div[i]!;
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const qk = Math.pow(q, k2);
    k2extra += k2 * qk;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2] = K[2]! + (k2extra * pi2 * sqrt2pi) / (-36 * z2 * z);
  K[3] = K[3]! + (k3extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / Math.pow(n, i / 2);
  return sum;
}
