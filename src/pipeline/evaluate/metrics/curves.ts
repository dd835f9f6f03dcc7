/**
 * Binary ranking curves and their areas, as scikit-learn computes them: `_binary_clf_curve`, `roc_curve`
 * (with `drop_intermediate`), `precision_recall_curve`, `auc` (trapezoid over the ROC points) and
 * `average_precision_score` (step-wise sum, not a trapezoid). Ties in the scores form one threshold, so a tie
 * between a positive and a negative counts ½ in the AUC, as in scikit-learn.
 *
 * Sorting: positives' and negatives' scores are sorted separately with the native typed-array sort and merged,
 * which is O(n log n) and avoids an index sort with a comparator.
 */
import { sortFloat64 } from './radix-sort';
import { MetricsError } from './errors';
import { pairwiseSum } from './reductions';
import type { NumericArray, PrCurve, RocCurve } from './types';

/** Cumulative counts at each distinct threshold, thresholds in decreasing order (`_binary_clf_curve`). */
export interface BinaryClfCurve {
  /** False positives with score ≥ threshold. */
  readonly fps: Float64Array;
  /** True positives with score ≥ threshold. */
  readonly tps: Float64Array;
  /** The distinct scores, decreasing. */
  readonly thresholds: Float64Array;
}

export function checkFiniteScores(score: ArrayLike<number>, what: string): void {
  for (let i = 0; i < score.length; i++) {
    if (!Number.isFinite(score[i])) {
      throw new MetricsError('invalid-values', `${what} contains a non-finite value (${score[i]}) at row ${i}.`);
    }
  }
}

/** Splits scores into those of the positive and of the negative rows (yBinary must be 0/1). */
export function splitByLabel(yBinary: Uint8Array, score: NumericArray): { pos: Float64Array; neg: Float64Array } {
  if (yBinary.length !== score.length) {
    throw new MetricsError('length-mismatch', `Labels have ${yBinary.length} rows but scores have ${score.length}.`);
  }
  let nPos = 0;
  for (let i = 0; i < yBinary.length; i++) {
    const y = yBinary[i];
    if (y !== 0 && y !== 1) throw new MetricsError('invalid-labels', `Binary labels must be 0 or 1; row ${i} is ${y}.`);
    nPos += y;
  }
  checkFiniteScores(score, 'The score array');
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(yBinary.length - nPos);
  let p = 0;
  let q = 0;
  for (let i = 0; i < yBinary.length; i++) {
    if (yBinary[i] === 1) pos[p++] = score[i];
    else neg[q++] = score[i];
  }
  return { pos, neg };
}

/**
 * `_binary_clf_curve` from the scores of the positive and of the negative rows (both finite; sorted in place).
 */
export function binaryClfCurveFromSplit(pos: Float64Array, neg: Float64Array): BinaryClfCurve {
  if (pos.length + neg.length === 0) throw new MetricsError('empty', 'No rows to compute a curve from.');
  sortFloat64(pos);
  sortFloat64(neg);
  const n = pos.length + neg.length;
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (i >= 0 || j >= 0) {
    const t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === t) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === t) {
      fp++;
      j--;
    }
    fps[m] = fp;
    tps[m] = tp;
    thresholds[m] = t;
    m++;
  }
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thresholds: thresholds.subarray(0, m) };
}

/** `_binary_clf_curve(y_true, y_score)` with 0/1 labels. */
export function binaryClfCurve(yBinary: Uint8Array, score: NumericArray): BinaryClfCurve {
  const { pos, neg } = splitByLabel(yBinary, score);
  return binaryClfCurveFromSplit(pos, neg);
}

/**
 * Indices kept by scikit-learn's `drop_intermediate`: the first and last point, and every point where `keepAt`
 * says the curve bends. Returns the curve itself when nothing is dropped.
 */
function compact(curve: BinaryClfCurve, keepAt: (k: number) => boolean): BinaryClfCurve {
  const len = curve.fps.length;
  if (len <= 2) return curve;
  const fps = new Float64Array(len);
  const tps = new Float64Array(len);
  const thresholds = new Float64Array(len);
  let m = 0;
  for (let k = 0; k < len; k++) {
    if (k === 0 || k === len - 1 || keepAt(k)) {
      fps[m] = curve.fps[k];
      tps[m] = curve.tps[k];
      thresholds[m] = curve.thresholds[k];
      m++;
    }
  }
  if (m === len) return curve;
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thresholds: thresholds.subarray(0, m) };
}

/** `roc_curve` from a `_binary_clf_curve`. `fpr`/`tpr` are NaN when there are no negatives/positives. */
export function rocFromClfCurve(curve: BinaryClfCurve, dropIntermediate = true): RocCurve {
  const { fps, tps, thresholds } = dropIntermediate
    ? compact(curve, (k) => {
        const f = curve.fps;
        const t = curve.tps;
        return f[k + 1] - 2 * f[k] + f[k - 1] !== 0 || t[k + 1] - 2 * t[k] + t[k - 1] !== 0;
      })
    : curve;
  const m = fps.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const th = new Float64Array(m);
  th[0] = Infinity;
  const lastF = fps[m - 2];
  const lastT = tps[m - 2];
  fpr[0] = lastF <= 0 ? NaN : 0;
  tpr[0] = lastT <= 0 ? NaN : 0;
  for (let k = 1; k < m; k++) {
    fpr[k] = lastF <= 0 ? NaN : fps[k - 1] / lastF;
    tpr[k] = lastT <= 0 ? NaN : tps[k - 1] / lastT;
    th[k] = thresholds[k - 1];
  }
  return { fpr, tpr, thresholds: th };
}

/**
 * `sklearn.metrics.roc_curve(y_true, y_score, drop_intermediate=True)`: points with increasing FPR, the first
 * threshold is `Infinity` (scikit-learn ≥ 1.3). With no negatives (positives) the FPR (TPR) is all NaN, as
 * scikit-learn returns after its warning.
 */
export function rocCurve(
  yBinary: Uint8Array,
  score: NumericArray,
  options: { dropIntermediate?: boolean } = {},
): RocCurve {
  return rocFromClfCurve(binaryClfCurve(yBinary, score), options.dropIntermediate ?? true);
}

/** `sklearn.metrics.auc(x, y)` for a monotonic x: trapezoid rule, `np.trapz`'s operation order. */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) throw new MetricsError('invalid-params', `At least 2 points are needed to compute an area, got ${n}.`);
  let increasing = true;
  let decreasing = true;
  for (let k = 1; k < n; k++) {
    const d = x[k] - x[k - 1];
    if (d < 0) increasing = false;
    if (d > 0) decreasing = false;
  }
  if (!increasing && !decreasing) throw new MetricsError('invalid-values', 'x is neither increasing nor decreasing.');
  const terms = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) terms[k] = ((x[k + 1] - x[k]) * (y[k + 1] + y[k])) / 2.0;
  const area = pairwiseSum(terms);
  return increasing ? area : -area;
}

/** ROC AUC of a `_binary_clf_curve`; null when only one class is present (scikit-learn raises). */
export function rocAucFromClfCurve(curve: BinaryClfCurve): number | null {
  const n = curve.tps.length;
  if (n === 0) return null;
  const p = curve.tps[n - 1];
  const q = curve.fps[n - 1];
  if (p === 0 || q === 0) return null;
  const roc = rocFromClfCurve(curve, true);
  return trapezoidArea(roc.fpr, roc.tpr);
}

/** `roc_auc_score(y_true, y_score)` for 0/1 labels; null when y_true holds a single class. */
export function rocAuc(yBinary: Uint8Array, score: NumericArray): number | null {
  return rocAucFromClfCurve(binaryClfCurve(yBinary, score));
}

/** `precision_recall_curve` from a `_binary_clf_curve` (recall 1 everywhere when there are no positives). */
export function prFromClfCurve(curve: BinaryClfCurve, dropIntermediate = false): PrCurve {
  const { fps, tps, thresholds } = dropIntermediate
    ? compact(curve, (k) => curve.tps[k] !== curve.tps[k - 1] || curve.tps[k + 1] !== curve.tps[k])
    : curve;
  const m = fps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  const lastT = m > 0 ? tps[m - 1] : 0;
  for (let k = 0; k < m; k++) {
    const src = m - 1 - k; // reversed: recall decreasing
    const ps = tps[src] + fps[src];
    precision[k] = ps !== 0 ? tps[src] / ps : 0;
    recall[k] = lastT === 0 ? 1 : tps[src] / lastT;
    th[k] = thresholds[src];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/**
 * `sklearn.metrics.precision_recall_curve(y_true, probas_pred)`: precision and recall have one more entry than
 * thresholds (the final point precision 1, recall 0); thresholds increase. `dropIntermediate` defaults to false
 * as in scikit-learn.
 */
export function prCurve(
  yBinary: Uint8Array,
  score: NumericArray,
  options: { dropIntermediate?: boolean } = {},
): PrCurve {
  return prFromClfCurve(binaryClfCurve(yBinary, score), options.dropIntermediate ?? false);
}

/**
 * `average_precision_score` of a `_binary_clf_curve`: Σ (Rₙ − Rₙ₋₁)·Pₙ. With no positive rows scikit-learn sets
 * recall to 1 and the result is 0 (after a warning).
 */
export function averagePrecisionFromClfCurve(curve: BinaryClfCurve): number {
  const { precision, recall } = prFromClfCurve(curve, false);
  const m = precision.length - 1;
  const terms = new Float64Array(m);
  for (let k = 0; k < m; k++) terms[k] = (recall[k + 1] - recall[k]) * precision[k];
  return 0 - pairwiseSum(terms); // `0 -` rather than unary minus: never returns -0
}

/** `average_precision_score(y_true, y_score)` for 0/1 labels. */
export function averagePrecision(yBinary: Uint8Array, score: NumericArray): number {
  return averagePrecisionFromClfCurve(binaryClfCurve(yBinary, score));
}
