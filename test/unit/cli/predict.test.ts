/** `ptp predict` through the real entry: the --json summary, the file written, NAME@REF, bad input as exit 2 naming the file. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from '../../helpers/paths';

function ptp(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: ptp predict', function () {
  this.timeout(120000);
  let dir: string;
  const model = join(REPO_ROOT, 'examples/credit/credit_logreg.onnx');
  const data = join(REPO_ROOT, 'examples/credit/credit_test.csv');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-cli-predict-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints the summary; the CSV has one row per data row with the id column', () => {
    const out = join(dir, 'credit.csv');
    const r = ptp(dir, 'predict', model, '--data', data, '--sensitive', 'sex', '--id-column', 'applicant_id', '-o', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.rows, 900);
    assert.equal(doc.output, out);
    assert.equal(doc.model, model);
    assert.equal(typeof doc.seconds, 'number');
    assert.deepEqual(doc.columns, ['id', 'prediction', 'score_0', 'score_1']);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    const ids = (parse(readFileSync(data), { columns: true }) as Record<string, string>[]).map((x) => x.applicant_id);
    assert.deepEqual(rows.map((x) => x.id), ids);
  });

  it('NAME@REF resolves through the registry', () => {
    const reg = join(dir, 'registry');
    const add = ptp(dir, '--registry', reg, 'registry', 'add', model, '--name', 'credit', '--json');
    assert.equal(add.code, 0, add.stderr);
    const out = join(dir, 'ref.jsonl');
    const r = ptp(dir, '--registry', reg, 'predict', 'credit@1', '--data', data, '--sensitive', 'sex', '-o', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).rows, 900);
    assert.equal(readFileSync(out, 'utf8').trimEnd().split('\n').length, 900);
  });

  it('bad input: exit 2, one line naming the file, no stack, nothing written', () => {
    const cases: [string[], RegExp][] = [
      [['--data', join(dir, 'missing.csv'), '-o', join(dir, 'a.csv')], /missing\.csv: no such file/],
      [['--data', data, '-o', join(dir, 'a.xlsx')], /a\.xlsx: unknown output format/],
      [['--data', data, '--id-column', 'nope', '-o', join(dir, 'b.csv')], /credit_test\.csv: .*"nope" is not in the data/],
    ];
    for (const [args, pattern] of cases) {
      const r = ptp(dir, 'predict', model, ...args, '--json');
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.ok(!existsSync(join(dir, 'a.csv')) && !existsSync(join(dir, 'b.csv')));
  });
});
