import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { handleRequest } from '../../../../src/cli/worker';
import type { ExplainResult } from '../../../../src/protocol/explain';
import type { WorkerReply } from '../../../../src/protocol/worker';
import { REPO_ROOT } from '../../../helpers/paths';

const root = REPO_ROOT;
const ex = (p: string): string => join(root, 'examples', p);

/** Runs the real `ptp` entry (TypeScript through tsx), capturing stdout/stderr/exit code. */
function ptp(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 100000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('explain: ptp explain and the worker op', function () {
  this.timeout(120000);
  const credit = ['explain', ex('credit/credit_logreg.onnx'), '--data', ex('credit/credit_test.csv'), '--exclude', 'applicant_id', '--sensitive', 'sex'];

  it('--json prints one complete JSON document', () => {
    const r = ptp(...credit, '--rows', '0,5,7', '--json', '--background-kmeans', '10');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as ExplainResult;
    assert.equal(doc.method, 'exact');
    assert.deepEqual(doc.rows, [0, 5, 7]);
    assert.equal(doc.background.how, 'kmeans');
    for (const key of ['feature_names', 'output_names', 'base_value', 'f_x', 'shap_values', 'efficiency_max_error', 'feature_values', 'model_calls', 'model_rows', 'seconds', 'notes']) {
      assert.ok(key in doc, key);
    }
    assert.equal(doc.shap_values.length, 3);
    assert.equal(doc.shap_values[0]!.length, 6);
    assert.equal(doc.shap_values[0]![0]!.length, 2);
  });

  it('text: per row the predicted class and its top features as bars', () => {
    const r = ptp(...credit, '--max-rows', '2', '--output', '1', '--top', '3');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Explained 2 rows of .*credit_test\.csv with exact \(6 features, 1 output\); background: 100 rows \(sample\)/);
    assert.match(r.stdout, /row 0, label 0: output "1" f\(x\) = 0\.\d+, base 0\.\d+/);
    assert.match(r.stdout, /income_k\s+= 21\.06\s+[−+]0\.\d+\s+[█▒]+/);
    assert.match(r.stdout, /3 other features/);
    assert.match(r.stdout, /mean \|φ\| over the rows/);
    assert.match(r.stdout, /efficiency max error \d/);
  });

  it("text: sampled values show each row's estimated error; the adaptive default says what it reached", () => {
    const r = ptp(...credit, '--max-rows', '2', '--output', '1', '--method', 'permutation', '--target-error', '0.05');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /row 0, label 0: output "1" f\(x\) = 0\.\d+, base 0\.\d+ · est\. error \d+\.\d+% \(max SE [\d.e+−-]+\)/);
    assert.match(r.stdout, /note: adaptive budget: \d of 2 rows reached an estimated error ≤ 5\.00% \(relative L1; largest \d+\.\d+%\)/);
    const bad = ptp(...credit, '--method', 'kernel', '--target-error', '5');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /targetError must be a fraction in \(0, 1\)/);
  });

  it('exact on 64 features: exit code 2, one line with the cost and what to use', () => {
    const r = ptp('explain', ex('digits/digits_mlp.onnx'), '--data', ex('digits/digits_test.csv'), '--method', 'exact');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ptp: exact needs 2\^M = 2\^64 = .* use --method kernel or permutation\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('usage errors: --rows with --max-rows', () => {
    const r = ptp(...credit, '--rows', '1', '--max-rows', '3');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /either --rows or --max-rows/);
  });

  it('the worker serves explain', async () => {
    const replies: WorkerReply[] = [];
    await handleRequest(
      { kind: 'request', id: 7, op: 'explain', params: { model: ex('diabetes/diabetes_ridge.onnx'), data: ex('diabetes/diabetes_test.csv'), maxRows: 2 } },
      (m) => replies.push(m),
    );
    const last = replies[replies.length - 1]!;
    assert.equal(last.kind, 'result', JSON.stringify(last));
    const res = (last as { result: ExplainResult }).result;
    assert.equal(res.method, 'exact');
    assert.equal(res.shap_values.length, 2);
    assert.ok(replies.some((m) => m.kind === 'progress'));
  });
});
