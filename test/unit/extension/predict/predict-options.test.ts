import assert from 'node:assert/strict';
import * as path from 'node:path';
import { outputFormat, parsePredictArgs, predictParams, suggestedOutput } from '../../../../src/extension/predict/logic/predict-options';

const CMD = 'ptp.predictOnData';
const parse = (x: Record<string, unknown>) => parsePredictArgs(CMD, x, path.posix.isAbsolute);

describe('extension/predict: Predict on Data… choices', () => {
  it('parses the arguments object a script passes, keeping label semantics (omitted / null / a name)', () => {
    assert.deepEqual(parse({ data: '/w/test.csv', output: '/w/out.csv' }), { data: '/w/test.csv', output: '/w/out.csv' });
    assert.deepEqual(parse({ data: '/w/test.csv', output: '/w/out.jsonl', idColumn: 'id', label: null, batchSize: 64, maxRows: 10, task: 'classification' }), {
      data: '/w/test.csv', output: '/w/out.jsonl', idColumn: 'id', label: null, task: 'classification', batchSize: 64, maxRows: 10,
    });
    assert.deepEqual(parse({ data: '/w/test.csv', output: '/w/out.parquet', label: 'y' }).label, 'y');
  });

  it('rejects what the worker could not use, naming the command and the key', () => {
    assert.throws(() => parse({ output: '/w/out.csv' }), /ptp\.predictOnData: "data" must be the absolute path/);
    assert.throws(() => parse({ data: 'test.csv', output: '/w/out.csv' }), /"data" must be the absolute path/);
    assert.throws(() => parse({ data: '/w/test.csv' }), /"output" must be the absolute path/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/out.txt' }), /"output" must end in \.csv, \.parquet, \.jsonl, \.npy/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/test.csv' }), /cannot be the data file/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/out.csv', idColumn: 3 }), /"idColumn" must be a column name/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/out.csv', label: 1 }), /"label" must be a column name or null/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/out.csv', idColumn: 'y', label: 'y' }), /cannot be both "idColumn" and "label"/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/out.csv', batchSize: 0 }), /"batchSize" must be an integer ≥ 1/);
    assert.throws(() => parse({ data: '/w/test.csv', output: '/w/out.csv', task: 'ranking' }), /"task" must be/);
  });

  it('turns the choices into PredictParams with the runtime settings, leaving the defaults to the worker', () => {
    assert.deepEqual(predictParams('/w/m.onnx', { data: '/w/d.csv', output: '/w/o.csv', task: 'auto' }, { intraOpNumThreads: 2 }), { model: '/w/m.onnx', data: '/w/d.csv', output: '/w/o.csv', intraOpNumThreads: 2 });
    assert.deepEqual(predictParams('/w/m.onnx', { data: '/w/d.csv', output: '/w/o.csv', idColumn: 'id', label: null, batchSize: 8 }, {}), {
      model: '/w/m.onnx', data: '/w/d.csv', output: '/w/o.csv', label: null, idColumn: 'id', batchSize: 8,
    });
  });

  it('suggests <data stem>.predictions.csv next to the data, and knows the formats it writes', () => {
    assert.equal(suggestedOutput(path.join('/w', 'data', 'digits_test.csv')), path.join('/w', 'data', 'digits_test.predictions.csv'));
    assert.equal(suggestedOutput(path.join('/w', 'images')), path.join('/w', 'images.predictions.csv'));
    assert.equal(outputFormat('/w/o.PARQUET'), 'parquet');
    assert.equal(outputFormat('/w/o.tsv'), undefined);
  });
});
