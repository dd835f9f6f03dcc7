import assert from 'node:assert/strict';
import * as path from 'node:path';
import { monitorParams, parseCustomChunking, parseMonitorArgs } from '../../../../src/extension/monitor/logic/monitor-options';

const CMD = 'ptp.monitorModel';
const parse = (x: Record<string, unknown>) => parseMonitorArgs(CMD, x, path.posix.isAbsolute);

describe('extension/monitor: Monitor Model… choices', () => {
  it('parses the arguments object a script passes', () => {
    assert.deepEqual(parse({ reference: '/w/ref.csv', current: '/w/cur.csv' }), { reference: '/w/ref.csv', current: '/w/cur.csv' });
    assert.deepEqual(parse({ reference: '/w/ref.csv', current: '/w/log.jsonl', chunkPeriod: '1h', label: null, excludeColumns: ['id'] }), {
      reference: '/w/ref.csv', current: '/w/log.jsonl', chunkPeriod: '1h', label: null, excludeColumns: ['id'],
    });
    assert.equal(parse({ reference: '/w/ref.csv', current: '/w/cur.csv', chunkSize: 150 }).chunkSize, 150);
  });

  it('rejects what the worker could not use, naming the command and the key', () => {
    assert.throws(() => parse({ current: '/w/cur.csv' }), /ptp\.monitorModel: "reference" must be the absolute path/);
    assert.throws(() => parse({ reference: '/w/ref.csv', current: 'cur.csv' }), /"current" must be the absolute path/);
    assert.throws(() => parse({ reference: '/w/ref.csv', current: '/w/cur.csv', chunkSize: 0 }), /"chunkSize" must be an integer ≥ 1/);
    assert.throws(() => parse({ reference: '/w/ref.csv', current: '/w/cur.csv', chunkPeriod: 'hourly' }), /"chunkPeriod" must be a period/);
    assert.throws(() => parse({ reference: '/w/ref.csv', current: '/w/cur.csv', chunkSize: 5, chunkPeriod: '1d' }), /not both/);
    assert.throws(() => parse({ reference: '/w/ref.csv', current: '/w/cur.csv', excludeColumns: 'id' }), /"excludeColumns" must be a list/);
    assert.throws(() => parse({ reference: '/w/ref.csv', current: '/w/cur.csv', label: 3 }), /"label" must be a column name or null/);
  });

  it('builds MonitorParams with the model, the runtime options and only what was chosen', () => {
    assert.deepEqual(monitorParams('/w/m.onnx', { reference: '/w/r.csv', current: '/w/c.csv', chunkSize: 10 }, { executionProviders: ['cpu'] }), {
      reference: '/w/r.csv', current: '/w/c.csv', model: '/w/m.onnx', chunkSize: 10, executionProviders: ['cpu'],
    });
    assert.equal(monitorParams('/w/m.onnx', { reference: '/w/r.csv', current: '/w/c.csv' }, {}, '/w/r.html').html, '/w/r.html');
  });

  it('custom chunking: rows or a period, else a message', () => {
    assert.deepEqual(parseCustomChunking(' 250 '), { chunkSize: 250 });
    assert.deepEqual(parseCustomChunking('30m'), { chunkPeriod: '30m' });
    assert.deepEqual(parseCustomChunking('1w'), { chunkPeriod: '1w' });
    assert.equal(typeof parseCustomChunking('0'), 'string');
    assert.equal(typeof parseCustomChunking('1y'), 'string');
  });
});
