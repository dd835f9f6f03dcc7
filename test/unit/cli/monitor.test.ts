/**
 * `ptp monitor` through the real entry: the --json keys of the contract, --fail-on drift|performance, --on-alert
 * running a command with the alert on stdin and in $PTP_ALERT_FILE, --html, usage and data errors as exit 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';
import { exampleSlice } from '../../helpers/shifted';

function ptp(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: ptp monitor', function () {
  this.timeout(180_000);
  let dir: string;
  let reference: string;
  let shifted: string;
  let unshifted: string;
  const model = join(REPO_ROOT, 'examples/credit/credit_logreg.onnx');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-cli-monitor-'));
    reference = exampleSlice('credit/credit_test.csv', dir, 'reference.csv', 0, 450);
    // Every feature moved: a dataset drift in every chunk.
    shifted = exampleSlice('credit/credit_test.csv', dir, 'shifted.csv', 450, 900, { income_k: (x) => x * 2 + 30, debt_ratio: (x) => x + 0.4, age: (x) => x + 15, years_employed: (x) => x + 10, n_accounts: (x) => x + 4, late_payments: (x) => x + 3 });
    unshifted = exampleSlice('credit/credit_test.csv', dir, 'unshifted.csv', 450, 900);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json: the contract\'s keys; --fail-on drift exits 1 on drifted data and 0 on unshifted data; --html writes the report', () => {
    const html = join(dir, 'report.html');
    const r = ptp(dir, 'monitor', '--reference', reference, '--current', shifted, '--model', model, '--exclude', 'applicant_id', '--chunk-size', '150', '--json', '--html', html, '--fail-on', 'drift');
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & { chunks: Record<string, unknown>[]; reference: Record<string, unknown> };
    for (const key of ['reference', 'chunks']) assert.ok(key in doc, `top-level ${key}`);
    assert.equal(doc.chunks.length, 3);
    for (const c of doc.chunks) {
      for (const key of ['index', 'start', 'end', 'rows', 'drift', 'realized', 'estimated', 'latency', 'alerts']) assert.ok(key in c, `chunk key ${key}`);
      const drift = c.drift as Record<string, unknown>;
      for (const key of ['dataset_drift', 'drift_share', 'columns']) assert.ok(key in drift, `drift key ${key}`);
      assert.equal(drift.dataset_drift, true);
      const col = (drift.columns as Record<string, unknown>[])[0]!;
      assert.deepEqual(Object.keys(col).sort(), ['drift', 'kind', 'name', 'p_value', 'statistic', 'stattest', 'threshold']);
      assert.ok((c.alerts as { kind: string }[]).some((a) => a.kind === 'drift'));
    }
    assert.ok(existsSync(html) && statSync(html).size < 300_000);
    assert.match(readFileSync(html, 'utf8'), /<h1>Monitoring<\/h1>/);

    const ok = ptp(dir, 'monitor', '--reference', reference, '--current', unshifted, '--model', model, '--exclude', 'applicant_id', '--chunk-size', '150', '--fail-on', 'drift');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /3 chunks of .*unshifted\.csv/);
  });

  it('--on-alert runs the command (no shell) with the alert JSON on stdin and in $PTP_ALERT_FILE', () => {
    const script = join(dir, 'on-alert.js');
    const out = join(dir, 'alerts.jsonl');
    writeFileSync(script, `const fs = require('fs'); let stdin = ''; process.stdin.on('data', (d) => (stdin += d)); process.stdin.on('end', () => fs.appendFileSync(${JSON.stringify(out)}, JSON.stringify({ stdin: JSON.parse(stdin), file: JSON.parse(fs.readFileSync(process.env.PTP_ALERT_FILE, 'utf8')) }) + '\\n'));\n`);
    const r = ptp(dir, 'monitor', '--reference', reference, '--current', shifted, '--exclude', 'applicant_id', '--chunk-size', '225', '--on-alert', `${process.execPath} ${script}`);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { stdin: { alert: { kind: string; metric: string }; chunk: { index: number } }; file: unknown });
    assert.equal(lines.length, 2, 'one run per alert: dataset drift in each of the 2 chunks');
    for (const [i, l] of lines.entries()) {
      assert.deepEqual(l.file, l.stdin, 'the same JSON on stdin and in the file');
      assert.equal(l.stdin.alert.metric, 'dataset_drift');
      assert.equal(l.stdin.chunk.index, i);
    }
  });

  it('bad input: both chunk options (usage, exit 2), a missing current file (exit 2 naming it)', () => {
    const both = ptp(dir, 'monitor', '--reference', reference, '--current', shifted, '--chunk-size', '10', '--chunk-period', '1h');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--chunk-size or --chunk-period, not both/);
    const missing = ptp(dir, 'monitor', '--reference', reference, '--current', join(dir, 'nope.csv'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.csv/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });
});
