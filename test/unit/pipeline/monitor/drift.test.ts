/**
 * Data drift against scipy: test/fixtures/drift/expected.json is written by make_drift_fixtures.py (numpy + scipy, with
 * Evidently's definitions). For every column of each case: the test chosen, the statistic (1e-6), the p-value (1e-4),
 * the verdict and the data set's; then every explicit test on every column it applies to.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drift } from '../../../../src/pipeline/monitor';
import type { StatTestName } from '../../../../src/protocol/drift';
import { REPO_ROOT } from '../../../helpers/paths';

const dir = join(REPO_ROOT, 'test/fixtures/drift');

interface Expected {
  statistic: number;
  p_value: number | null;
  drift: boolean;
  threshold: number;
}
interface ExpectedColumn extends Expected {
  name: string;
  kind: string;
  stattest: string;
  tests: Record<string, Expected>;
}
interface ExpectedCase {
  reference: string;
  current: string;
  n_reference: number;
  n_current: number;
  drifted_columns: number;
  n_columns: number;
  dataset_drift: boolean;
  columns: ExpectedColumn[];
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Record<string, ExpectedCase> };

function close(actual: number | null, want: number | null, tol: number, what: string): void {
  if (want === null) {
    assert.equal(actual, null, what);
    return;
  }
  assert.ok(actual !== null && Math.abs(actual - want) <= tol, `${what}: ${actual} vs scipy ${want}`);
}

describe('pipeline/monitor: drift vs scipy (Evidently definitions)', function () {
  this.timeout(60000);
  for (const [name, c] of Object.entries(expected.cases)) {
    describe(`${name} (reference ${c.n_reference} rows, current ${c.n_current})`, () => {
      it('default tests: chosen test, statistic, p-value, verdict per column; data set drift', async () => {
        const r = await drift({ reference: join(dir, c.reference), current: join(dir, c.current) });
        assert.equal(r.n_reference, c.n_reference);
        assert.equal(r.n_current, c.n_current);
        assert.equal(r.n_columns, c.n_columns);
        assert.deepEqual(
          r.columns.map((x) => x.name),
          c.columns.map((x) => x.name),
        );
        for (const [i, want] of c.columns.entries()) {
          const got = r.columns[i]!;
          assert.equal(got.kind, want.kind, `${want.name} kind`);
          assert.equal(got.stattest, want.stattest, `${want.name} test`);
          close(got.statistic, want.statistic, 1e-6, `${want.name} statistic`);
          close(got.p_value, want.p_value, 1e-4, `${want.name} p-value`);
          assert.equal(got.threshold, want.threshold, `${want.name} threshold`);
          assert.equal(got.drift, want.drift, `${want.name} drift`);
        }
        assert.equal(r.drifted_columns, c.drifted_columns);
        assert.equal(r.dataset_drift, c.dataset_drift);
      });

      const tests = [...new Set(c.columns.flatMap((x) => Object.keys(x.tests)))] as StatTestName[];
      for (const test of tests) {
        it(`${test} on every column it applies to`, async () => {
          const cols = c.columns.filter((x) => x.tests[test]);
          const r = await drift({
            reference: join(dir, c.reference),
            current: join(dir, c.current),
            columns: cols.map((x) => x.name),
            columnStattests: Object.fromEntries(cols.map((x) => [x.name, test])),
          });
          for (const [i, col] of cols.entries()) {
            const want = col.tests[test]!;
            const got = r.columns[i]!;
            assert.equal(got.stattest, test);
            close(got.statistic, want.statistic, 1e-6, `${col.name} ${test} statistic`);
            close(got.p_value, want.p_value, 1e-4, `${col.name} ${test} p-value`);
            assert.equal(got.drift, want.drift, `${col.name} ${test} drift`);
          }
        });
      }
    });
  }
});
