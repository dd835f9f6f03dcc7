/**
 * Regression metrics as scikit-learn computes them (NumPy pairwise sums, `force_finite=True` for R² and
 * explained variance), and a deterministic subsample of residuals for plots.
 */
import { MetricsError } from './errors';
import { FLOAT64_EPS } from './probabilistic';
import { mean, median, pairwiseSum } from './reductions';
import type { NumericArray, RegressionMetrics, ResidualSample } from './types';

function checkPair(yTrue: NumericArray, yPred: NumericArray): number {
  const n = yTrue.length;
  if (yPred.length !== n) throw new MetricsError('length-mismatch', `y_true has ${n} rows but y_pred has ${yPred.length}.`);
  if (n === 0) throw new MetricsError('empty', 'No rows to compute regression metrics from.');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(yTrue[i])) throw new MetricsError('invalid-values', `y_true[${i}] is ${yTrue[i]}; values must be finite.`);
    if (!Number.isFinite(yPred[i])) throw new MetricsError('invalid-values', `y_pred[${i}] is ${yPred[i]}; values must be finite.`);
  }
  return n;
}

/**
 * scikit-learn's `_assemble_r2_explained_variance` with `force_finite=True`: a zero numerator gives 1.0, a zero
 * denominator with a non-zero numerator gives 0.0 (constant y_true), otherwise 1 − num/den.
 */
function forceFinite(numerator: number, denominator: number): number {
  if (numerator === 0) return 1.0;
  if (denominator === 0) return 0.0;
  return 1 - numerator / denominator;
}

export function regressionMetrics(yTrue: NumericArray, yPred: NumericArray): RegressionMetrics {
  const n = checkPair(yTrue, yPred);
  const warnings: string[] = [];
  const diff = new Float64Array(n); // y_true − y_pred
  const sq = new Float64Array(n);
  const abs = new Float64Array(n);
  const ape = new Float64Array(n);
  let maxErr = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - yPred[i];
    diff[i] = d;
    sq[i] = d * d;
    const a = Math.abs(d);
    abs[i] = a;
    if (a > maxErr) maxErr = a;
    ape[i] = a / Math.max(Math.abs(yTrue[i]), FLOAT64_EPS);
  }
  const mse = pairwiseSum(sq) / n;

  // r2_score: numerator Σ(y − ŷ)², denominator Σ(y − ȳ)².
  const yMean = mean(yTrue);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - yMean;
    dev[i] = d * d;
  }
  const ssRes = pairwiseSum(sq);
  const ssTot = pairwiseSum(dev);
  let r2: number | null = null;
  if (n < 2) warnings.push('R² is not well-defined with fewer than two samples.');
  else r2 = forceFinite(ssRes, ssTot);
  if (n >= 2 && ssTot === 0) {
    warnings.push(`y_true is constant: R² and explained variance are ${ssRes === 0 ? '1 (perfect predictions)' : '0'} by convention.`);
  }

  // explained_variance_score: Var(y − ŷ) / Var(y).
  const diffMean = mean(diff);
  const centered = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - yPred[i] - diffMean;
    centered[i] = d * d;
  }
  const evNum = pairwiseSum(centered) / n;
  const evDen = pairwiseSum(dev) / n;

  return {
    mse,
    rmse: Math.sqrt(mse),
    mae: pairwiseSum(abs) / n,
    r2,
    explained_variance: forceFinite(evNum, evDen),
    max_error: maxErr,
    median_absolute_error: median(abs),
    mape: pairwiseSum(ape) / n,
    warnings,
  };
}

/**
 * Up to `maxPoints` row indices evenly spread over 0..n−1, first and last included:
 * `floor(i·(n−1)/(m−1))`, strictly increasing. All rows when n ≤ maxPoints.
 */
export function evenlySpacedIndices(n: number, maxPoints: number): Uint32Array {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new MetricsError('invalid-params', `maxPoints must be a positive integer, got ${maxPoints}.`);
  if (!Number.isInteger(n) || n < 0) throw new MetricsError('invalid-params', `n must be a non-negative integer, got ${n}.`);
  const m = Math.min(n, maxPoints);
  const out = new Uint32Array(m);
  if (m === n) {
    for (let i = 0; i < n; i++) out[i] = i;
  } else if (m === 1) {
    out[0] = 0;
  } else {
    for (let i = 0; i < m; i++) out[i] = Math.floor((i * (n - 1)) / (m - 1));
  }
  return out;
}

/** A deterministic, evenly spaced sample of at most `maxPoints` (default 2000) rows for residual plots. */
export function residualSample(yTrue: NumericArray, yPred: NumericArray, maxPoints = 2000): ResidualSample {
  const n = yTrue.length;
  if (yPred.length !== n) throw new MetricsError('length-mismatch', `y_true has ${n} rows but y_pred has ${yPred.length}.`);
  const index = evenlySpacedIndices(n, maxPoints);
  const m = index.length;
  const t = new Float64Array(m);
  const p = new Float64Array(m);
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    t[i] = yTrue[index[i]];
    p[i] = yPred[index[i]];
    r[i] = t[i] - p[i];
  }
  return { index, yTrue: t, yPred: p, residual: r, total: n };
}
