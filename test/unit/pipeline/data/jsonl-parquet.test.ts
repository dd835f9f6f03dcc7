import * as assert from 'node:assert/strict';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openDataset } from '../../../../src/pipeline/data';
import { TempDir, collect, column, rejectsDataset } from './helpers';

describe('pipeline/data: JSON Lines', () => {
  const tmp = new TempDir();
  before(() => tmp.make());
  after(() => tmp.clean());

  it('reads objects line by line: union of keys, numbers, bools, nulls, text and array tensors', async () => {
    const lines = [
      { a: 1.5, b: true, name: 'x', v: [1, 2, 3] },
      { a: null, b: false, name: 'y', v: [4, 5, 6], extra: 9 },
      {},
      { a: '2.5', name: 3, v: null },
      { a: -4, b: 1, name: null, v: [7, 8, 9] },
    ];
    const file = tmp.write('d.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n\n');
    const src = await openDataset(file);
    assert.equal(src.format, 'jsonl');
    assert.deepEqual(src.columns, ['a', 'b', 'name', 'v', 'extra']);
    assert.deepEqual([...src.kinds.values()], ['number', 'number', 'text', 'tensor', 'number']);
    assert.deepEqual(src.tensorShapes.get('v'), [3]);
    const batches = await collect(src, 2);
    assert.deepEqual(batches.map((b) => b.rowCount), [2, 2, 1]);
    assert.deepEqual(column(batches, 'a'), [1.5, NaN, NaN, 2.5, -4]);
    assert.deepEqual(column(batches, 'b'), [1, 0, NaN, NaN, 1]);
    assert.deepEqual(column(batches, 'name'), ['x', 'y', '', '3', '']);
    assert.deepEqual(column(batches, 'extra'), [NaN, 9, NaN, NaN, NaN]);
    assert.deepEqual(
      batches.flatMap((b) => Array.from(b.tensors!.get('v')!.data)),
      [1, 2, 3, 4, 5, 6, NaN, NaN, NaN, NaN, NaN, NaN, 7, 8, 9],
    );
    assert.deepEqual(batches.flatMap((b) => Array.from(b.lines!)), [1, 2, 3, 4, 5]);
  });

  it('reports bad JSON, non-objects and non-numeric values with their line', async () => {
    await rejectsDataset(openDataset(tmp.write('bad.jsonl', '{"a":1}\n{"a":\n')), /bad\.jsonl: line 2 is not valid JSON/);
    await rejectsDataset(openDataset(tmp.write('arr.jsonl', '[1,2]\n')), /line 1 is not a JSON object/);
    const src = await openDataset(tmp.write('nn.jsonl', '{"a":1}\n{"a":2}\n{"a":"three"}\n'), { sampleRows: 2 });
    await rejectsDataset(collect(src, 10), /non-numeric value "three" in column "a" at line 3/);
  });
});

describe('pipeline/data: Parquet', () => {
  const tmp = new TempDir();
  before(() => tmp.make());
  after(() => tmp.clean());

  it('reads row groups in batches across group boundaries with exact values', async () => {
    const n = 23;
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'f', data: Float32Array.from({ length: n }, (_, i) => i * 0.5), type: 'FLOAT' },
        { name: 'd', data: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i / 3)), type: 'DOUBLE' },
        { name: 'i', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 1000)), type: 'INT64' },
        { name: 'k', data: Int32Array.from({ length: n }, (_, i) => i % 3), type: 'INT32' },
        { name: 'b', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
        { name: 's', data: Array.from({ length: n }, (_, i) => (i === 4 ? null : `s${i}`)), type: 'STRING' },
      ],
      rowGroupSize: 10,
    });
    const file = tmp.write('t.parquet', new Uint8Array(bytes));
    const src = await openDataset(file);
    assert.equal(src.format, 'parquet');
    assert.equal(src.rowCount, n);
    assert.deepEqual(src.columns, ['f', 'd', 'i', 'k', 'b', 's']);
    assert.deepEqual([...src.kinds.values()], ['number', 'number', 'number', 'number', 'number', 'text']);
    for (const bs of [4, 7, 100]) {
      const batches = await collect(src, bs);
      assert.deepEqual(batches.map((b) => b.startRow), Array.from({ length: Math.ceil(n / bs) }, (_, k) => k * bs));
      assert.deepEqual(column(batches, 'f'), Array.from({ length: n }, (_, i) => i * 0.5));
      assert.deepEqual(column(batches, 'd'), Array.from({ length: n }, (_, i) => (i % 5 === 0 ? NaN : i / 3)));
      assert.deepEqual(column(batches, 'i'), Array.from({ length: n }, (_, i) => i * 1000));
      assert.deepEqual(column(batches, 'k'), Array.from({ length: n }, (_, i) => i % 3));
      assert.deepEqual(column(batches, 'b'), Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0)));
      assert.deepEqual(column(batches, 's'), Array.from({ length: n }, (_, i) => (i === 4 ? '' : `s${i}`)));
      assert.equal(batches[0].lines, undefined);
    }
  });

  it('reads a gzip-compressed file through hyparquet-compressors', async () => {
    const { gzipSync } = await import('fflate');
    const bytes = parquetWriteBuffer({
      columnData: [{ name: 'x', data: Float64Array.from([1, 2, 3]), type: 'DOUBLE' }],
      codec: 'GZIP',
      compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
    });
    const batches = await collect(await openDataset(tmp.write('gz.parquet', new Uint8Array(bytes))), 2);
    assert.deepEqual(column(batches, 'x'), [1, 2, 3]);
  });

  it('reads a list-of-float column as a tensor column (null rows → NaN)', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'label', data: Int32Array.from([0, 1, 0, 1]) },
        { name: 'emb', data: [[1, 2, 3], [4, 5, 6], null, [7, 8, 9]] },
      ],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'emb', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'REQUIRED', type: 'FLOAT' },
        { name: 'label', repetition_type: 'REQUIRED', type: 'INT32' },
      ],
    });
    const src = await openDataset(tmp.write('list.parquet', new Uint8Array(bytes)));
    assert.deepEqual(src.columns, ['emb', 'label']);
    assert.equal(src.kinds.get('emb'), 'tensor');
    assert.deepEqual(src.tensorShapes.get('emb'), [3]);
    const batches = await collect(src, 3);
    assert.deepEqual(batches.flatMap((b) => Array.from(b.tensors!.get('emb')!.data)), [1, 2, 3, 4, 5, 6, NaN, NaN, NaN, 7, 8, 9]);
    assert.deepEqual(column(batches, 'label'), [0, 1, 0, 1]);
  });

  it('refuses a file that is not Parquet', async () => {
    await rejectsDataset(openDataset(tmp.write('fake.parquet', 'PAR1 but not really')), /fake\.parquet: cannot read the Parquet file/);
  });
});
