import { assertClose } from '../../../helpers/assert';
import * as assert from 'node:assert/strict';
import {
  MetricsError,
  averagePrecision,
  brierScore,
  calibrationCurve,
  prCurve,
  rocAuc,
  rocCurve,
  rocCurvesOvr,
  trapezoidArea,
} from '../../../../src/pipeline/evaluate/metrics';

const close = assertClose;
function closeAll(a: ArrayLike<number>, b: number[], tol = 1e-12): void {
  assert.equal(a.length, b.length, `length ${a.length} ≠ ${b.length}`);
  b.forEach((v, i) => (Number.isNaN(v) ? assert.ok(Number.isNaN(a[i])) : close(a[i], v, tol)));
}
const u8 = (a: number[]) => Uint8Array.from(a);
const f64 = (a: number[]) => Float64Array.from(a);

describe('evaluate/metrics: ROC and precision-recall (scikit-learn documented examples)', () => {
  const y = u8([0, 0, 1, 1]);
  const s = f64([0.1, 0.4, 0.35, 0.8]);

  it('roc_auc_score = 0.75 and average_precision_score = 0.8333…', () => {
    close(rocAuc(y, s), 0.75);
    close(averagePrecision(y, s), 0.8333333333333333);
  });

  it('roc_curve: points and thresholds (first threshold +∞)', () => {
    const r = rocCurve(y, s);
    closeAll(r.fpr, [0, 0, 0.5, 0.5, 1]);
    closeAll(r.tpr, [0, 0.5, 0.5, 1, 1]);
    assert.deepEqual(Array.from(r.thresholds), [Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('precision_recall_curve: recall decreasing, final point (1, 0), thresholds increasing', () => {
    const c = prCurve(y, s);
    closeAll(c.precision, [0.5, 2 / 3, 0.5, 1, 1]);
    closeAll(c.recall, [1, 1, 0.5, 0.5, 0]);
    assert.deepEqual(Array.from(c.thresholds), [0.1, 0.35, 0.4, 0.8]);
  });

  it('drop_intermediate removes collinear ROC points only', () => {
    const yy = u8([1, 1, 0, 0]);
    const ss = f64([0.9, 0.8, 0.7, 0.6]);
    const dropped = rocCurve(yy, ss);
    closeAll(dropped.fpr, [0, 0, 0, 1]);
    closeAll(dropped.tpr, [0, 0.5, 1, 1]);
    assert.deepEqual(Array.from(dropped.thresholds), [Infinity, 0.9, 0.8, 0.6]);
    const full = rocCurve(yy, ss, { dropIntermediate: false });
    closeAll(full.fpr, [0, 0, 0, 0.5, 1]);
    assert.deepEqual(Array.from(full.thresholds), [Infinity, 0.9, 0.8, 0.7, 0.6]);
    // precision_recall_curve(drop_intermediate=True) keeps points where the TP count changes on either side
    const pr = prCurve(u8([0, 1, 1, 0, 1, 0]), f64([0.1, 0.2, 0.3, 0.4, 0.9, 0.05]), { dropIntermediate: true });
    assert.deepEqual(Array.from(pr.thresholds), [0.05, 0.2, 0.3, 0.4, 0.9]);
  });

  it('ties between a positive and a negative count ½ in the AUC', () => {
    close(rocAuc(u8([0, 1, 0, 1]), f64([0.5, 0.5, 0.5, 0.5])), 0.5);
    // pairs: (.5 > .1), (.5 = .5 → ½), (.9 > .1), (.9 > .5) → 3.5 / 4
    close(rocAuc(u8([0, 0, 1, 1]), f64([0.1, 0.5, 0.5, 0.9])), 0.875);
    // a tie collapses into one threshold
    const r = rocCurve(u8([0, 1, 0, 1]), f64([0.5, 0.5, 0.5, 0.5]));
    closeAll(r.fpr, [0, 1]);
    closeAll(r.tpr, [0, 1]);
  });

  it('one class only: AUC null, ROC rates NaN, AP 0 without positives and 1 with only positives', () => {
    assert.equal(rocAuc(u8([0, 0, 0]), f64([0.1, 0.5, 0.3])), null);
    assert.equal(rocAuc(u8([1, 1]), f64([0.1, 0.5])), null);
    const r = rocCurve(u8([0, 0, 0]), f64([0.1, 0.5, 0.3]));
    assert.ok(Array.from(r.tpr).every(Number.isNaN));
    closeAll(r.fpr, [0, 1 / 3, 1]); // the collinear middle point is dropped
    assert.equal(averagePrecision(u8([0, 0, 0]), f64([0.1, 0.5, 0.3])), 0);
    assert.equal(averagePrecision(u8([1, 1]), f64([0.1, 0.5])), 1);
  });

  it('trapezoidArea accepts decreasing x and rejects non-monotonic x', () => {
    close(trapezoidArea([0, 1], [0, 1]), 0.5);
    close(trapezoidArea([1, 0], [1, 0]), 0.5);
    assert.throws(() => trapezoidArea([0, 1, 0.5], [0, 1, 1]), MetricsError);
  });

  it('rejects non-0/1 labels, NaN scores and length mismatches', () => {
    assert.throws(() => rocCurve(u8([0, 2]), f64([0.1, 0.2])), /0 or 1/);
    assert.throws(() => rocCurve(u8([0, 1]), f64([0.1, NaN])), /non-finite/);
    assert.throws(() => prCurve(u8([0, 1]), f64([0.1])), MetricsError);
  });

  it('rocCurvesOvr: one curve per class, AUC null for a class absent from y_true', () => {
    const curves = rocCurvesOvr(
      Int32Array.from([0, 0, 1, 1]),
      Float64Array.from([0.6, 0.3, 0.1, 0.5, 0.2, 0.3, 0.2, 0.7, 0.1, 0.3, 0.5, 0.2]),
      3,
      { classNames: ['a', 'b', 'c'] },
    );
    assert.deepEqual(curves.map((c) => [c.classIndex, c.className]), [[0, 'a'], [1, 'b'], [2, 'c']]);
    close(curves[0].auc, 1); // class 0 scores .6 .5 vs .2 .3
    close(curves[1].auc, 1); // class 1 scores .7 .5 vs .3 .2
    assert.equal(curves[2].auc, null);
    assert.equal(curves[0].thresholds[0], Infinity);
  });
});

describe('evaluate/metrics: calibration and Brier score', () => {
  it('calibration_curve: docs example with 3 uniform bins', () => {
    const c = calibrationCurve(u8([0, 0, 0, 0, 1, 1, 1, 1, 1]), f64([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1]), 3);
    closeAll(c.prob_true, [0, 0.5, 1]);
    closeAll(c.prob_pred, [0.2, 0.525, 0.85]);
    closeAll(c.count, [3, 2, 4]);
  });

  it('bins are right-closed (except the first) and empty bins are dropped', () => {
    // edges 0, .25, .5, .75, 1: 0.25 falls in bin 0, 0.5 in bin 1, 0 in bin 0; bin 3 is empty
    const c = calibrationCurve(u8([0, 1, 1, 0]), f64([0, 0.25, 0.5, 1]), 4);
    closeAll(c.count, [2, 1, 1]);
    closeAll(c.prob_true, [0.5, 1, 0]);
    closeAll(c.prob_pred, [0.125, 0.5, 1]);
  });

  it('quantile strategy puts equal numbers of rows in each bin', () => {
    const c = calibrationCurve(u8([0, 0, 1, 0, 1, 1]), f64([0.1, 0.2, 0.3, 0.6, 0.7, 0.8]), 2, 'quantile');
    closeAll(c.count, [3, 3]);
    closeAll(c.prob_true, [1 / 3, 2 / 3]);
    closeAll(c.prob_pred, [0.2, 0.7]);
  });

  it('rejects probabilities outside [0, 1]', () => {
    assert.throws(() => calibrationCurve(u8([0, 1]), f64([0.5, 1.5])), /outside \[0, 1\]/);
  });

  it('brier_score_loss: docs example = 0.0375', () => {
    close(brierScore(u8([0, 1, 1, 0]), f64([0.1, 0.9, 0.8, 0.3])), 0.0375);
  });
});
