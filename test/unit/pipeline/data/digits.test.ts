import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspect, openModel } from '../../../../src/core';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { buildBatchInputs, openDataset, planFeatures, sniffBytes } from '../../../../src/pipeline/data';
import { TempDir } from './helpers';
import { REPO_ROOT } from '../../../helpers/paths';

const DIGITS = path.join(REPO_ROOT, 'examples', 'digits');

async function modelInputs(name: string) {
  const model = await openModel(path.join(DIGITS, name));
  try {
    return inspect(model).inputs;
  } finally {
    await model.close();
  }
}

describe('pipeline/data: the shipped digits example', () => {
  const tmp = new TempDir();
  before(() => tmp.make());
  after(() => tmp.clean());

  for (const [model, rowShape] of [
    ['digits_mlp.onnx', [64]],
    ['digits_cnn.onnx', [1, 8, 8]],
  ] as const) {
    it(`feeds digits_test.csv to ${model} as [N,${rowShape.join(',')}]`, async () => {
      const src = await openDataset(path.join(DIGITS, 'digits_test.csv'));
      assert.equal(src.columns.length, 65);
      const plan = planFeatures(src, await modelInputs(model), { requireLabel: true });
      assert.equal(plan.label, 'label');
      assert.deepEqual(plan.feeds.map((f) => f.input), ['input']);
      assert.deepEqual(plan.feeds[0].rowShape, rowShape);
      let rows = 0;
      const counts = new Array<number>(10).fill(0);
      for await (const batch of src.batches(64)) {
        const out = buildBatchInputs(plan, batch);
        const t = out.inputs.input;
        assert.equal(t.dataType, DataType.FLOAT);
        assert.deepEqual(t.dims, [batch.rowCount, ...rowShape]);
        assert.equal(out.nanFeatureCells, 0);
        const v = t.values as Float32Array;
        for (let i = 0; i < v.length; i++) assert.ok(v[i] >= 0 && v[i] <= 16 && Number.isInteger(v[i]));
        if (batch.startRow === 0) assert.deepEqual(Array.from(v.subarray(0, 8)), [0, 0, 7, 16, 14, 3, 0, 0]);
        for (const l of out.labels as Float64Array) counts[l]++;
        rows += out.rows;
      }
      assert.equal(rows, 450);
      assert.equal(counts.reduce((a, b) => a + b, 0), 450);
      assert.ok(counts.every((c) => c > 30), `every digit occurs: ${counts}`);
    });
  }

  it('sniffs the format of a file without a known extension', async () => {
    const copy = tmp.path('digits.data');
    copyFileSync(path.join(DIGITS, 'digits_test.csv'), copy);
    assert.equal((await openDataset(copy)).format, 'csv');
    assert.equal(sniffBytes(Buffer.from('a\tb\n1\t2\n')), 'tsv');
    assert.equal(sniffBytes(Buffer.from('{"a": 1}\n')), 'jsonl');
    assert.equal(sniffBytes(Buffer.from('PAR1....')), 'parquet');
    assert.equal(sniffBytes(Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])), 'npy');
    assert.equal(sniffBytes(Uint8Array.from([0x50, 0x4b, 0x03, 0x04])), 'npz');
  });
});
