import * as assert from 'node:assert/strict';
import type { ValueSummary } from '../../../../src/core/report-types';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { buildBatchInputs, planFeatures, type DataBatch, type DatasetSchema } from '../../../../src/pipeline/data';
import { rejectsDataset } from './helpers';

const input = (name: string, shape: ValueSummary['shape'], elem_type = 'FLOAT'): ValueSummary => ({ name, kind: 'tensor', elem_type, shape });
const pixels = Array.from({ length: 64 }, (_, i) => `pixel_${i}`);
const schema = (columns: string[], extra: Partial<DatasetSchema> = {}): DatasetSchema => ({ file: 'data.csv', columns, ...extra });

/** A batch with the given numeric columns (Float64Array) and text columns (string[]). */
function batch(cols: Record<string, number[] | string[]>, lines?: number[]): DataBatch {
  const columns = new Map<string, Float64Array | string[]>();
  let rows = 0;
  for (const [k, v] of Object.entries(cols)) {
    columns.set(k, typeof v[0] === 'string' ? (v as string[]) : Float64Array.from(v as number[]));
    rows = v.length;
  }
  return { startRow: 0, rowCount: rows, columns, ...(lines ? { lines: Uint32Array.from(lines) } : {}) };
}

describe('pipeline/data: planFeatures', () => {
  it('feeds 64 columns to a [batch,64] input and reshapes them for [batch,1,8,8]', () => {
    const s = schema([...pixels, 'label']);
    const mlp = planFeatures(s, [input('input', ['batch', 64])]);
    assert.equal(mlp.label, 'label');
    assert.equal(mlp.labelHow, 'auto');
    assert.equal(mlp.feeds.length, 1);
    assert.deepEqual(mlp.feeds[0].source, { kind: 'columns', columns: pixels });
    assert.deepEqual(mlp.feeds[0].rowShape, [64]);
    assert.equal(mlp.feeds[0].dataType, DataType.FLOAT);
    const cnn = planFeatures(s, [input('input', ['batch', 1, 8, 8])]);
    assert.deepEqual(cnn.feeds[0].rowShape, [1, 8, 8]);
    assert.equal(cnn.feeds[0].fixedBatch, undefined);
    assert.match(cnn.describe().join('\n'), /input "input" FLOAT \[batch,1,8,8\] ← 64 columns pixel_0 … pixel_63 \(all feature columns, in file order\), per row \[1,8,8\]/);

    const b = batch(Object.fromEntries([...pixels.map((p, j) => [p, [j, 100 + j]]), ['label', [3, 7]]]));
    const out = buildBatchInputs(cnn, b);
    const t = out.inputs.input;
    assert.deepEqual(t.dims, [2, 1, 8, 8]);
    assert.equal(t.dataType, DataType.FLOAT);
    assert.ok(t.values instanceof Float32Array);
    assert.deepEqual(Array.from(t.values as Float32Array), [...Array.from({ length: 64 }, (_, j) => j), ...Array.from({ length: 64 }, (_, j) => 100 + j)]);
    assert.deepEqual(Array.from(out.labels as Float64Array), [3, 7]);
    assert.equal(out.rows, 2);
  });

  it('says expected vs found when the feature count does not match', () => {
    const s = schema([...pixels.slice(0, 63), 'label']);
    assert.throws(
      () => planFeatures(s, [input('input', ['batch', 1, 8, 8])]),
      (e: Error) => {
        assert.equal(e.name, 'DatasetError');
        assert.match(e.message, /^data\.csv: feature count mismatch: expected 64 \(input "input" shape \[batch,1,8,8\]\) but found 63 feature columns: pixel_0, pixel_1, .*pixel_62 \(63 in all\)/);
        assert.match(e.message, /set aside: label "label"/);
        return true;
      },
    );
    assert.throws(() => planFeatures(schema(['a', 'b', 'c', 'y']), [input('x', ['N', 'seq', 2])]), /expected a multiple of 2 .* but found 3 feature columns: a, b, c/);
  });

  it('resolves one symbolic non-batch dim from the column count, and keeps a fixed batch', () => {
    const p = planFeatures(schema(['a', 'b', 'c', 'd', 'e', 'f']), [input('x', ['N', 'seq', 2])], { label: null });
    assert.deepEqual(p.feeds[0].rowShape, [3, 2]);
    const fixed = planFeatures(schema(['a', 'b']), [input('x', [1, 2])], { label: null });
    assert.equal(fixed.feeds[0].fixedBatch, 1);
    assert.match(fixed.describe().join('\n'), /fixes the batch size to 1/);
    assert.throws(() => buildBatchInputs(fixed, batch({ a: [1, 2], b: [3, 4] })), /fixes the batch size of input "x" to 1, but a batch of 2 rows/);
    const unknownRank = planFeatures(schema(['a', 'b']), [input('x', null)], { label: null });
    assert.deepEqual(unknownRank.feeds[0].rowShape, [2]);
  });

  it('auto-detects label/target/y/class (any case), or takes the named one, or none', () => {
    assert.equal(planFeatures(schema(['a', 'Target']), [input('x', ['N', 1])]).label, 'Target');
    assert.equal(planFeatures(schema(['y', 'a']), [input('x', ['N', 1])]).label, 'y');
    assert.equal(planFeatures(schema(['a', 'CLASS']), [input('x', ['N', 1])]).label, 'CLASS');
    const named = planFeatures(schema(['a', 'b', 'digit']), [input('x', ['N', 2])], { label: 'digit' });
    assert.equal(named.label, 'digit');
    assert.equal(named.labelHow, 'option');
    const none = planFeatures(schema(['a', 'label']), [input('x', ['N', 2])], { label: null });
    assert.equal(none.label, null);
    assert.deepEqual((none.feeds[0].source as { columns: readonly string[] }).columns, ['a', 'label']);
  });

  it('says which columns exist when the label is missing', async () => {
    await rejectsDataset(() => planFeatures(schema(['a', 'b']), [input('x', ['N', 2])], { label: 'digit' }), /^data\.csv: label column "digit" is not in the data; columns found: a, b$/);
    await rejectsDataset(
      () => planFeatures(schema(['f1', 'f2']), [input('x', ['N', 2])], { requireLabel: true }),
      /no label column: none of label, labels, target, targets, y, class \(any case\)/,
      /columns found: f1, f2/,
    );
    await rejectsDataset(() => planFeatures(schema(['a', 'label']), [input('x', ['N', 1])], { sensitive: ['sex'] }), /sensitive column "sex" is not in the data; columns found: a, label/);
  });

  it('never feeds sensitive, id or excluded columns; returns sensitive groups as text', () => {
    const s = schema(['id', 'Unnamed: 0', 'age', 'sex', 'income', 'note', 'label', 'row_id'], { textColumns: ['sex', 'note'] });
    const p = planFeatures(s, [input('x', ['N', 2])], { sensitive: ['sex'], excludeColumns: ['note'] });
    assert.deepEqual((p.feeds[0].source as { columns: readonly string[] }).columns, ['age', 'income']);
    assert.deepEqual(p.sensitive, ['sex']);
    assert.deepEqual(
      p.excluded.map((e) => [e.column, e.reason]),
      [
        ['id', 'id column (auto)'],
        ['Unnamed: 0', 'id column (auto)'],
        ['note', 'excluded by option'],
        ['row_id', 'id column (auto)'],
      ],
    );
    const text = p.describe().join('\n');
    assert.match(text, /sensitive \(not fed\): "sex"/);
    assert.match(text, /not fed \(id column \(auto\)\): "id", "Unnamed: 0", "row_id"/);
    const out = buildBatchInputs(
      p,
      batch({ id: [1, 2], 'Unnamed: 0': [0, 1], age: [30, 40], sex: ['f', 'm'], income: [1.5, 2.5], note: ['x', 'y'], label: [0, 1], row_id: [9, 9] }),
    );
    assert.deepEqual(Object.keys(out.inputs), ['x']);
    assert.deepEqual(Array.from(out.inputs.x.values as Float32Array), [30, 1.5, 40, 2.5]);
    assert.deepEqual(out.sensitive, { sex: ['f', 'm'] });
    // Numeric sensitive columns come back as text too.
    const p2 = planFeatures(schema(['a', 'grp', 'label']), [input('x', ['N', 1])], { sensitive: ['grp'] });
    assert.deepEqual(buildBatchInputs(p2, batch({ a: [1, 2, 3], grp: [0, 1, NaN], label: [1, 1, 0] })).sensitive, { grp: ['0', '1', ''] });
  });

  it('refuses a text column among the features, naming it', async () => {
    await rejectsDataset(
      () => planFeatures(schema(['a', 'city', 'label'], { textColumns: ['city'] }), [input('x', ['N', 2])]),
      /column "city" holds text but feeds input "x", which takes FLOAT numbers; exclude it/,
    );
  });

  it('routes several inputs by exact name and by prefix (_ . [) and by the input map', () => {
    const s = schema(['mask', 'img_0', 'img_1', 'img_2', 'meta.a', 'meta.b', 'ids[0]', 'ids[1]', 'label', 'spare']);
    const inputs = [input('img', ['N', 3]), input('mask', ['N', 1], 'BOOL'), input('meta', ['N', 2], 'DOUBLE'), input('ids', ['N', 2], 'INT64')];
    const p = planFeatures(s, inputs);
    assert.deepEqual(
      p.feeds.map((f) => [f.input, (f.source as { columns: readonly string[] }).columns, f.how]),
      [
        ['img', ['img_0', 'img_1', 'img_2'], 'columns starting with "img_"'],
        ['mask', ['mask'], 'column named like the input'],
        ['meta', ['meta.a', 'meta.b'], 'columns starting with "meta."'],
        ['ids', ['ids[0]', 'ids[1]'], 'columns starting with "ids["'],
      ],
    );
    assert.deepEqual(p.excluded, [{ column: 'spare', reason: 'not routed to any input' }]);
    const out = buildBatchInputs(
      p,
      batch({ mask: [0, 2.5], img_0: [1, 4], img_1: [2, 5], img_2: [3, 6], 'meta.a': [0.1, 0.2], 'meta.b': [0.3, 0.4], 'ids[0]': [7, -8.9], 'ids[1]': [2 ** 40, 0], label: [1, 0], spare: [0, 0] }),
    );
    assert.deepEqual(Array.from(out.inputs.img.values as Float32Array), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(out.inputs.mask.dataType, DataType.BOOL);
    assert.deepEqual(Array.from(out.inputs.mask.values as Uint8Array), [0, 1]);
    assert.ok(out.inputs.meta.values instanceof Float64Array);
    assert.deepEqual(Array.from(out.inputs.meta.values as Float64Array), [0.1, 0.3, 0.2, 0.4]);
    assert.deepEqual(Array.from(out.inputs.ids.values as BigInt64Array), [7n, 2n ** 40n, -8n, 0n]);

    const mapped = planFeatures(schema(['p', 'q', 'r', 'label']), [input('a', ['N', 2]), input('b', ['N', 1])], { inputMap: { a: ['r', 'p'], b: 'q' } });
    assert.deepEqual((mapped.feeds[0].source as { columns: readonly string[] }).columns, ['r', 'p']);
    assert.throws(() => planFeatures(schema(['p', 'q', 'label']), [input('a', ['N', 1]), input('b', ['N', 1])], { inputMap: { b: ['p'] } }), /no columns for model input "a"/);
  });

  it('explains what it tried when an input finds no columns', async () => {
    await rejectsDataset(
      () => planFeatures(schema(['x_0', 'x_1', 'label']), [input('x', ['N', 2]), input('lengths', ['N', 1], 'INT64')]),
      /no columns for model input "lengths": looked for a column named "lengths" and for columns starting with "lengths_", "lengths\.", "lengths\["/,
      /feature columns: x_0, x_1/,
      /set aside: label "label"/,
    );
  });

  it('feeds a tensor column (NPZ X, images) and checks its per-row size', async () => {
    const s: DatasetSchema = { file: 'd.npz', columns: ['X', 'y'], tensors: ['X'], tensorShapes: new Map([['X', [64]]]) };
    const p = planFeatures(s, [input('input', ['batch', 1, 8, 8])]);
    assert.deepEqual(p.feeds[0].source, { kind: 'tensor', tensor: 'X' });
    assert.equal(p.label, 'y');
    assert.deepEqual(p.feeds[0].rowShape, [1, 8, 8]);
    const data = Float32Array.from({ length: 128 }, (_, i) => (i === 70 ? NaN : i));
    const b: DataBatch = { startRow: 10, rowCount: 2, columns: new Map([['y', Float64Array.from([1, 2])]]), tensors: new Map([['X', { shape: [64], data }]]) };
    const out = buildBatchInputs(p, b);
    assert.equal(out.inputs.input.values, data); // float32 → FLOAT: shared, not copied
    assert.equal(out.nanFeatureCells, 1);
    assert.deepEqual(out.nanRowLocations, ['row 12']);
    await rejectsDataset(
      () => planFeatures({ ...s, tensorShapes: new Map([['X', [63]]]) }, [input('input', ['batch', 64])]),
      /d\.npz: feature count mismatch: expected 64 \(input "input" shape \[batch,64\]\) but array "X" has 63 per row \(shape \[63\]\)/,
    );
    // Symbolic dims resolved from the array's own shape.
    const seq = planFeatures({ columns: ['X'], tensors: ['X'], tensorShapes: new Map([['X', [5, 4]]]) }, [input('x', ['N', 'T', 'F'])]);
    assert.deepEqual(seq.feeds[0].rowShape, [5, 4]);
  });

  it('counts NaN features (not dropped), and names the row of a NaN label', async () => {
    const p = planFeatures(schema(['a', 'b', 'label']), [input('x', ['N', 2])]);
    const out = buildBatchInputs(p, batch({ a: [1, NaN, 3, NaN], b: [NaN, 2, 3, NaN], label: [0, 1, 0, 1] }, [2, 3, 4, 6]));
    assert.equal(out.nanFeatureCells, 4);
    assert.equal(out.nanFeatureRows, 3);
    assert.deepEqual(out.nanRowLocations, ['line 2 (data row 1)', 'line 3 (data row 2)', 'line 6 (data row 4)']);
    assert.equal(out.rows, 4);
    assert.ok(Number.isNaN((out.inputs.x.values as Float32Array)[1]));
    await rejectsDataset(
      () => buildBatchInputs(p, batch({ a: [1, 2], b: [3, 4], label: [0, NaN] }, [2, 9])),
      /data\.csv: missing label \(empty or NaN\) in column "label" at line 9 \(data row 2\)/,
    );
    const t = planFeatures(schema(['a', 'label'], { textColumns: ['label'] }), [input('x', ['N', 1])]);
    assert.equal(t.labelKind, 'text');
    assert.deepEqual(buildBatchInputs(t, batch({ a: [1, 2], label: ['cat', 'dog'] })).labels, ['cat', 'dog']);
    await rejectsDataset(() => buildBatchInputs(t, batch({ a: [1, 2], label: ['cat', ''] })), /missing label .* at row 2/);
  });

  it('converts to the input element types', () => {
    for (const [elem, ctor, expect] of [
      ['INT32', Int32Array, [1, -2, 0]],
      ['UINT8', Uint8Array, [1, 254, 0]],
      ['DOUBLE', Float64Array, [1.5, -2.5, NaN]],
      ['FLOAT16', Float32Array, [1.5, -2.5, NaN]],
      ['UINT64', BigUint64Array, [1n, 0n, 0n]],
    ] as const) {
      const p = planFeatures(schema(['a']), [input('x', ['N', 1], elem)], { label: null });
      const out = buildBatchInputs(p, batch({ a: [1.5, -2.5, NaN] }));
      assert.ok(out.inputs.x.values instanceof ctor, elem);
      if (elem === 'UINT64') assert.deepEqual(Array.from(out.inputs.x.values as BigUint64Array), [1n, 18446744073709551614n, 0n]);
      else assert.deepEqual(Array.from(out.inputs.x.values as ArrayLike<number>), expect, elem);
      assert.equal(out.nanFeatureCells, 1, elem);
    }
    const s = planFeatures(schema(['t'], { textColumns: ['t'] }), [input('x', ['N', 1], 'STRING')], { label: null });
    assert.deepEqual(buildBatchInputs(s, batch({ t: ['a', 'b'] })).inputs.x.values, ['a', 'b']);
    assert.throws(() => planFeatures(schema(['a']), [input('x', ['N', 1], 'BFLOAT16')]), /element type BFLOAT16, which cannot be fed/);
    assert.throws(() => planFeatures(schema(['a']), [{ name: 's', kind: 'sequence', elem_type: 'FLOAT', shape: null }]), /input "s" is a sequence/);
  });
});
