import assert from 'node:assert/strict';
import { explain } from '../../../../src/pipeline/explain';
import type { ExplainResult } from '../../../../src/protocol/explain';
import { TempDir } from '../../core/build';
import { assertEfficiency, csv, interactionModel, linearModel, matrix, relativeL1, uniforms } from './helpers';

/** Per row: the true relative L1 error against `ref` (output 0). */
function trueErrors(res: ExplainResult, ref: ExplainResult): number[] {
  return res.shap_values.map((row, i) => relativeL1(row, ref.shap_values[i]!, 0));
}

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('explain: estimated error and the adaptive default budget', function () {
  this.timeout(180000);
  const tmp = new TempDir();
  after(() => tmp.dispose());

  it('a linear model: every sampled marginal contribution is the same, so the estimated error is 0 (and so is the true one)', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const r = uniforms(5);
    const model = tmp.file('lin.onnx', linearModel([1, -2, 0.5, 3, -1], 0.5));
    const data = tmp.file('lin.csv', csv(names, matrix(4, 5, r)));
    const bg = tmp.file('lin-bg.csv', csv(names, matrix(7, 5, r)));
    const exact = await explain({ model, data, background: bg, method: 'exact', label: null });
    assert.equal(exact.error, undefined);
    for (const method of ['kernel', 'permutation'] as const) {
      const res = await explain({ model, data, background: bg, method, label: null, nsamples: 12, maxEvals: 40 });
      assert.ok(res.error, method);
      for (const e of res.error.max_std_error) assert.ok(e < 1e-5, `${method}: max std error ${e}`);
      assert.equal(res.error.above_target, 0);
      assert.ok(Math.max(...trueErrors(res, exact)) < 1e-5);
    }
  });

  describe('a model with interactions, 12 features (exact values known)', () => {
    const M = 12;
    const names = Array.from({ length: M }, (_, j) => `f${j}`);
    const r = uniforms(21);
    const model = tmp.file('inter.onnx', interactionModel(M, 6, 1, 4));
    const data = tmp.file('inter.csv', csv(names, matrix(6, M, r)));
    const bg = tmp.file('inter-bg.csv', csv(names, matrix(20, M, r)));
    let exact: ExplainResult;
    before(async () => {
      exact = await explain({ model, data, background: bg, method: 'exact', label: null });
    });

    for (const [method, budget] of [
      ['permutation', { maxEvals: 300 }],
      ['kernel', { nsamples: 400 }],
    ] as const) {
      it(`${method}: the estimated error is calibrated against the true error over seeds`, async () => {
        const est: number[] = [];
        const truth: number[] = [];
        for (let seed = 0; seed < 6; seed++) {
          const res = await explain({ model, data, background: bg, method, label: null, seed, ...budget });
          assert.equal(res.error!.std_errors.length, 6);
          assert.equal(res.error!.std_errors[0]!.length, M);
          est.push(...res.error!.relative);
          truth.push(...trueErrors(res, exact));
        }
        const ratio = mean(truth) / mean(est);
        assert.ok(ratio > 0.5 && ratio < 2, `${method}: true error ${mean(truth).toFixed(4)} vs estimated ${mean(est).toFixed(4)} (ratio ${ratio.toFixed(2)})`);
      });
    }

    for (const method of ['permutation', 'kernel'] as const) {
      it(`${method} without a budget runs adaptively until the estimated error is at the target`, async () => {
        const res = await explain({ model, data, background: bg, method, label: null, targetError: 0.01, maxCoalitions: 1_000_000 });
        assert.equal(res.settings.target_error, 0.01);
        assert.equal(res.settings.max_coalitions, 1_000_000);
        assert.equal(res.settings.time_cap, undefined);
        assert.equal(res.error!.above_target, 0);
        for (const e of res.error!.relative) assert.ok(e <= 0.01, `estimated ${e}`);
        // The true error is of the same size (not 10× the target).
        assert.ok(mean(trueErrors(res, exact)) < 0.02, `true error ${mean(trueErrors(res, exact))}`);
        assertEfficiency(res, 1e-9);
        assert.ok(res.notes.some((n) => n.startsWith('adaptive budget: 6 of 6 rows')), res.notes.join('\n'));
        // More work than the fixed default for the rows that needed it.
        const fixedDefault = method === 'permutation' ? 500 : 2 * M + 2048;
        assert.ok(Math.max(...res.coalitions_per_row) > Math.min(fixedDefault, 2 ** M - 2) / 2);
      });
    }

    it('the coalition cap stops the adaptive rounds above the target, says so, and the seed repeats the values', async () => {
      const run = () => explain({ model, data, background: bg, method: 'permutation', label: null, targetError: 0.0001, maxCoalitions: 2000 });
      const res = await run();
      assert.ok(res.error!.above_target > 0);
      assert.ok(res.coalitions_per_row.every((c) => c <= 2000), res.coalitions_per_row.join());
      assert.ok(res.notes.some((n) => /stopped at the cap of 2,000 coalitions per row/.test(n)), res.notes.join('\n'));
      assert.deepEqual((await run()).shap_values, res.shap_values);
    });

    it('an optional time cap also stops the adaptive rounds, and says so', async () => {
      const res = await explain({ model, data, background: bg, method: 'permutation', label: null, targetError: 0.0001, timeCap: 0.001 });
      assert.ok(res.error!.above_target > 0);
      assert.equal(res.settings.time_cap, 0.001);
      assert.ok(res.notes.some((n) => /or 0\.001 s\/row/.test(n)), res.notes.join('\n'));
    });

    it('explicit budgets keep the fixed behaviour, and a noisy one is warned about', async () => {
      const p = await explain({ model, data, background: bg, method: 'permutation', label: null, maxEvals: 50 });
      assert.equal(p.settings.max_evals, 50);
      assert.equal(p.settings.permutation_pairs, 2);
      assert.equal(p.settings.target_error, undefined);
      assert.ok(p.coalitions_per_row.every((c) => c <= 44));
      assert.ok(p.error!.above_target > 0);
      assert.ok(p.notes.some((n) => n.startsWith('warning: estimated error (relative L1) above 2.00%')), p.notes.join('\n'));
      const k = await explain({ model, data, background: bg, method: 'kernel', label: null, nsamples: 100 });
      assert.equal(k.settings.nsamples, 100);
      assert.ok(k.coalitions_per_row.every((c) => c === 100));
      // The same values as before the adaptive default existed: a fixed budget ignores targetError / timeCap.
      const again = await explain({ model, data, background: bg, method: 'kernel', label: null, nsamples: 100, targetError: 0.5, timeCap: 0.001 });
      assert.deepEqual(again.shap_values, k.shap_values);
    });

    it('refuses a targetError outside (0, 1) and a non-positive timeCap, naming the option', async () => {
      await assert.rejects(explain({ model, data, background: bg, method: 'kernel', label: null, targetError: 2 }), /targetError must be a fraction in \(0, 1\)/);
      await assert.rejects(explain({ model, data, background: bg, method: 'kernel', label: null, timeCap: 0 }), /timeCap must be a positive number/);
    });
  });
});
