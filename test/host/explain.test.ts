import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExplainResult } from '../../src/protocol/explain';
import { activateExtension, fixture, waitFor, tabsOf } from './util';


export default function (): void {
  describe('Explain Predictions', () => {
    before(async () => {
      await activateExtension();
    });

    it('explains 3 diabetes rows exactly: the CSV feature columns, efficiency holds, shape [3][10][1], panel opens', async function () {
      this.timeout(120_000);
      const data = fixture('diabetes_test.csv').fsPath;
      const header = fs.readFileSync(data, 'utf8').split(/\r?\n/)[0]!.split(',');
      const result = await vscode.commands.executeCommand<ExplainResult | undefined>('ptp.explainModel', fixture('diabetes_ridge.onnx'), { data, rows: [0, 1, 2], method: 'exact' });
      assert.ok(result && typeof result === 'object', `ptp.explainModel returned ${JSON.stringify(result)}`);
      assert.deepEqual(result.feature_names, header.filter((c) => c !== 'target'));
      assert.equal(result.method, 'exact');
      assert.ok(result.efficiency_max_error < 1e-6, `efficiency error ${result.efficiency_max_error}`);
      assert.equal(result.shap_values.length, 3);
      for (const row of result.shap_values) {
        assert.equal(row.length, 10);
        for (const f of row) assert.equal(f.length, 1);
      }
      assert.deepEqual(result.rows, [0, 1, 2]);
      await waitFor('an Attributions panel tab', () => tabsOf('ptp.explain').length > 0, 10_000);
    });

    it('rejects exact on the 64-pixel digits MLP with a message suggesting Kernel or Permutation SHAP', async function () {
      this.timeout(60_000);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('ptp.explainModel', fixture('digits_mlp.onnx'), { data: fixture('digits_test.csv').fsPath, maxRows: 2, method: 'exact' })),
        (e: Error) => {
          assert.match(e.message, /kernel/i);
          assert.match(e.message, /permutation/i);
          assert.doesNotMatch(e.message, /--method/, 'the message must not speak CLI');
          assert.doesNotMatch(e.message, /\n\s+at /, 'the message must not carry a stack trace');
          return true;
        },
      );
    });

    it('explains the credit model (ZipMap probabilities) with applicant_id and the text column sex left out', async function () {
      this.timeout(60_000);
      const result = await vscode.commands.executeCommand<ExplainResult>('ptp.explainModel', fixture('credit_logreg.onnx'), {
        data: fixture('credit_test.csv').fsPath,
        maxRows: 4,
        exclude: ['applicant_id', 'sex'],
      });
      assert.ok(result && typeof result === 'object', `ptp.explainModel returned ${JSON.stringify(result)}`);
      assert.ok(!result.feature_names.includes('applicant_id') && !result.feature_names.includes('sex'), result.feature_names.join(', '));
      assert.deepEqual(result.output_names, ['0', '1']);
      assert.equal(result.shap_values.length, 4);
      assert.ok(result.efficiency_max_error < 1e-6, `efficiency error ${result.efficiency_max_error}`);
    });

    it('rejects a bad arguments object with a clear message', async () => {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.explainModel', fixture('diabetes_ridge.onnx'), { data: 'relative.csv' })), /"data" must be the absolute path/);
    });
  });
}
