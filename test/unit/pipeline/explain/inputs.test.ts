import assert from 'node:assert/strict';
import { isUserError } from '../../../../src/cli/output';
import { DatasetError } from '../../../../src/pipeline/data';
import { explain, ExplainError } from '../../../../src/pipeline/explain';
import { TempDir } from '../../core/build';
import { csv, linearModel, matrix, uniforms } from './helpers';

describe('explain: background choices and bad input', function () {
  this.timeout(120000);
  const tmp = new TempDir();
  after(() => tmp.dispose());
  const w = [1, -2, 0.5, 3];
  const names = ['a', 'b', 'c', 'd'];
  const r = uniforms(17);
  const data = matrix(30, 4, r);
  const model = tmp.file('lin.onnx', linearModel(w, 0));
  const dataFile = tmp.file('data.csv', csv(['id', ...names, 'target'], data.map((row, i) => [1000 + i, ...row, i % 2])));

  const rejects = async (p: Promise<unknown>, type: new (...a: never[]) => Error, pattern: RegExp): Promise<void> => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
      assert.match((e as Error).message, pattern);
      assert.ok(isUserError(e), 'the CLI treats it as a user error (exit code 2)');
      return true;
    });
  };

  it('default background: 100 sampled rows of the data (here all 30), ids and the label never features', async () => {
    const res = await explain({ model, data: dataFile, maxRows: 2 });
    assert.deepEqual(res.feature_names, names);
    assert.deepEqual(res.background, { rows: 30, source: dataFile, how: 'sample' });
    assert.ok(res.notes.some((n) => /all 30 rows of .* \(asked for a sample of 100\)/.test(n)));
    assert.deepEqual(res.labels, [0, 1]);
    const mean = names.map((_, j) => data.reduce((a, b) => a + b[j]!, 0) / data.length);
    res.shap_values[1]!.forEach((phi, j) => assert.ok(Math.abs(phi[0]! - w[j]! * (data[1]![j]! - mean[j]!)) < 1e-4));
  });

  it('sample: n rows, seeded; kmeans: k weighted rows', async () => {
    const a = await explain({ model, data: dataFile, maxRows: 1, background: { sample: 5 }, seed: 3 });
    const b = await explain({ model, data: dataFile, maxRows: 1, background: { sample: 5 }, seed: 3 });
    const c = await explain({ model, data: dataFile, maxRows: 1, background: { sample: 5 }, seed: 4 });
    assert.equal(a.background.rows, 5);
    assert.deepEqual(a.base_value, b.base_value);
    assert.notDeepEqual(a.base_value, c.base_value);
    const k = await explain({ model, data: dataFile, maxRows: 1, background: { kmeans: 4 } });
    assert.deepEqual(k.background, { rows: 4, source: dataFile, how: 'kmeans' });
    // Linear model: the weighted centroids' mean is the data mean before snapping; after snapping it stays close.
    const full = await explain({ model, data: dataFile, maxRows: 1, background: dataFile });
    assert.ok(Math.abs(k.base_value[0]! - full.base_value[0]!) < 1);
  });

  it('a background file with its columns in another order is reordered; the label column may be absent', async () => {
    const bg = matrix(8, 4, r);
    const inOrder = tmp.file('bg.csv', csv(names, bg));
    const shuffled = tmp.file('bg-shuffled.csv', csv(['d', 'b', 'a', 'c'], bg.map((x) => [x[3]!, x[1]!, x[0]!, x[2]!])));
    const x = await explain({ model, data: dataFile, maxRows: 3, background: inOrder });
    const y = await explain({ model, data: dataFile, maxRows: 3, background: shuffled });
    assert.deepEqual(y.shap_values, x.shap_values);
    assert.equal(x.background.how, 'all');
  });

  it('refuses a background whose features differ, naming what is missing and extra', async () => {
    const missing = tmp.file('bg-missing.csv', csv(['a', 'b', 'c', 'e'], [[1, 2, 3, 4]]));
    await rejects(explain({ model, data: dataFile, background: missing }), DatasetError, /background's features do not match the data's: missing d; extra e/);
    const fewer = tmp.file('bg-fewer.csv', csv(['a', 'b', 'c'], [[1, 2, 3]]));
    await rejects(explain({ model, data: dataFile, background: fewer }), DatasetError, /feature count mismatch: expected 4/);
  });

  it('refuses data that does not fit the model, with the plan error', async () => {
    const bad = tmp.file('bad.csv', csv(['a', 'b', 'c', 'label'], [[1, 2, 3, 0]]));
    await rejects(explain({ model, data: bad }), DatasetError, /feature count mismatch: expected 4 .* found 3 feature columns: a, b, c \(set aside: label "label"\)/);
  });

  it('exact with more than 14 features: how many coalitions it would take, and what to use instead', async () => {
    const m15 = tmp.file('lin15.onnx', linearModel(Array.from({ length: 15 }, (_, i) => i), 0));
    const cols = Array.from({ length: 15 }, (_, i) => `x${i}`);
    const file = tmp.file('d15.csv', csv(cols, matrix(12, 15, r)));
    await rejects(
      explain({ model: m15, data: file, method: 'exact', label: null }),
      ExplainError,
      /^exact needs 2\^M = 2\^15 = 32,768 coalitions × 12 background rows = 393,216 model rows per explained row \(exact is limited to M ≤ 14 features\); use --method kernel or permutation$/,
    );
    // the default for 15 features is kernel
    const k = await explain({ model: m15, data: file, label: null, maxRows: 2 });
    assert.equal(k.method, 'kernel');
  });

  it('bad options: output, rows, counts', async () => {
    await rejects(explain({ model, data: dataFile, output: 3 }), ExplainError, /output 3 is not one of the model's outputs \(0: y\), nor 'all'/);
    await rejects(explain({ model, data: dataFile, rows: [2, 40] }), ExplainError, /row 40 is out of range: .* has 30 data rows/);
    await rejects(explain({ model, data: dataFile, maxRows: 0 }), ExplainError, /maxRows must be an integer ≥ 1/);
    await rejects(explain({ model, data: dataFile, background: { kmeans: 0 } }), ExplainError, /k-means size must be a positive integer/);
  });

  it('honours the AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(explain({ model, data: dataFile }, { signal: ac.signal }), (e: unknown) => (e as Error).name === 'AbortError');
  });
});
