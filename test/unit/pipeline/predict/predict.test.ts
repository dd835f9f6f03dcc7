/**
 * predict on the example models: one output row per data row, the same predictions and scores as
 * `ptp evaluate --outputs` writes, in every output format read back with its own reader (csv-parse, hyparquet,
 * the NPY header + bytes, JSON.parse per line); bad input is a user error naming the file; nothing half-written.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { UserError } from '../../../../src/core/user-error';
import { evaluate } from '../../../../src/pipeline/evaluate';
import { predict, PredictError } from '../../../../src/pipeline/predict';
import type { PredictFormat, PredictParams } from '../../../../src/protocol/predict';
import { REPO_ROOT } from '../../../helpers/paths';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);

interface Case {
  readonly name: string;
  readonly model: string;
  readonly data: string;
  readonly options: Partial<PredictParams>;
  readonly rows: number;
}

const CASES: Case[] = [
  { name: 'digits_mlp', model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), options: {}, rows: 450 },
  { name: 'diabetes_ridge', model: ex('diabetes/diabetes_ridge.onnx'), data: ex('diabetes/diabetes_test.csv'), options: {}, rows: 111 },
  { name: 'credit_logreg', model: ex('credit/credit_logreg.onnx'), data: ex('credit/credit_test.csv'), options: { sensitive: ['sex'], excludeColumns: ['applicant_id'] }, rows: 900 },
];

type Row = Record<string, unknown>;

/** The rows of a predictions file, read back with the format's own reader. */
async function readBack(file: string, format: PredictFormat): Promise<Row[]> {
  switch (format) {
    case 'csv':
      return parse(readFileSync(file), { columns: true }) as Row[];
    case 'jsonl':
      return readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
    case 'parquet':
      return (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Row[];
    case 'npy':
      return readNpy(file);
  }
}

/** A 1-D or 2-D little-endian float NPY as rows `{ col_i: value }` (the test's own reader of the format). */
function readNpy(file: string): Row[] {
  const buf = readFileSync(file);
  assert.deepEqual([...buf.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const hlen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + hlen).toString('latin1');
  assert.equal((10 + hlen) % 64, 0, 'header padded to 64 bytes');
  const descr = /'descr': '([^']+)'/.exec(header)![1]!;
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = buf.subarray(10 + hlen);
  const copy = new Uint8Array(body).buffer;
  const values = descr === '<f4' ? new Float32Array(copy) : descr === '<f8' ? new Float64Array(copy) : assert.fail(`descr ${descr}`);
  const n = shape[0]!;
  const k = shape[1] ?? 1;
  assert.equal(values.length, n * k, 'data length = product of the shape');
  return Array.from({ length: n }, (_, r) => Object.fromEntries(Array.from({ length: k }, (_, c) => [`col_${c}`, values[r * k + c]!])));
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

describe('predict: the example models, every output format', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-predict-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`${c.name}: one row per data row, the predictions ptp evaluate --outputs writes (csv, parquet, jsonl, npy)`, async () => {
      const outputsFile = join(dir, `${c.name}.evaluate.csv`);
      await evaluate({ model: c.model, data: c.data, outputsFile, bootstrap: 0, ...c.options } as Parameters<typeof evaluate>[0]);
      const expected = parse(readFileSync(outputsFile), { columns: true }) as Record<string, string>[];
      assert.equal(expected.length, c.rows);
      const classifier = 'predicted' in expected[0]!;
      const probs = Object.keys(expected[0]!).filter((k) => k.startsWith('p_'));

      for (const format of ['csv', 'parquet', 'jsonl', 'npy'] as const) {
        const output = join(dir, `${c.name}.${format}`);
        const progress: string[] = [];
        const r = await predict({ model: c.model, data: c.data, output, batchSize: 64, ...c.options }, { onProgress: (p) => p.message && progress.push(p.message) });
        assert.equal(r.rows, c.rows);
        assert.equal(r.format, format);
        assert.equal(r.output, output);
        assert.equal(r.task, classifier ? 'classification' : 'regression');
        assert.ok(progress.length > 0);
        const rows = await readBack(output, format);
        assert.equal(rows.length, c.rows, `${format}: one row per data row`);
        for (let i = 0; i < c.rows; i++) {
          const got = rows[i]!;
          const want = expected[i]!;
          if (format === 'npy') {
            if (classifier) probs.forEach((p, k) => close(Number(got[`col_${k}`]), Number(want[p]), `${format} row ${i} ${p}`));
            else close(Number(got.col_0), Number(want.prediction), `${format} row ${i}`);
            continue;
          }
          assert.equal(Number(got.id), i, `${format} row ${i}: id is the row index`);
          if (classifier) {
            assert.equal(String(got.prediction), want.predicted, `${format} row ${i}: predicted class`);
            for (const p of probs) close(Number(got[`score_${p.slice(2)}`]), Number(want[p]), `${format} row ${i} ${p}`);
          } else {
            close(Number(got.prediction), Number(want.prediction), `${format} row ${i}`);
          }
        }
        assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp left');
      }
    });
  }

  it('--id-column: the id is the column value (text in parquet, as in the file; a number in JSON Lines)', async () => {
    const data = ex('credit/credit_test.csv');
    const ids = (parse(readFileSync(data), { columns: true }) as Record<string, string>[]).map((r) => r.applicant_id);
    for (const format of ['csv', 'parquet', 'jsonl'] as const) {
      const output = join(dir, `credit-ids.${format}`);
      await predict({ model: ex('credit/credit_logreg.onnx'), data, output, sensitive: ['sex'], idColumn: 'applicant_id' });
      const rows = await readBack(output, format);
      assert.deepEqual(rows.map((r) => String(r.id)), ids);
      if (format === 'jsonl') assert.equal(typeof rows[0]!.id, 'number');
    }
  });

  it('batch size and maxRows: the same rows whatever the batch', async () => {
    const a = join(dir, 'b1.csv');
    const b = join(dir, 'b2.csv');
    await predict({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), output: a, batchSize: 7, maxRows: 100 });
    await predict({ model: ex('digits/digits_mlp.onnx'), data: ex('digits/digits_test.csv'), output: b, batchSize: 1000, maxRows: 100 });
    const ra = parse(readFileSync(a), { columns: true }) as Row[];
    assert.equal(ra.length, 100);
    assert.deepEqual(ra, parse(readFileSync(b), { columns: true }));
  });

  describe('bad input: a user error naming the file, nothing written', () => {
    const model = ex('digits/digits_mlp.onnx');
    const data = ex('digits/digits_test.csv');
    const rejects = async (params: PredictParams, file: string, pattern: RegExp) => {
      await assert.rejects(predict(params), (e: unknown) => {
        assert.ok(e instanceof UserError, `a user error, got ${String(e)}`);
        assert.ok((e as Error).message.startsWith(file), `names ${file}: ${(e as Error).message}`);
        assert.match((e as Error).message, pattern);
        return true;
      });
      assert.ok(!existsSync(params.output), 'no output file');
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp left');
    };

    it('missing data file', () => rejects({ model, data: join(dir, 'nope.csv'), output: join(dir, 'x.csv') }, join(dir, 'nope.csv'), /no such file/));
    it('unknown output format', async () => {
      const output = join(dir, 'x.xlsx');
      await rejects({ model, data, output }, output, /unknown output format ".xlsx"/);
      await assert.rejects(predict({ model, data, output: join(dir, 'y.csv'), format: 'xml' as PredictFormat }), PredictError);
    });
    it('columns that do not fit the model', async () => {
      const bad = join(dir, 'narrow.csv');
      writeFileSync(bad, 'a,b\n1,2\n3,4\n');
      await rejects({ model, data: bad, output: join(dir, 'x.csv') }, bad, /column|feature|input/i);
    });
    it('a named id column that is not in the data', () =>
      rejects({ model, data, output: join(dir, 'x.csv'), idColumn: 'nope' }, data, /"nope" is not in the data/));
    it('an id column that is also the label (named, or found by its name)', async () => {
      await rejects({ model, data, output: join(dir, 'x.csv'), idColumn: 'label', label: 'label' }, data, /"label" cannot be both the id and the label/);
      await rejects({ model, data, output: join(dir, 'x.csv'), idColumn: 'label' }, data, /"label" cannot be both the id and the label \(found as the label by its name/);
    });
    it('an output folder that does not exist', async () => {
      const output = join(dir, 'no', 'such', 'x.csv');
      await rejects({ model, data, output }, output, /folder does not exist/);
    });
    it('a cancelled run leaves nothing', async () => {
      const ac = new AbortController();
      const output = join(dir, 'cancelled.csv');
      await assert.rejects(
        predict({ model, data, output, batchSize: 10 }, { signal: ac.signal, onProgress: () => ac.abort() }),
        (e: unknown) => (e as Error).name === 'AbortError',
      );
      assert.ok(!existsSync(output));
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    });
  });
});
