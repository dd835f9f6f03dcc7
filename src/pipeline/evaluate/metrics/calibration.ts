/** `sklearn.calibration.calibration_curve`: reliability diagram data for a binary classifier. */
import { MetricsError } from './errors';
import { quantileSorted } from './reductions';
import type { CalibrationCurve, NumericArray } from './types';

/** 'uniform': equal-width bins on [0, 1]; 'quantile': bins holding (about) equal numbers of rows. */
export type CalibrationStrategy = 'uniform' | 'quantile';

/**
 * Per non-empty bin: fraction of positives (`prob_true`) and mean predicted probability (`prob_pred`), plus the
 * row count. Bins are right-closed except the first (`np.searchsorted(bins[1:-1], y_prob)`), edges
 * `i * (1 / nBins)` as `np.linspace` computes them; per-bin sums accumulate in row order (`np.bincount`).
 */
export function calibrationCurve(
  yBinary: Uint8Array,
  prob: NumericArray,
  nBins = 10,
  strategy: CalibrationStrategy = 'uniform',
): CalibrationCurve {
  if (!Number.isInteger(nBins) || nBins < 1) throw new MetricsError('invalid-params', `nBins must be a positive integer, got ${nBins}.`);
  const n = yBinary.length;
  if (prob.length !== n) throw new MetricsError('length-mismatch', `Labels have ${n} rows but probabilities have ${prob.length}.`);
  if (n === 0) throw new MetricsError('empty', 'No rows to compute a calibration curve from.');
  for (let i = 0; i < n; i++) {
    const y = yBinary[i];
    if (y !== 0 && y !== 1) throw new MetricsError('invalid-labels', `Binary labels must be 0 or 1; row ${i} is ${y}.`);
    const p = prob[i];
    if (!(p >= 0 && p <= 1)) throw new MetricsError('invalid-values', `y_prob has values outside [0, 1] (row ${i}: ${p}).`);
  }

  // Inner edges bins[1..nBins-1].
  const inner = new Float64Array(nBins - 1);
  if (strategy === 'uniform') {
    const step = 1.0 / nBins;
    for (let i = 1; i < nBins; i++) inner[i - 1] = i * step;
  } else {
    const sorted = Float64Array.from(prob).sort();
    const qstep = 1 / nBins;
    // np.percentile(y_prob, linspace(0, 1, nBins + 1) * 100) divides the percentages back by 100.
    for (let i = 1; i < nBins; i++) inner[i - 1] = quantileSorted(sorted, (i * qstep * 100) / 100);
  }

  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    const p = prob[i];
    // searchsorted side='left': first edge ≥ p.
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    sums[lo] += p;
    trues[lo] += yBinary[i];
    totals[lo]++;
  }
  const kept: number[] = [];
  for (let b = 0; b < nBins; b++) if (totals[b] !== 0) kept.push(b);
  return {
    prob_true: Float64Array.from(kept, (b) => trues[b] / totals[b]),
    prob_pred: Float64Array.from(kept, (b) => sums[b] / totals[b]),
    count: Float64Array.from(kept, (b) => totals[b]),
  };
}
