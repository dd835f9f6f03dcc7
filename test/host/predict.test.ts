import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/extension/registry/logic/models-tree';
import type { AddResult } from '../../src/pipeline/registry';
import type { PredictResult } from '../../src/protocol/predict';
import { activateExtension, fixture, waitFor } from './util';

interface RegistryTestApi {
  readonly registry: { root(): string | undefined; tree(): Promise<TreeNode[]> };
}

/** A small CSV (no quoted fields: the fixtures and the predictions of these tests have none) → header and rows. */
function readCsv(file: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  return { header: head!.split(','), rows: lines.map((l) => l.split(',')) };
}

/** The share of prediction rows whose `prediction` equals the data row's `label` (rows matched by position). */
function accuracy(predictions: string, data: string): number {
  const p = readCsv(predictions);
  const d = readCsv(data);
  const predicted = p.header.indexOf('prediction');
  const label = d.header.indexOf('label');
  assert.ok(predicted >= 0 && label >= 0, `no prediction / label column: ${p.header.join(',')} | ${d.header.slice(-3).join(',')}`);
  assert.equal(p.rows.length, d.rows.length);
  let right = 0;
  for (let i = 0; i < p.rows.length; i++) if (p.rows[i]![predicted] === d.rows[i]![label]) right++;
  return right / p.rows.length;
}

export default function (): void {
  describe('batch inference: Predict on Data', () => {
    const written: string[] = [];
    const out = (name: string): string => {
      const file = path.join(fixture('').fsPath, 'build-predict', name);
      written.push(file);
      return file;
    };
    const data = () => fixture('digits_test.csv').fsPath;

    before(async () => {
      await activateExtension();
      fs.rmSync(path.join(fixture('').fsPath, 'build-predict'), { recursive: true, force: true });
      fs.mkdirSync(path.join(fixture('').fsPath, 'build-predict'), { recursive: true });
    });
    after(() => fs.rmSync(path.join(fixture('').fsPath, 'build-predict'), { recursive: true, force: true }));

    it('ptp.predictOnData writes one row per data row (id, prediction, score_*) whose predictions match the labels', async function () {
      this.timeout(120_000); // the first request may fork the worker and load onnxruntime
      const output = out('digits_test.predictions.csv');
      const r = await vscode.commands.executeCommand<PredictResult>('ptp.predictOnData', fixture('digits_mlp.onnx'), { data: data(), output });
      assert.ok(r && typeof r === 'object', `ptp.predictOnData returned ${JSON.stringify(r)}`);
      assert.equal(r.output, output);
      assert.equal(r.format, 'csv');
      assert.equal(r.task, 'classification');
      const dataRows = readCsv(data()).rows.length;
      assert.equal(r.rows, dataRows);

      const csv = readCsv(output);
      assert.equal(csv.rows.length, dataRows, 'one prediction row per data row');
      assert.deepEqual(csv.header.slice(0, 2), ['id', 'prediction']);
      assert.deepEqual(csv.header.slice(2), Array.from({ length: 10 }, (_, i) => `score_${i}`));
      assert.deepEqual(csv.header, [...r.columns]);
      assert.deepEqual(csv.rows.slice(0, 3).map((row) => row[0]), ['0', '1', '2'], 'ids default to the row index');
      const scores = csv.rows[0]!.slice(2).map(Number);
      assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-3, `the scores of a row sum to 1: ${scores.join(', ')}`);
      const acc = accuracy(output, data());
      assert.ok(acc > 0.9, `accuracy against the label column is ${acc}`);
    });

    it('with idColumn: each row\'s id is that column\'s value, the column is not fed to the model', async function () {
      this.timeout(60_000);
      // digits_test.csv with a text column `sample` in front: not a feature, so without idColumn it could not be read.
      const { header, rows } = readCsv(data());
      const keyed = out('digits_keyed.csv');
      fs.writeFileSync(keyed, [['sample', ...header].join(','), ...rows.map((row, i) => [`s${String(i).padStart(4, '0')}`, ...row].join(','))].join('\n') + '\n');
      const output = out('digits_keyed.predictions.jsonl');
      const r = await vscode.commands.executeCommand<PredictResult>('ptp.predictOnData', fixture('digits_mlp.onnx'), { data: keyed, output, idColumn: 'sample', batchSize: 64 });
      assert.equal(r.format, 'jsonl');
      assert.equal(r.rows, rows.length);
      const lines = fs.readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: unknown; prediction: unknown });
      assert.equal(lines.length, rows.length);
      assert.deepEqual(lines.slice(0, 2).map((l) => l.id), ['s0000', 's0001']);
      assert.equal(lines.at(-1)!.id, `s${String(rows.length - 1).padStart(4, '0')}`);
      const label = header.indexOf('label');
      const right = lines.filter((l, i) => String(l.prediction) === rows[i]![label]).length;
      assert.ok(right / lines.length > 0.9, `accuracy with the id column set aside is ${right / lines.length}`);
    });

    it('a data file that is missing or not a data set rejects with a message naming it, and writes nothing', async function () {
      this.timeout(60_000);
      const missing = path.join(fixture('').fsPath, 'build-predict', 'no_such_data.csv');
      const output = out('never.predictions.csv');
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.predictOnData', fixture('digits_mlp.onnx'), { data: missing, output })), (e: Error) => {
        assert.match(e.message, /no_such_data\.csv/);
        assert.doesNotMatch(e.message, /\n\s+at /, 'the message must not carry a stack trace');
        return true;
      });
      assert.ok(!fs.existsSync(output), `${output} was written`);

      const notes = out('notes.txt');
      fs.writeFileSync(notes, 'these are notes, "not a table\nsecond line\n');
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.predictOnData', fixture('digits_mlp.onnx'), { data: notes, output })), (e: Error) => {
        assert.match(e.message, /notes\.txt/);
        assert.doesNotMatch(e.message, /\n\s+at /);
        return true;
      });
      assert.ok(!fs.existsSync(output), `${output} was written`);
      assert.deepEqual(fs.readdirSync(path.dirname(output)).filter((f) => f.includes('never')), [], 'no temporary file is left behind');

      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.predictOnData', fixture('digits_mlp.onnx'), { data: data(), output: out('p.txt') })), /"output" must end in \.csv/);
      assert.ok(!fs.existsSync(out('p.txt')));
    });

    describe('from the Models view', () => {
      let root: string;
      before(async function () {
        this.timeout(60_000);
        root = ((await activateExtension()).api as unknown as RegistryTestApi).registry.root() ?? '';
        assert.equal(root, path.join(fixture('').fsPath, '.ptp', 'registry'));
        fs.rmSync(root, { recursive: true, force: true });
      });
      after(() => fs.rmSync(root, { recursive: true, force: true }));

      it('ptp.models.predict on a registered version (and on its model: the @champion) writes its predictions', async function () {
        this.timeout(120_000);
        const v1 = await vscode.commands.executeCommand<AddResult>('ptp.registerModel', fixture('digits_mlp.onnx'), { name: 'digits', aliases: ['champion'] });
        assert.equal(v1.version, 1);
        const stored = path.join(root, 'models', 'digits', 'versions', '1', 'model.onnx');

        const output = out('digits_v1.predictions.csv');
        const r = await vscode.commands.executeCommand<PredictResult>('ptp.models.predict', 'digits@1', { data: data(), output });
        assert.equal(r.model, stored, 'the registry version\'s own file is run');
        assert.equal(r.rows, readCsv(data()).rows.length);
        assert.ok(accuracy(output, data()) > 0.9);

        // The model node of the view: its @champion.
        const [model] = await waitFor('the Models view lists digits', async () => {
          const t = await (((await activateExtension()).api as unknown as RegistryTestApi).registry.tree());
          return t.length ? t : undefined;
        });
        assert.equal(model!.kind, 'model');
        const byModel = out('digits_model.predictions.parquet');
        const m = await vscode.commands.executeCommand<PredictResult>('ptp.models.predict', model, { data: data(), output: byModel });
        assert.equal(m.model, stored);
        assert.equal(m.format, 'parquet');
        assert.ok(fs.statSync(byModel).size > 0);

        await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ptp.models.predict', 'digits@7', { data: data(), output: out('none.csv') })), /has no version 7/);
        assert.ok(!fs.existsSync(out('none.csv')));
      });
    });
  });
}
