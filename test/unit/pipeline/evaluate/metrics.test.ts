import { assertClose } from '../../../helpers/assert';
import * as assert from 'node:assert/strict';
import {
  MetricsError,
  argmaxRows,
  classificationMetrics,
  confusionMatrix,
  isBinaryMetrics,
  isMulticlassMetrics,
  logLoss,
  topKAccuracy,
  type BinaryClassificationMetrics,
  type MulticlassClassificationMetrics,
} from '../../../../src/pipeline/evaluate/metrics';

/** |a − b| ≤ tol·max(1, |b|); expected values are written literally (from scikit-learn's docs or by hand). */
const close = assertClose;

const i32 = (a: number[]) => Int32Array.from(a);
const f64 = (a: number[][]) => Float64Array.from(a.flat());

/** Metrics of label vectors only: probabilities put all mass on the prediction. */
function fromLabels(yTrue: number[], yPred: number[], k: number) {
  const proba = new Float64Array(yTrue.length * k);
  yPred.forEach((p, i) => (proba[i * k + p] = 1));
  return classificationMetrics({ yTrue: i32(yTrue), yPred: i32(yPred), proba, numClasses: k });
}

describe('evaluate/metrics: label metrics (scikit-learn documented examples)', () => {
  it('confusion_matrix: rows = true, columns = predicted', () => {
    // sklearn docs: confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    assert.deepEqual(confusionMatrix(i32([2, 0, 2, 2, 0, 1]), i32([0, 0, 2, 2, 0, 2]), 3), [
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    // binary: tn, fp, fn, tp = (0, 2, 1, 1)
    assert.deepEqual(confusionMatrix(i32([0, 1, 0, 1]), i32([1, 1, 1, 0]), 2), [
      [0, 2],
      [1, 1],
    ]);
  });

  it('accuracy, precision/recall/F1 macro, micro, weighted', () => {
    // sklearn docs: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]
    const m = fromLabels([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], 3);
    close(m.accuracy, 1 / 3);
    close(m.precision_macro, 0.2222222222222222);
    close(m.recall_macro, 0.3333333333333333);
    close(m.f1_macro, 0.26666666666666666);
    close(m.precision_weighted, 0.2222222222222222);
    close(m.recall_weighted, 0.3333333333333333);
    close(m.f1_weighted, 0.26666666666666666);
    close(m.f1_micro, 0.3333333333333333);
  });

  it('balanced_accuracy (docs: 0.625)', () => {
    close(fromLabels([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], 2).balanced_accuracy, 0.625);
  });

  it('matthews_corrcoef: binary docs example and the multiclass formula', () => {
    // docs: [+1, +1, +1, -1] vs [+1, -1, +1, +1] → -0.333…
    close(fromLabels([1, 1, 1, 0], [1, 0, 1, 1], 2).mcc, -0.3333333333333333);
    // by hand: C = [[2,0,0],[0,0,1],[1,0,2]], t = [2,1,3], p = [3,0,3]: (4·6 − 15) / √((36 − 14)(36 − 18)) = 9/√396
    close(fromLabels([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3).mcc, 9 / Math.sqrt(396));
    // a constant prediction: the covariance product is 0, scikit-learn returns 0
    assert.equal(fromLabels([0, 1, 0, 1], [1, 1, 1, 1], 2).mcc, 0);
  });

  it('cohen_kappa: docs example, a multiclass case by hand, and the undefined case', () => {
    // docs: negative/neutral/positive → 0, 1, 2: 0.6875
    close(fromLabels([0, 2, 0, 1, 2], [0, 2, 0, 1, 0], 3).cohen_kappa, 0.6875);
    // by hand: observed disagreement 2, expected (36 − 15)/6 = 3.5 → 1 − 2/3.5
    close(fromLabels([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3).cohen_kappa, 1 - 2 / 3.5);
    // both vectors hold only class 0: scikit-learn gives NaN → null with a warning
    const m = fromLabels([0, 0, 0], [0, 0, 0], 2);
    assert.equal(m.cohen_kappa, null);
    assert.ok(m.warnings.some((w) => /kappa/i.test(w)));
  });

  it('zero_division: a class never predicted has precision 0, a class absent from y_true has recall 0', () => {
    // class 2 is predicted but never true; class 1 is true but never predicted
    const m = fromLabels([0, 0, 1, 1], [0, 2, 0, 0], 3);
    assert.deepEqual(m.per_class['1'], { precision: 0, recall: 0, f1: 0, support: 2 });
    assert.deepEqual(m.per_class['2'], { precision: 0, recall: 0, f1: 0, support: 0 });
    close(m.per_class['0'].precision, 1 / 3);
    assert.equal(m.per_class['0'].recall, 0.5);
    close(m.precision_macro, 1 / 9); // (1/3 + 0 + 0) / 3
    close(m.recall_macro, 1 / 6); // (1/2 + 0 + 0) / 3
    close(m.balanced_accuracy, 0.25); // classes of y_true only: (1/2 + 0) / 2
    assert.ok(m.warnings.some((w) => /Precision is ill-defined.*\(1\)/.test(w)));
    assert.ok(m.warnings.some((w) => /Recall is ill-defined.*\(2\)/.test(w)));
  });

  it('averages ignore a class absent from both y_true and y_pred (labels=None), per_class still lists it', () => {
    const m = fromLabels([0, 1, 0, 1], [0, 1, 1, 1], 3);
    // precision: c0 1, c1 2/3; recall: c0 1/2, c1 1 — class 2 is not in the macro average
    close(m.precision_macro, (1 + 2 / 3) / 2);
    close(m.recall_macro, 0.75);
    assert.deepEqual(m.per_class['2'], { precision: 0, recall: 0, f1: 0, support: 0 });
  });
});

describe('evaluate/metrics: probability metrics', () => {
  it('log_loss: docs example (natural log) = 0.21616…', () => {
    // ham = 0, spam = 1
    close(logLoss(i32([1, 0, 0, 1]), f64([[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]), 2), 0.21616187468057912);
  });

  it('log_loss clips probabilities to [eps, 1 − eps] with eps = 2^-52', () => {
    // a zero probability on the true class costs −ln(2^-52) = 52·ln 2
    close(logLoss(i32([0]), f64([[0, 1]]), 2), 52 * Math.LN2);
    assert.equal(logLoss(i32([1]), f64([[0, 1]]), 2), -Math.log(1 - 2 ** -52));
  });

  it('top_k_accuracy: docs example (k=2 → 0.75), scikit-learn tie order, k ≥ K → 1', () => {
    const p = f64([[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]]);
    close(topKAccuracy(i32([0, 1, 2, 2]), p, 3, 2), 0.75);
    // ties rank the higher class index first (argsort mergesort, reversed)
    const tie = f64([[0.2, 0.4, 0.4]]);
    assert.equal(topKAccuracy(i32([1]), tie, 3, 1), 0);
    assert.equal(topKAccuracy(i32([2]), tie, 3, 1), 1);
    assert.equal(topKAccuracy(i32([1]), tie, 3, 2), 1);
    assert.equal(topKAccuracy(i32([0, 1, 2, 2]), p, 3, 3), 1);
  });

  it('argmax breaks ties toward the lowest index (np.argmax)', () => {
    assert.deepEqual(Array.from(argmaxRows(f64([[0.5, 0.5], [0.2, 0.8], [0.4, 0.3]]), 3, 2)), [0, 1, 0]);
  });
});

describe('evaluate/metrics: classificationMetrics', () => {
  // Worked by hand. Positive-class scores 0.2 0.6 0.7 0.4 0.9 0.1 0.6 0.3; argmax → 0 1 1 0 1 0 1 0.
  const yTrue = i32([0, 0, 1, 1, 1, 0, 1, 0]);
  const proba = f64([[0.8, 0.2], [0.4, 0.6], [0.3, 0.7], [0.6, 0.4], [0.1, 0.9], [0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]);

  it('binary: every key, values worked by hand', () => {
    const m = classificationMetrics({ yTrue, proba, numClasses: 2, classNames: ['neg', 'pos'] });
    assert.ok(isBinaryMetrics(m) && !isMulticlassMetrics(m));
    const b = m as BinaryClassificationMetrics;
    assert.deepEqual(Object.keys(b).sort(), [
      'accuracy', 'balanced_accuracy', 'brier_score', 'cohen_kappa', 'confusion_matrix', 'f1', 'f1_macro', 'f1_micro',
      'f1_weighted', 'log_loss', 'mcc', 'per_class', 'pr_auc_average_precision', 'precision', 'precision_macro',
      'precision_weighted', 'recall', 'recall_macro', 'recall_weighted', 'roc_auc', 'specificity', 'top2_accuracy',
      'top3_accuracy', 'warnings',
    ]);
    assert.deepEqual(b.confusion_matrix, [[3, 1], [1, 3]]);
    for (const v of [b.accuracy, b.balanced_accuracy, b.precision, b.recall, b.f1, b.specificity, b.precision_macro, b.f1_weighted]) {
      close(v, 0.75);
    }
    close(b.mcc, 0.5); // (3·3 − 1·1) / √(4·4·4·4)
    close(b.cohen_kappa, 0.5); // p_o = 0.75, p_e = 0.5
    // −(ln .8 + ln .4 + ln .7 + ln .4 + ln .9 + ln .9 + ln .6 + ln .7) / 8
    close(b.log_loss, 0.4363276947527035);
    close(b.brier_score, 0.14); // (.04 + .36 + .09 + .36 + .01 + .01 + .16 + .09) / 8
    // 16 positive/negative pairs: 14 ranked right, the 0.6/0.6 tie counts ½ → 14.5/16
    close(b.roc_auc, 0.90625);
    // thresholds .9 .7 .6 .4: precision 1, 1, .75, .8 at recall steps of .25
    close(b.pr_auc_average_precision, 0.8875);
    assert.equal(b.top2_accuracy, 1);
    assert.equal(b.top3_accuracy, 1);
    assert.deepEqual(b.per_class.neg, { precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    assert.ok(b.warnings.some((w) => w.startsWith('top2_accuracy')));
  });

  it('binary: positiveClass = 0 swaps the positive-class metrics', () => {
    const m = classificationMetrics({
      yTrue: i32([0, 0, 0, 1]),
      proba: f64([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.4, 0.6]]),
      numClasses: 2,
      positiveClass: 0,
    }) as BinaryClassificationMetrics;
    // class 0 positive: tp 2, fn 1, fp 0, tn 1
    close(m.precision, 1);
    close(m.recall, 2 / 3);
    close(m.f1, 0.8);
    close(m.specificity, 1);
    close(m.roc_auc, 2 / 3); // p(class 0): positives .9 .8 .3 vs the negative .4
  });

  it('binary with one class in y_true: roc_auc is null (scikit-learn raises), AP is 0 with no positives', () => {
    const m = classificationMetrics({ yTrue: i32([0, 0, 0]), proba: f64([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]), numClasses: 2 }) as BinaryClassificationMetrics;
    assert.equal(m.roc_auc, null);
    assert.equal(m.pr_auc_average_precision, 0);
    assert.ok(m.warnings.some((w) => /ROC AUC is undefined/.test(w)));
    assert.equal(m.recall, 0);
    assert.equal(m.precision, 0);
  });

  it('multiclass with a class absent from y_true: by hand, roc_auc_ovr_macro null', () => {
    const m = classificationMetrics({
      yTrue: i32([0, 0, 1, 1, 0, 1]),
      proba: f64([[0.7, 0.2, 0.1], [0.2, 0.3, 0.5], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.3, 0.3, 0.4]]),
      numClasses: 3,
    });
    assert.ok(isMulticlassMetrics(m));
    const mc = m as MulticlassClassificationMetrics;
    assert.deepEqual(mc.confusion_matrix, [[2, 0, 1], [1, 1, 1], [0, 0, 0]]);
    close(mc.accuracy, 0.5);
    close(mc.balanced_accuracy, 0.5); // (2/3 + 1/3) / 2, class 2 ignored
    close(mc.precision_macro, 0.5555555555555555); // (2/3 + 1 + 0) / 3
    close(mc.recall_macro, 1 / 3);
    close(mc.f1_macro, 0.38888888888888884); // (2/3 + 1/2 + 0) / 3
    close(mc.precision_weighted, 0.8333333333333334); // supports 3, 3, 0
    close(mc.recall_weighted, 0.5);
    close(mc.f1_weighted, 0.5833333333333334);
    close(mc.f1_micro, 0.5);
    close(mc.mcc, 6 / Math.sqrt(396)); // (3·6 − 12) / √((36 − 18)(36 − 14))
    close(mc.cohen_kappa, 0.25); // 1 − 3/4
    close(mc.log_loss, -(Math.log(0.7) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3) + Math.log(0.5) + Math.log(0.3)) / 6);
    close(mc.top2_accuracy, 5 / 6); // row 1 misses; row 5's 0.3/0.3 tie with class 0 does not push class 1 out
    assert.equal(mc.top3_accuracy, 1);
    assert.equal(mc.roc_auc_ovr_macro, null);
    assert.ok(mc.warnings.some((w) => /one-vs-rest.*2/.test(w)));
  });

  it('multiclass one-vs-rest macro AUC with ties: mean of per-class AUCs', () => {
    // class 0 column: pos {.6,.5} vs neg {.2,.3,.2,.5} → (4 + 3.5)/8; class 1: pos {.7,.5} vs {.3,.2,.1,.1} → 1;
    // class 2: pos {.7,.4} vs {.1,.3,.3,.1} → 1
    const m = classificationMetrics({
      yTrue: i32([0, 0, 1, 1, 2, 2]),
      proba: f64([[0.6, 0.3, 0.1], [0.5, 0.2, 0.3], [0.2, 0.7, 0.1], [0.3, 0.5, 0.2], [0.2, 0.1, 0.7], [0.5, 0.1, 0.4]]),
      numClasses: 3,
    }) as MulticlassClassificationMetrics;
    close(m.roc_auc_ovr_macro, (7.5 / 8 + 1 + 1) / 3);
  });

  it('accepts Float32 probabilities and explicit predictions', () => {
    const m = classificationMetrics({
      yTrue: i32([0, 1, 1]),
      proba: Float32Array.from([0.25, 0.75, 0.5, 0.5, 0.125, 0.875]),
      numClasses: 2,
      yPred: i32([0, 0, 1]),
    }) as BinaryClassificationMetrics;
    assert.deepEqual(m.confusion_matrix, [[1, 0], [1, 1]]);
    close(m.roc_auc, 0.5); // positives .5 .875 vs the negative .75
    assert.ok(!m.warnings.some((w) => /sum to 1/.test(w)));
  });

  it('class names are keys even when they are "__proto__"', () => {
    const m = fromLabels([0, 1], [0, 1], 2);
    assert.deepEqual(Object.keys(m.per_class), ['0', '1']);
    const n = classificationMetrics({ yTrue: i32([0, 1]), proba: f64([[1, 0], [0, 1]]), numClasses: 2, classNames: ['__proto__', 'b'] });
    assert.deepEqual(Object.keys(n.per_class), ['__proto__', 'b']);
    assert.equal(n.per_class.__proto__.support, 1);
  });

  it('rejects bad input with a MetricsError', () => {
    const base = { yTrue: i32([0, 1]), proba: f64([[1, 0], [0, 1]]), numClasses: 2 };
    const code = (f: () => unknown, c: string) => assert.throws(f, (e: unknown) => e instanceof MetricsError && e.code === c);
    code(() => classificationMetrics({ ...base, numClasses: 1, proba: Float64Array.from([1, 1]) }), 'invalid-labels');
    code(() => classificationMetrics({ ...base, yTrue: i32([0, 2]) }), 'invalid-labels');
    code(() => classificationMetrics({ ...base, proba: Float64Array.from([1, 0, 0]) }), 'length-mismatch');
    code(() => classificationMetrics({ ...base, proba: Float64Array.from([NaN, 1, 0, 1]) }), 'invalid-values');
    code(() => classificationMetrics({ ...base, yTrue: i32([]), proba: new Float64Array(0) }), 'empty');
    code(() => classificationMetrics({ ...base, classNames: ['a', 'a'] }), 'invalid-labels');
  });
});
