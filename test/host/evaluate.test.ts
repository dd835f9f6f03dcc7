import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { inspect, openModel } from '../../src/core';
import type { BenchResult, CompareResult, EvaluateResult } from '../../src/protocol/evaluate';
import { activateExtension, fixture, waitFor, tabsOf } from './util';

/** The accuracy the Python training script measured on the same held-out rows (metadata_props). */
async function recordedTestAccuracy(file: string): Promise<string> {
  const model = await openModel(file);
  try {
    const value = inspect(model).metadata_props.test_accuracy;
    assert.ok(value, `${file} has no test_accuracy metadata`);
    return value;
  } finally {
    await model.close();
  }
}


export default function (): void {
  describe('evaluation commands', () => {
    before(async () => {
      await activateExtension();
    });

    it('Evaluate Model returns the digits MLP accuracy the training script recorded, saves the run and opens the panel', async function () {
      this.timeout(120_000); // first run forks the worker and loads onnxruntime
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const result = await vscode.commands.executeCommand<EvaluateResult | undefined>('ptp.evaluateModel', model, { data });
      assert.ok(result && typeof result === 'object', `ptp.evaluateModel returned ${JSON.stringify(result)}`);
      assert.equal(result.task, 'classification');
      assert.equal(result.samples, 450);
      assert.ok(result.metrics && 'accuracy' in result.metrics, `metrics: ${JSON.stringify(result.metrics)}`);
      assert.equal(result.metrics.accuracy.toFixed(4), await recordedTestAccuracy(model.fsPath));
      assert.equal(result.class_names?.length, 10);

      assert.ok(result.saved_to, 'the result has no saved_to');
      assert.equal(path.dirname(result.saved_to), path.join(path.dirname(model.fsPath), '.ptp', 'runs'));
      assert.ok(fs.existsSync(result.saved_to), `${result.saved_to} does not exist`);
      const runs = fs.readdirSync(path.dirname(result.saved_to)).filter((f) => /^digits_mlp\.evaluate\..*\.json$/.test(f));
      assert.ok(runs.length >= 1, 'no .ptp/runs/digits_mlp.evaluate.*.json');
      const saved = JSON.parse(fs.readFileSync(result.saved_to, 'utf8')) as EvaluateResult;
      assert.equal(saved.metrics && 'accuracy' in saved.metrics ? saved.metrics.accuracy : NaN, result.metrics.accuracy);

      await waitFor('an Evaluation panel tab', () => tabsOf('ptp.evaluation').length > 0, 10_000);
    });

    it('rejects an unknown label column with a message listing the columns found', async function () {
      this.timeout(60_000);
      const model = fixture('digits_mlp.onnx');
      const data = fixture('digits_test.csv').fsPath;
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('ptp.evaluateModel', model, { data, label: 'no_such_column' })),
        (e: Error) => {
          assert.match(e.message, /no_such_column/);
          assert.match(e.message, /columns found/);
          assert.match(e.message, /pixel_0/);
          assert.doesNotMatch(e.message, /\n\s+at /, 'the message must not carry a stack trace');
          return true;
        },
      );
    });

    it('passes sensitive columns, exclusions and ptp.evaluation.bootstrap to the fairness report', async function () {
      this.timeout(60_000);
      const config = vscode.workspace.getConfiguration('ptp');
      await config.update('evaluation.bootstrap', 0, vscode.ConfigurationTarget.Workspace);
      try {
        const model = fixture('credit_logreg.onnx');
        const data = fixture('credit_test.csv').fsPath;
        const result = await vscode.commands.executeCommand<EvaluateResult>('ptp.evaluateModel', model, { data, sensitive: ['sex'], exclude: ['applicant_id'] });
        const sex = result.fairness?.sex;
        assert.ok(sex, `no fairness report for "sex": ${JSON.stringify(Object.keys(result.fairness ?? {}))}`);
        assert.deepEqual(Object.keys(sex.by_group).sort(), ['F', 'M']);
        assert.equal(sex.ci, undefined, 'bootstrap 0 must give no confidence intervals');
        assert.ok(result.metrics && 'roc_auc' in result.metrics, 'binary metrics expected');
      } finally {
        await config.update('evaluation.bootstrap', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('Compare Models on Data returns agreement and output differences for both models', async function () {
      this.timeout(60_000);
      const a = fixture('digits_mlp.onnx');
      const b = fixture('digits_cnn.onnx');
      const data = fixture('digits_test.csv').fsPath;
      const result = await vscode.commands.executeCommand<CompareResult>('ptp.compareOnData', a, [a, b], { data });
      assert.ok(result && typeof result === 'object', `ptp.compareOnData returned ${JSON.stringify(result)}`);
      assert.equal(result.models.length, 2);
      assert.equal(result.agreement.length, 2);
      assert.equal(result.max_abs_diff.length, 2);
      assert.equal(result.agreement[0], 1);
      assert.ok(result.agreement[1]! > 0.9 && result.agreement[1]! <= 1, `agreement ${result.agreement[1]}`);
      assert.ok(result.table.some((r) => r.metric === 'accuracy' && r.values.length === 2));
    });

    it('Benchmark Model returns one row per batch size', async function () {
      this.timeout(60_000);
      const result = await vscode.commands.executeCommand<BenchResult>('ptp.benchmarkModel', fixture('digits_mlp.onnx'), { batchSizes: [1, 8], runs: 5, warmup: 1 });
      assert.ok(result && typeof result === 'object', `ptp.benchmarkModel returned ${JSON.stringify(result)}`);
      assert.deepEqual(result.results.map((r) => r.batch_size), [1, 8]);
      for (const r of result.results) assert.ok(r.p50_ms > 0 && r.rows_per_s > 0, JSON.stringify(r));
    });
  });
}
