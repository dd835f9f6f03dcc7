import { assertClose } from '../../../helpers/assert';
import * as assert from 'node:assert/strict';
import {
  MetricsError,
  evenlySpacedIndices,
  median,
  pairwiseSum,
  quantileSorted,
  regressionMetrics,
  residualSample,
} from '../../../../src/pipeline/evaluate/metrics';

const close = assertClose;
const f64 = (a: number[]) => Float64Array.from(a);

describe('evaluate/metrics: regression (scikit-learn documented examples)', () => {
  // sklearn docs: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
  const m = regressionMetrics(f64([3, -0.5, 2, 7]), f64([2.5, 0.0, 2, 8]));

  it('mse, rmse, mae, max_error, median_absolute_error', () => {
    close(m.mse, 0.375);
    close(m.rmse, Math.sqrt(0.375));
    close(m.mae, 0.5);
    close(m.max_error, 1);
    close(m.median_absolute_error, 0.5);
    assert.equal(regressionMetrics(f64([3, 2, 7, 1]), f64([4, 2, 7, 1])).max_error, 1);
  });

  it('r2 = 0.9486… and explained_variance = 0.9571…', () => {
    close(m.r2, 0.9486081370449679);
    close(m.explained_variance, 0.9571734475374732);
  });

  it('mape = 0.3273…, and a zero y_true divides by float64 eps (docs: 112589990684262.48)', () => {
    close(m.mape, 0.3273809523809524);
    close(regressionMetrics(f64([1, 0, 2.4, 7]), f64([1.2, 0.1, 2.4, 8])).mape, 112589990684262.48);
  });

  it('r2 docs cases: perfect 1, constant prediction 0, reversed −3', () => {
    assert.equal(regressionMetrics(f64([1, 2, 3]), f64([1, 2, 3])).r2, 1);
    assert.equal(regressionMetrics(f64([1, 2, 3]), f64([2, 2, 2])).r2, 0);
    assert.equal(regressionMetrics(f64([1, 2, 3]), f64([3, 2, 1])).r2, -3);
  });

  it('constant y_true (force_finite): 1.0 when perfect, 0.0 otherwise, for r2 and explained variance', () => {
    const perfect = regressionMetrics(f64([-2, -2, -2]), f64([-2, -2, -2]));
    assert.equal(perfect.r2, 1);
    assert.equal(perfect.explained_variance, 1);
    const off = regressionMetrics(f64([-2, -2, -2]), f64([-2, -2, -2 + 1e-8]));
    assert.equal(off.r2, 0);
    assert.equal(off.explained_variance, 0);
    assert.ok(off.warnings.some((w) => /constant/.test(w)));
  });

  it('r2 with a single sample is null (scikit-learn: NaN with a warning)', () => {
    const one = regressionMetrics(f64([1]), f64([2]));
    assert.equal(one.r2, null);
    assert.equal(one.mse, 1);
    assert.ok(one.warnings.some((w) => /two samples/.test(w)));
  });

  it('explained variance ignores a constant bias, r2 does not', () => {
    const b = regressionMetrics(f64([1, 2, 3, 4]), f64([2, 3, 4, 5]));
    assert.equal(b.explained_variance, 1);
    close(b.r2, 1 - 4 / 5); // Σ(y − ŷ)² = 4, Σ(y − ȳ)² = 5
  });

  it('median of an even count averages the two middle values', () => {
    close(regressionMetrics(f64([0, 0, 0, 0]), f64([1, -3, 2, 10])).median_absolute_error, 2.5);
  });

  it('rejects non-finite values, empty input and length mismatches', () => {
    assert.throws(() => regressionMetrics(f64([1, NaN]), f64([1, 2])), MetricsError);
    assert.throws(() => regressionMetrics(f64([]), f64([])), /No rows/);
    assert.throws(() => regressionMetrics(f64([1, 2]), f64([1])), /rows/);
  });
});

describe('evaluate/metrics: residual samples for plots', () => {
  it('evenly spaced indices include the first and last row and are strictly increasing', () => {
    assert.deepEqual(Array.from(evenlySpacedIndices(10, 4)), [0, 3, 6, 9]);
    assert.deepEqual(Array.from(evenlySpacedIndices(5, 10)), [0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(evenlySpacedIndices(7, 1)), [0]);
    const big = evenlySpacedIndices(1_000_003, 2000);
    assert.equal(big.length, 2000);
    assert.equal(big[1999], 1_000_002);
    for (let i = 1; i < big.length; i++) assert.ok(big[i] > big[i - 1]);
  });

  it('residualSample: residual = y_true − y_pred at the sampled rows', () => {
    const s = residualSample(f64([1, 2, 3, 4, 5]), f64([1.5, 2, 2, 4, 6]), 3);
    assert.deepEqual(Array.from(s.index), [0, 2, 4]);
    assert.deepEqual(Array.from(s.yTrue), [1, 3, 5]);
    assert.deepEqual(Array.from(s.residual), [-0.5, 1, -1]);
    assert.equal(s.total, 5);
  });
});

describe('evaluate/metrics: NumPy-compatible reductions', () => {
  it('pairwiseSum reproduces np.sum (1000 × 0.1 = 100.00000000000001, a naive loop gives 99.9999999999986)', () => {
    assert.equal(pairwiseSum(new Float64Array(1000).fill(0.1)), 100.00000000000001);
    assert.equal(pairwiseSum([1, 2, 3]), 6);
    assert.equal(pairwiseSum([]), 0);
  });

  it('quantileSorted follows np.quantile (linear): 0.025 → 1.225, 0.975 → 9.775 on 1..10', () => {
    const s = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    close(quantileSorted(s, 0.025), 1.225);
    close(quantileSorted(s, 0.975), 9.775);
    assert.equal(quantileSorted(s, 0), 1);
    assert.equal(quantileSorted(s, 1), 10);
    assert.equal(median([3, 1, 2]), 2);
  });
});
