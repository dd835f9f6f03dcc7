/** Drift on awkward data: KS up to 10,000 values (exact) and past them (scipy's asymptotic branch), constant and all-NaN columns, kind overrides, mixed kinds. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { encodeNpy } from '../../../../src/core/npy';
import { DriftError, drift } from '../../../../src/pipeline/monitor';
import { ks2samp } from '../../../../src/pipeline/monitor/kolmogorov';
import { REPO_ROOT } from '../../../helpers/paths';

interface KsCase {
  n_reference: number;
  n_current: number;
  scale: number;
  offset: number;
  statistic: number;
  p_value: number;
}
interface ExpectedColumn {
  name: string;
  statistic: number;
  p_value: number | null;
}
const fixtures = join(REPO_ROOT, 'test/fixtures/drift');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as { ks_asymptotic: KsCase[]; ks_exact: KsCase[]; cases: { small: { columns: ExpectedColumn[] } } };

/** The fixture's columns `names` as an NPY float64 matrix (rows × names). */
function npyOf(csvFile: string, names: readonly string[]): Uint8Array {
  const rows = parse(readFileSync(join(fixtures, csvFile)), { columns: true }) as Record<string, string>[];
  const values = new Float64Array(rows.length * names.length);
  rows.forEach((r, i) => names.forEach((n, j) => (values[i * names.length + j] = Number(r[n]))));
  return encodeNpy({ dataType: 11, dims: [rows.length, names.length], size: values.length, values });
}

function csv(rows: number, cols: Record<string, (i: number) => string | number>): string {
  const names = Object.keys(cols);
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => String(cols[n]!(i))).join(','));
  return `${lines.join('\n')}\n`;
}

describe('pipeline/monitor: drift edge cases', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-drift-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [method, c] of [...expected.ks_exact.map((c) => ['exact', c] as const), ...expected.ks_asymptotic.map((c) => ['asymp', c] as const)]) {
    it(`ks with ${c.n_reference} vs ${c.n_current} values (${method}) matches scipy`, () => {
      const a = Float64Array.from({ length: c.n_reference }, (_, i) => ((i + 1) * 0.6180339887498949) % 1).sort();
      const b = Float64Array.from({ length: c.n_current }, (_, i) => (((i + 1) * 0.7548776662466927) % 1) * c.scale + c.offset).sort();
      const r = ks2samp(a, b);
      assert.equal(r.method, method);
      assert.ok(Math.abs(r.statistic - c.statistic) < 1e-9, `D ${r.statistic} vs ${c.statistic}`);
      assert.ok(Math.abs(r.pValue - c.p_value) < 1e-4, `p ${r.pValue} vs scipy ${c.p_value}`);
    });
  }

  it('an NPY matrix: one numerical column per position, X[0], X[1] …, with the same values as from the CSV', async () => {
    const names = ['num_same', 'num_shift'];
    const ref = join(dir, 'ref.npy');
    const cur = join(dir, 'cur.npy');
    writeFileSync(ref, npyOf('small_reference.csv', names));
    writeFileSync(cur, npyOf('small_current.csv', names));
    const r = await drift({ reference: ref, current: cur });
    assert.deepEqual(
      r.columns.map((c) => `${c.name}:${c.kind}:${c.stattest}`),
      ['X[0]:numerical:ks', 'X[1]:numerical:ks'],
    );
    names.forEach((n, j) => {
      const want = expected.cases.small.columns.find((c) => c.name === n)!;
      assert.ok(Math.abs(r.columns[j]!.statistic! - want.statistic) < 1e-6);
      assert.ok(Math.abs(r.columns[j]!.p_value! - want.p_value!) < 1e-4);
    });
    const one = await drift({ reference: ref, current: cur, columns: ['X[1]'], columnStattests: { 'X[1]': 'anderson' } });
    assert.deepEqual(
      one.columns.map((c) => `${c.name}:${c.stattest}`),
      ['X[1]:anderson'],
    );
  });

  it('a constant reference column: wasserstein divided by the 0.001 floor, and said', async () => {
    const ref = join(dir, 'const-ref.csv');
    const cur = join(dir, 'const-cur.csv');
    writeFileSync(ref, csv(1500, { x: () => 5, y: (i) => i % 7 }));
    writeFileSync(cur, csv(1200, { x: (i) => 5 + (i % 6), y: (i) => i % 7 }));
    const r = await drift({ reference: ref, current: cur });
    const x = r.columns.find((c) => c.name === 'x')!;
    assert.equal(x.stattest, 'wasserstein');
    // W1 between the point mass at 5 and the uniform on 5..10: the mean distance 2.5.
    assert.ok(Math.abs(x.statistic! - 2.5 / 0.001) < 1e-6, String(x.statistic));
    assert.equal(x.drift, true);
    assert.ok(r.warnings.some((w) => /"x" \(wasserstein\).*0 \(a constant column\).*floor 0\.001/.test(w)), r.warnings.join('\n'));
  });

  it('an all-NaN column is said and left out, not a crash', async () => {
    const ref = join(dir, 'nan-ref.csv');
    const cur = join(dir, 'nan-cur.csv');
    writeFileSync(ref, csv(50, { a: (i) => i, b: (i) => i * 2 }));
    writeFileSync(cur, csv(40, { a: (i) => i, b: () => 'NaN' }));
    const r = await drift({ reference: ref, current: cur });
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['a'],
    );
    assert.equal(r.n_columns, 1);
    assert.ok(r.warnings.some((w) => w.includes('column "b": no values in') && w.includes('nan-cur.csv')), r.warnings.join('\n'));
  });

  it('kinds: text and booleans categorical, binary numbers categorical, overrides win; a test that does not fit falls back, said', async () => {
    const ref = join(dir, 'kind-ref.csv');
    const cur = join(dir, 'kind-cur.csv');
    const cols = { n: (i: number) => (i * 7) % 31, flag: (i: number) => i % 2, ok: (i: number) => (i % 3 ? 'True' : 'False'), four: (i: number) => i % 4 };
    writeFileSync(ref, csv(300, cols));
    writeFileSync(cur, csv(200, cols));
    const auto = await drift({ reference: ref, current: cur });
    assert.deepEqual(
      auto.columns.map((c) => `${c.name}:${c.kind}:${c.stattest}`),
      ['n:numerical:ks', 'flag:categorical:z', 'ok:categorical:z', 'four:numerical:chisquare'],
    );
    const told = await drift({ reference: ref, current: cur, categorical: ['n'], numerical: ['flag'], stattest: 'ks' });
    assert.deepEqual(
      told.columns.map((c) => `${c.name}:${c.kind}:${c.stattest}`),
      ['n:categorical:chisquare', 'flag:numerical:ks', 'ok:categorical:z', 'four:numerical:ks'],
    );
    assert.ok(told.warnings.some((w) => w.startsWith('column "n": ks does not apply')));
    await assert.rejects(drift({ reference: ref, current: cur, numerical: ['ok'] }), (e: unknown) => e instanceof DriftError && /kind-ref\.csv: column "ok" holds text/.test(e.message));
  });

  it('numbers in one file and text in the other are compared as categories, said', async () => {
    const ref = join(dir, 'mix-ref.csv');
    const cur = join(dir, 'mix-cur.csv');
    writeFileSync(ref, csv(100, { v: (i) => i % 3 }));
    writeFileSync(cur, csv(100, { v: (i) => ['0', '1', 'x'][i % 3]! }));
    const r = await drift({ reference: ref, current: cur });
    assert.equal(r.columns[0]!.kind, 'categorical');
    assert.equal(r.columns[0]!.stattest, 'chisquare');
    assert.equal(r.columns[0]!.p_value, 0);
    assert.equal(r.columns[0]!.statistic, null);
    assert.ok(r.warnings.some((w) => w.includes('the statistic is infinite')));
    assert.ok(r.warnings.some((w) => w.includes('holds numbers in') && w.includes('compared as categories')));
  });

  it('bad options are DriftErrors naming the file', async () => {
    const ref = join(REPO_ROOT, 'test/fixtures/drift/small_reference.csv');
    await assert.rejects(drift({ reference: ref, current: ref, driftShare: 0 }), /driftShare must be in \(0, 1\]/);
    await assert.rejects(drift({ reference: ref, current: ref, columnStattests: { nope: 'ks' } }), (e: unknown) => e instanceof DriftError && e.code === 'missing-column' && e.message.startsWith(ref));
    await assert.rejects(drift({ reference: ref, current: ref, categorical: ['num_same'], numerical: ['num_same'] }), /both categorical and numerical/);
  });
});
