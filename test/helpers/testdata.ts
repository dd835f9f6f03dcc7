/**
 * Finding ONNX's backend test data (Debian/Ubuntu package libonnx-testdata) and pairing its files with a model's
 * declared types. The one place that knows where the data lives: suites that need it call
 * `testDataRootOrMissingTest()` inside their `describe`, so that a missing install fails under CI=true and
 * shows as a pending test (with the reason) otherwise, never as a silent pass.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { onnx } from '../../src/core/proto/onnx';

/**
 * Where the data is: $PTP_ONNX_TESTDATA when set (and only there), else the Debian package, its /usr/include
 * symlink or a pip-installed onnx in the system Python.
 */
export function findTestDataRoot(): string | undefined {
  const env = process.env.PTP_ONNX_TESTDATA;
  if (env) return existsSync(join(env, 'node')) ? env : undefined;
  const candidates = [
    '/usr/share/libonnx-testdata/data',
    '/usr/include/onnx/backend/test/data',
    '/usr/lib/python3/dist-packages/onnx/backend/test/data',
  ];
  return candidates.find((c): c is string => !!c && existsSync(join(c, 'node')));
}

/** What to do about it, for messages. */
export const TEST_DATA_HINT = 'apt-get install libonnx-testdata, or set PTP_ONNX_TESTDATA to its data folder';

/**
 * The data root; when there is none, registers (in the calling `describe`) one test that fails under CI=true
 * and is skipped, with the reason printed, otherwise, and returns undefined: the caller then defines no tests.
 */
export function testDataRootOrMissingTest(): string | undefined {
  const root = findTestDataRoot();
  if (root) return root;
  const where = process.env.PTP_ONNX_TESTDATA ? ` (PTP_ONNX_TESTDATA=${process.env.PTP_ONNX_TESTDATA} has no node/ folder)` : '';
  it('ONNX backend test data is installed (required when CI=true)', function () {
    if (process.env.CI === 'true') assert.fail(`ONNX backend test data not found${where} and CI=true: ${TEST_DATA_HINT}`);
    console.log(`      (skipped: ONNX backend test data not found${where}: ${TEST_DATA_HINT})`);
    this.skip();
  });
  return undefined;
}

export interface TestDataSet {
  readonly dir: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface CorpusModel {
  /** `node/test_abs` */
  readonly id: string;
  readonly file: string;
  readonly dataSets: readonly TestDataSet[];
}

function numbered(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .map((f) => new RegExp(`^${prefix}_(\\d+)\\.pb$`).exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => join(dir, m[0]));
}

/** Every folder holding a model.onnx, grouped by category (node, simple, pytorch-converted, …), sorted. */
export function listCorpus(root: string): CorpusModel[] {
  const out: CorpusModel[] = [];
  for (const category of readdirSync(root).sort()) {
    const catDir = join(root, category);
    if (!statSync(catDir).isDirectory()) continue;
    for (const name of readdirSync(catDir).sort()) {
      const dir = join(catDir, name);
      const file = join(dir, 'model.onnx');
      if (!existsSync(file)) continue;
      const dataSets = readdirSync(dir)
        .filter((d) => /^test_data_set_\d+$/.test(d))
        .sort()
        .map((d) => join(dir, d))
        .map((d) => ({ dir: d, inputs: numbered(d, 'input'), outputs: numbered(d, 'output') }));
      out.push({ id: `${category}/${name}`, file, dataSets });
    }
  }
  return out;
}

export type DeclaredKind = 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'opaque' | 'unknown';

/** The kind of value a .pb file holds follows from the declared type (as in onnx's backend test runner). */
export function declaredKind(t: onnx.TypeProto.$Properties | null | undefined): DeclaredKind {
  if (!t) return 'unknown';
  if (t.tensorType) return 'tensor';
  if (t.sequenceType) return 'sequence';
  if (t.mapType) return 'map';
  if (t.optionalType) return 'optional';
  if (t.sparseTensorType) return 'sparse_tensor';
  if (t.opaqueType) return 'opaque';
  return 'unknown';
}
