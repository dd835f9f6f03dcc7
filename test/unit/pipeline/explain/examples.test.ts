import assert from 'node:assert/strict';
import { join } from 'node:path';
import { explain, ExplainError } from '../../../../src/pipeline/explain';
import { assertEfficiency, relativeL1 } from './helpers';
import { REPO_ROOT } from '../../../helpers/paths';

const ex = (p: string): string => join(REPO_ROOT, 'examples', p);

describe('explain: the shipped examples', function () {
  this.timeout(120000);

  it('diabetes (Ridge, 10 features): exact; kernel with its default budget enumerates every coalition and agrees; sampled kernel is close', async () => {
    const base = { model: ex('diabetes/diabetes_ridge.onnx'), data: ex('diabetes/diabetes_test.csv'), maxRows: 20 };
    const exact = await explain({ ...base, method: 'exact' });
    assert.equal(exact.task, 'regression');
    assert.deepEqual(exact.feature_names, ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']);
    assert.equal(exact.coalitions_per_row[0], 1022);
    assertEfficiency(exact, 1e-9);
    const kernel = await explain({ ...base });
    assert.equal(kernel.method, 'exact', 'the default for 10 features is exact');
    const k = await explain({ ...base, method: 'kernel' });
    assert.equal(k.coalitions_per_row[0], 1022, 'nsamples 2·10 + 2048 is capped at 2^10 − 2');
    k.shap_values.forEach((row, i) => row.forEach((phi, j) => assert.ok(Math.abs(phi[0]! - exact.shap_values[i]![j]![0]!) < 1e-6 * Math.max(1, Math.abs(exact.shap_values[i]![j]![0]!)))));
    // A linear model: Kernel SHAP is exact for any budget that makes the fit determined.
    const sampled = await explain({ ...base, method: 'kernel', nsamples: 100 });
    for (let i = 0; i < 20; i++) assert.ok(relativeL1(sampled.shap_values[i]!, exact.shap_values[i]!) < 1e-4);
    const perm = await explain({ ...base, method: 'permutation' });
    for (let i = 0; i < 20; i++) assert.ok(relativeL1(perm.shap_values[i]!, exact.shap_values[i]!) < 1e-4);
    assertEfficiency(perm, 1e-9);
  });

  it('credit (sklearn-onnx logistic regression with ZipMap): two class probabilities, φ of class 0 = −φ of class 1', async () => {
    const res = await explain({ model: ex('credit/credit_logreg.onnx'), data: ex('credit/credit_test.csv'), excludeColumns: ['applicant_id'], sensitive: ['sex'], maxRows: 10 });
    assert.equal(res.method, 'exact');
    assert.deepEqual(res.feature_names, ['income_k', 'debt_ratio', 'age', 'years_employed', 'n_accounts', 'late_payments']);
    assert.deepEqual(res.output_names, ['0', '1']);
    assert.ok(res.notes.some((n) => /ZipMap 'output_probability' read as 'probabilities'/.test(n)));
    for (let i = 0; i < 10; i++) {
      assert.ok(Math.abs(res.f_x[i]![0]! + res.f_x[i]![1]! - 1) < 1e-6);
      res.shap_values[i]!.forEach((phi) => assert.ok(Math.abs(phi[0]! + phi[1]!) < 1e-6));
    }
    assertEfficiency(res, 1e-9);
  });

  describe('digits MLP (64 pixel features)', () => {
    const base = { model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), rows: [0, 1] };

    it('exact is refused with the cost and the alternatives', async () => {
      await assert.rejects(explain({ ...base, method: 'exact' }), (e: unknown) => {
        assert.ok(e instanceof ExplainError && e.code === 'too-many-features');
        assert.match(e.message, /exact needs 2\^M = 2\^64 = 1\.84e\+19 coalitions × 100 background rows .* use --method kernel or permutation/);
        return true;
      });
    });

    it('kernel (the default) and permutation agree on the predicted class; constant pixels get 0', async () => {
      const k = await explain({ ...base });
      assert.equal(k.method, 'kernel');
      assert.equal(k.output_names.length, 10);
      assertEfficiency(k, 1e-9);
      const p = await explain({ ...base, method: 'permutation', maxEvals: 3000 });
      assertEfficiency(p, 1e-9);
      for (let i = 0; i < 2; i++) {
        const f = k.f_x[i]!;
        const predicted = f.indexOf(Math.max(...f));
        assert.equal(predicted, k.labels![i], 'the MLP gets these rows right');
        const err = relativeL1(p.shap_values[i]!, k.shap_values[i]!, predicted);
        assert.ok(err < 0.35, `kernel vs permutation, relative L1 ${err.toFixed(3)}`);
        // pixel_0 is 0 in every digit: not varying, φ = 0 exactly
        assert.ok(k.shap_values[i]![0]!.every((v) => v === 0));
        assert.ok(k.varying_features[i]! < 64);
      }
    });
  });

  it('digits CNN ([N,1,8,8]): occlusion by default, heatmaps of 8×8', async () => {
    const res = await explain({ model: ex('digits/digits_cnn.onnx'), data: ex('digits/digits_test.csv'), rows: [0], patch: 4, output: 'all' });
    assert.equal(res.method, 'occlusion');
    assert.equal(res.image!.shapley, 'exact');
    assert.equal(res.feature_names.length, 4);
    assert.equal(res.image!.heatmaps[0]!.length, 10);
    assert.equal(res.image!.heatmaps[0]![0]!.length, 64);
    assertEfficiency(res, 1e-9);
  });
});
