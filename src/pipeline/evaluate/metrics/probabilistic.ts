/**
 * Metrics of predicted probabilities: `log_loss`, `top_k_accuracy_score`, `brier_score_loss`, and the
 * argmax prediction, following scikit-learn operation by operation.
 */
import { MetricsError } from './errors';
import { pairwiseSum } from './reductions';
import type { NumericArray } from './types';

/** float64 machine epsilon, 2⁻⁵² (`np.finfo(np.float64).eps`). */
export const FLOAT64_EPS = 2 ** -52;
/** float32 machine epsilon, 2⁻²³. */
export const FLOAT32_EPS = 2 ** -23;

/** Checks an n×K probability matrix: length, finite values in [0, 1]. */
export function checkProba(proba: NumericArray, n: number, k: number): void {
  if (proba.length !== n * k) {
    throw new MetricsError('length-mismatch', `Probabilities have ${proba.length} values; expected ${n} rows × ${k} classes = ${n * k}.`);
  }
  for (let i = 0; i < proba.length; i++) {
    const v = proba[i];
    if (!(v >= 0 && v <= 1)) {
      throw new MetricsError('invalid-values', `Probability at row ${Math.floor(i / k)}, class ${i % k} is ${v}; expected a value in [0, 1].`);
    }
  }
}

/** Row-wise argmax, lowest index on ties (`np.argmax`). */
export function argmaxRows(proba: NumericArray, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let best = 0;
    let bestV = proba[base];
    for (let c = 1; c < k; c++) {
      const v = proba[base + c];
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Each row's sum as `np.sum` adds it (pairwise), for `countUnnormalizedSums`. */
export function rowSums(proba: NumericArray, n: number, k: number): Float64Array {
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) sums[i] = pairwiseSum(proba, i * k, k);
  return sums;
}

/**
 * Row sums s failing `np.allclose`: |s − 1| ≤ atol + rtol·|b| with b = 1, or b = s when `relativeToSum`
 * (the argument order of `np.allclose(1, row_sums)` in scikit-learn's multiclass ROC AUC).
 */
export function countUnnormalizedSums(sums: Float64Array, rtol: number, atol = 1e-8, relativeToSum = false): number {
  let bad = 0;
  for (let i = 0; i < sums.length; i++) {
    const s = sums[i]!;
    if (!(Math.abs(s - 1) <= atol + rtol * (relativeToSum ? Math.abs(s) : 1))) bad++;
  }
  return bad;
}

/** Rows of an n×K matrix whose probability sum fails `np.allclose` (see `countUnnormalizedSums`). */
export function countUnnormalizedRows(
  proba: NumericArray,
  n: number,
  k: number,
  rtol: number,
  atol = 1e-8,
  relativeToSum = false,
): number {
  return countUnnormalizedSums(rowSums(proba, n, k), rtol, atol, relativeToSum);
}

/**
 * `log_loss(y_true, proba, labels=range(K))`: mean of −ln(clip(p[true class], eps, 1 − eps)), natural log,
 * eps = float64 machine epsilon, no renormalization of the rows (scikit-learn ≥ 1.5).
 */
export function logLoss(yTrue: Int32Array, proba: NumericArray, k: number): number {
  const n = yTrue.length;
  if (n === 0) throw new MetricsError('empty', 'No rows to compute the log loss from.');
  if (proba.length !== n * k) throw new MetricsError('length-mismatch', `Probabilities have ${proba.length} values; expected ${n * k}.`);
  const lo = FLOAT64_EPS;
  const hi = 1 - FLOAT64_EPS;
  const loss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    if (!(t >= 0 && t < k)) throw new MetricsError('invalid-labels', `y_true[${i}] = ${t} is not a class index in 0..${k - 1}.`);
    const p = Math.min(Math.max(proba[i * k + t], lo), hi);
    loss[i] = -Math.log(p);
  }
  return pairwiseSum(loss) / n;
}

/**
 * `top_k_accuracy_score(y_true, proba, k=k, labels=range(K))`. Ties follow scikit-learn's
 * `argsort(kind="mergesort")[:, ::-1]`: among equal scores the higher class index ranks first. For k ≥ K every
 * row is a hit (1.0; scikit-learn warns that the score is meaningless).
 */
export function topKAccuracy(yTrue: Int32Array, proba: NumericArray, numClasses: number, k: number): number {
  return topKAccuracies(yTrue, proba, numClasses, [k])[0]!;
}

/** `topKAccuracy` for several k in one pass over the rows. */
export function topKAccuracies(yTrue: Int32Array, proba: NumericArray, numClasses: number, ks: readonly number[]): number[] {
  const n = yTrue.length;
  if (n === 0) throw new MetricsError('empty', 'No rows to compute the top-k accuracy from.');
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new MetricsError('invalid-params', `k must be a positive integer, got ${k}.`);
  if (proba.length !== n * numClasses) {
    throw new MetricsError('length-mismatch', `Probabilities have ${proba.length} values; expected ${n * numClasses}.`);
  }
  const kMax = Math.max(...ks);
  // ahead[a]: rows with exactly `a` classes ranked before the true one (a < kMax); such a row is a top-k hit when a < k.
  const ahead = new Float64Array(kMax);
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    if (!(t >= 0 && t < numClasses)) {
      throw new MetricsError('invalid-labels', `y_true[${i}] = ${t} is not a class index in 0..${numClasses - 1}.`);
    }
    const base = i * numClasses;
    const s = proba[base + t];
    let a = 0;
    for (let c = 0; c < numClasses && a < kMax; c++) {
      const v = proba[base + c];
      if (v > s || (v === s && c > t)) a++;
    }
    if (a < kMax) ahead[a]++;
  }
  return ks.map((k) => {
    let hits = 0;
    for (let a = 0; a < k; a++) hits += ahead[a]!;
    return hits / n; // k ≥ K: every row is a hit
  });
}

/** `brier_score_loss(y_true, y_prob)` for 0/1 labels: mean of (y − p)². */
export function brierScore(yBinary: Uint8Array, prob: NumericArray): number {
  const n = yBinary.length;
  if (n === 0) throw new MetricsError('empty', 'No rows to compute the Brier score from.');
  if (prob.length !== n) throw new MetricsError('length-mismatch', `Labels have ${n} rows but probabilities have ${prob.length}.`);
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = yBinary[i] - prob[i];
    sq[i] = d * d;
  }
  return pairwiseSum(sq) / n;
}
