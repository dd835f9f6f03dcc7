/** `ptp drift` through the real entry: the --json keys of the contract, --fail-on-drift, bad input as exit 2 naming the file. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';

function ptp(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const fixtures = join(REPO_ROOT, 'test/fixtures/drift');
const ref = join(fixtures, 'small_reference.csv');
const cur = join(fixtures, 'small_current.csv');
/** The contract's keys, and the documented extras. */
const TOP_KEYS = ['dataset_drift', 'drift_share', 'drifted_columns', 'n_columns', 'n_reference', 'n_current', 'columns'];
const EXTRA_KEYS = ['reference', 'current', 'share_of_drifted_columns', 'warnings'];
const COLUMN_KEYS = ['name', 'kind', 'stattest', 'statistic', 'p_value', 'threshold', 'drift'];

describe('cli: ptp drift', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-cli-drift-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json: the contract keys; per column name, kind, stattest, statistic, p_value, threshold, drift', () => {
    const r = ptp(dir, 'drift', '--reference', ref, '--current', cur, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & { columns: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(doc).sort(), [...TOP_KEYS, ...EXTRA_KEYS].sort());
    for (const c of doc.columns) assert.deepEqual(Object.keys(c).sort(), [...COLUMN_KEYS].sort());
    assert.equal(doc.dataset_drift, true);
    assert.equal(doc.n_columns, 7);
    assert.equal(doc.n_reference, 600);
    assert.equal(doc.n_current, 500);
  });

  it('--fail-on-drift: exit 1 on a drifted case, 0 on an undrifted one; the table without --json', () => {
    assert.equal(ptp(dir, 'drift', '--reference', ref, '--current', cur, '--fail-on-drift', '--json').code, 1);
    const same = ptp(dir, 'drift', '--reference', ref, '--current', cur, '--columns', 'num_same,cat_same,bin_same', '--fail-on-drift');
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^No dataset drift: 0 of 3 columns drifted/);
    assert.match(same.stdout, /num_same +numerical +ks /);
    assert.equal(ptp(dir, 'drift', '--reference', ref, '--current', cur).code, 0);
  });

  it('--stattest, --threshold, --column-stattest, --exclude, --html', () => {
    const html = join(dir, 'report.html');
    const r = ptp(dir, 'drift', '--reference', ref, '--current', cur, '--stattest', 'psi', '--threshold', '0.2', '--column-stattest', 'num_same=anderson', '--exclude', 'four_shift', '--html', html, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { columns: { name: string; stattest: string; threshold: number }[]; html: string };
    assert.deepEqual(
      doc.columns.map((c) => `${c.name}:${c.stattest}:${c.threshold}`),
      ['num_same:anderson:0.2', 'num_shift:psi:0.2', 'cat_same:psi:0.2', 'cat_shift:psi:0.2', 'bin_same:psi:0.2', 'bin_shift:psi:0.2'],
    );
    assert.equal(doc.html, html);
    assert.match(readFileSync(html, 'utf8'), /<td>num_shift<\/td><td>numerical<\/td><td>psi<\/td>/);
  });

  it('bad input: exit 2, one line naming the file, nothing on stdout', () => {
    const a = join(dir, 'a.csv');
    writeFileSync(a, 'x,y\n1,2\n3,4\n');
    const b = join(dir, 'b.csv');
    writeFileSync(b, 'x,z\n1,2\n3,4\n');
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'x,y\n');
    const cases: [string[], RegExp][] = [
      [['--reference', a, '--current', b], /b\.csv: column "y" of .*a\.csv is missing here/],
      [['--reference', a, '--current', empty], /empty\.csv: the data holds no rows/],
      [['--reference', join(dir, 'missing.csv'), '--current', a], /missing\.csv: no such file/],
      [['--reference', a, '--current', a, '--columns', 'nope'], /a\.csv: no column "nope"/],
      [['--reference', a, '--current', a, '--column-stattest', 'x=nope'], /expected a test/],
      [['--reference', ref, '--current', cur, '--column-stattest', 'cat_same=ks'], /small_current\.csv: the ks test cannot check column "cat_same"/],
    ];
    for (const [args, pattern] of cases) {
      const r = ptp(dir, 'drift', ...args, '--json');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});
