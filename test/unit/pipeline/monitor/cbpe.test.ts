/**
 * CBPE: realized metrics equal the evaluation's (scikit-learn definitions); isotonic regression is PAVA as
 * sklearn fits it; on well-calibrated scores the estimate tracks the realized accuracy of unlabelled chunks; on a
 * miscalibrated model the isotonic step is chosen and corrects the estimate; the sampling error shrinks as √n.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluate, scoreRows } from '../../../../src/pipeline/evaluate';
import { classificationMetrics } from '../../../../src/pipeline/evaluate/metrics';
import { REPO_ROOT } from '../../../helpers/paths';
import { Isotonic, fitCbpe, realizedMetrics } from '../../../../src/pipeline/monitor/cbpe';
import { createRng32 } from '../../../../src/pipeline/shared/rng';

/** n rows of a binary model: a score s, the model's probability f(s), and a label drawn with P(y=1) = s. */
function binary(n: number, seed: number, f: (s: number) => number = (s) => s): { proba: Float64Array; labels: Int32Array } {
  const rng = createRng32(seed);
  const proba = new Float64Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = rng.nextFloat();
    const p = f(s);
    proba[i * 2] = 1 - p;
    proba[i * 2 + 1] = p;
    labels[i] = rng.nextFloat() < s ? 1 : 0;
  }
  return { proba, labels };
}

/** n rows of a 3-class model whose softmax scores are calibrated: the label is drawn from them. */
function multiclass(n: number, seed: number): { proba: Float64Array; labels: Int32Array } {
  const rng = createRng32(seed);
  const proba = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = [rng.nextFloat() * 3, rng.nextFloat() * 3, rng.nextFloat() * 3].map(Math.exp);
    const sum = z[0]! + z[1]! + z[2]!;
    for (let c = 0; c < 3; c++) proba[i * 3 + c] = z[c]! / sum;
    const u = rng.nextFloat();
    labels[i] = u < proba[i * 3]! ? 0 : u < proba[i * 3]! + proba[i * 3 + 1]! ? 1 : 2;
  }
  return { proba, labels };
}

const close = (a: number | null, b: number | null, tol: number, what: string) => assert.ok(a !== null && b !== null && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (±${tol})`);

describe('monitor: CBPE (confidence-based performance estimation)', () => {
  it('realized metrics are the evaluation\'s: accuracy, precision/recall/F1 of class 1 (binary) or macro, ROC AUC', () => {
    const b = binary(500, 1);
    const r = realizedMetrics(b.proba, b.labels, 2);
    const m = classificationMetrics({ yTrue: b.labels, proba: b.proba, numClasses: 2 }) as unknown as Record<string, number>;
    for (const [ours, theirs] of [['accuracy', 'accuracy'], ['precision', 'precision'], ['recall', 'recall'], ['f1', 'f1'], ['roc_auc', 'roc_auc']] as const) close(r[ours], m[theirs]!, 1e-12, ours);
    const mc = multiclass(600, 2);
    const r3 = realizedMetrics(mc.proba, mc.labels, 3);
    const m3 = classificationMetrics({ yTrue: mc.labels, proba: mc.proba, numClasses: 3 }) as unknown as Record<string, number>;
    for (const [ours, theirs] of [['accuracy', 'accuracy'], ['precision', 'precision_macro'], ['recall', 'recall_macro'], ['f1', 'f1_macro'], ['roc_auc', 'roc_auc_ovr_macro']] as const) close(r3[ours], m3[theirs]!, 1e-12, ours);
  });

  it('isotonic regression pools adjacent violators and interpolates between blocks, clipped at the ends', () => {
    // sklearn: IsotonicRegression(out_of_bounds='clip').fit([1,2,3,4,5,6], [1,3,2,4,3,5]) → [1, 2.5, 2.5, 3.5, 3.5, 5]
    const iso = Isotonic.fit([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 3, 5]);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((x) => iso.predict(x)), [1, 2.5, 2.5, 3.5, 3.5, 5]);
    assert.equal(iso.predict(0), 1);
    assert.equal(iso.predict(9), 5);
    assert.equal(iso.predict(3.5), 3);
    // Equal x values are pooled before the violators are merged.
    const tied = Isotonic.fit([1, 1, 2], [0, 1, 0]);
    assert.deepEqual([1, 2].map((x) => tied.predict(x)), [1 / 3, 1 / 3]);
  });

  it('calibrated scores: estimates within 0.03 of the realized metrics on unlabelled chunks', () => {
    const ref = binary(5000, 3);
    const fit = fitCbpe(ref.proba, ref.labels, 2);
    for (let chunk = 0; chunk < 5; chunk++) {
      const cur = binary(1000, 100 + chunk);
      const est = fit.estimate(cur.proba, 1000);
      const real = realizedMetrics(cur.proba, cur.labels, 2);
      for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const) close(est[metric], real[metric], 0.03, `chunk ${chunk} ${metric}`);
    }
    const mc = multiclass(4000, 4);
    const fit3 = fitCbpe(mc.proba, mc.labels, 3);
    const cur3 = multiclass(1000, 5);
    const est3 = fit3.estimate(cur3.proba, 1000);
    const real3 = realizedMetrics(cur3.proba, cur3.labels, 3);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const) close(est3[metric], real3[metric], 0.03, `multiclass ${metric}`);
  });

  it('an overconfident model: isotonic calibration is chosen and the estimate lands where the uncalibrated one misses', () => {
    const overconfident = (s: number) => (s > 0.5 ? 1 - (1 - s) ** 3 * 4 : s ** 3 * 4);
    const ref = binary(5000, 6, overconfident);
    const fit = fitCbpe(ref.proba, ref.labels, 2);
    assert.deepEqual(fit.calibrated, [true]);
    const cur = binary(2000, 7, overconfident);
    const real = realizedMetrics(cur.proba, cur.labels, 2);
    const est = fit.estimate(cur.proba, 2000);
    close(est.accuracy, real.accuracy, 0.03, 'calibrated accuracy');
    // Taking the raw scores at their word overstates the accuracy by far more.
    let naive = 0;
    for (let i = 0; i < 2000; i++) naive += Math.max(cur.proba[i * 2]!, cur.proba[i * 2 + 1]!);
    assert.ok(naive / 2000 - real.accuracy! > 0.08, `naive ${naive / 2000} vs realized ${real.accuracy}`);
  });

  it('the sampling error of accuracy is the binomial standard error, and halves when the chunk is 4× larger', () => {
    const ref = binary(5000, 8);
    const fit = fitCbpe(ref.proba, ref.labels, 2, { bootstrap: 200 });
    const a = fit.reference.accuracy!;
    const se = fit.samplingError(500).accuracy!;
    close(se, Math.sqrt((a * (1 - a)) / 500), 0.004, 'SE at 500 rows');
    close(fit.samplingError(2000).accuracy! / se, 0.5, 0.12, 'SE ratio 2000 / 500');
  });

  it('the shipped digits MLP and CNN: fitted on the training data, the estimated accuracy of each 150-row chunk of the test data is within 0.03 of the realized one', async function () {
    this.timeout(60_000);
    for (const file of ['digits_mlp.onnx', 'digits_cnn.onnx']) {
      const model = join(REPO_ROOT, 'examples/digits', file);
      const ref = await scoreRows({ model, data: join(REPO_ROOT, 'examples/digits/digits_train.csv') } as Parameters<typeof scoreRows>[0]);
      const cur = await scoreRows({ model, data: join(REPO_ROOT, 'examples/digits/digits_test.csv') } as Parameters<typeof scoreRows>[0]);
      const k = cur.classNames!.length;
      // scoreRows reads the rows as evaluate does: the same accuracy.
      const evaluated = await evaluate({ model, data: join(REPO_ROOT, 'examples/digits/digits_test.csv'), bootstrap: 0 } as Parameters<typeof evaluate>[0]);
      close(realizedMetrics(cur.proba!, cur.truth!, k).accuracy, (evaluated.metrics as unknown as { accuracy: number }).accuracy, 1e-12, `${file} realized = evaluate`);
      const fit = fitCbpe(ref.proba!, ref.truth!, k);
      for (let s = 0; s < cur.rows; s += 150) {
        const e = Math.min(cur.rows, s + 150);
        const p = cur.proba!.subarray(s * k, e * k);
        close(fit.estimate(p, e - s).accuracy, realizedMetrics(p, cur.truth!.subarray(s, e), k).accuracy, 0.03, `${file} rows ${s}–${e}`);
      }
    }
  });
});
