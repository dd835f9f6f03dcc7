import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ExplainResult } from '../../../../src/protocol/explain';
import { attributionsCsv } from '../../../../src/extension/explain/logic/attribution-csv';
import { defaultNsamples, explainParams, parseExplainArgs, parseRowList } from '../../../../src/extension/explain/logic/explain-options';
import { importanceOrder, meanAbsPhi, normalizeValues, swarmOffsets, ticks, waterfallBars } from '../../../../webview/explain/attribution-math';

const result = {
  model: '/m.onnx',
  data: '/d.csv',
  method: 'exact',
  task: 'regression',
  feature_names: ['a', 'b,c', 'd'],
  output_names: ['y'],
  output_indices: [0],
  base_value: [10],
  f_x: [[13], [8]],
  shap_values: [
    [[1], [-0.5], [2.5]],
    [[-3], [0.5], [0.5]],
  ],
  efficiency_max_error: 0,
  feature_values: [
    [1, 2, 3],
    [4, 5, 6],
  ],
  rows: [7, 9],
  background: { rows: 1, source: '/d.csv', how: 'sample' },
  coalitions_per_row: [6, 6],
  varying_features: [3, 3],
  settings: { seed: 0 },
  model_calls: 1,
  model_rows: 1,
  seconds: 0,
  notes: [],
  created: '',
} as unknown as ExplainResult;

describe('Explain Predictions (extension logic)', () => {
  it('parses row lists with ranges and rejects bad text', () => {
    assert.deepEqual(parseRowList('3, 10-12 ,3 20'), [3, 10, 11, 12, 20]);
    assert.throws(() => parseRowList('x'), /not a row number/);
    assert.throws(() => parseRowList('5-2'), /backwards/);
    assert.throws(() => parseRowList(' '), /at least one row/);
  });

  it('parses a script arguments object and builds the worker params', () => {
    const abs = path.resolve('/data/test.csv');
    const c = parseExplainArgs('ptp.explainModel', { data: abs, rows: [1, 2], method: 'auto', output: 'all', background: { kmeans: 5 }, exclude: ['id'] }, path.isAbsolute);
    assert.deepEqual(c, { data: abs, rows: [1, 2], background: { kmeans: 5 }, excludeColumns: ['id'] }, 'the former key "exclude" is an alias of excludeColumns');
    assert.deepEqual(parseExplainArgs('ptp.explainModel', { data: abs, excludeColumns: ['id'] }, path.isAbsolute), { data: abs, excludeColumns: ['id'] });
    assert.deepEqual(explainParams('/m.onnx', c, {}).excludeColumns, ['id']);
    assert.throws(() => parseExplainArgs('ptp.explainModel', { data: abs, exclude: ['a'], excludeColumns: ['b'] }, path.isAbsolute), /"excludeColumns" or its former name "exclude", not both/);
    const p = explainParams('/m.onnx', c, { executionProviders: ['cpu'] });
    assert.deepEqual(p.rows, [1, 2]);
    assert.equal(p.maxRows, undefined);
    assert.equal(explainParams('/m.onnx', { data: abs }, {}).maxRows, 10);
    assert.throws(() => parseExplainArgs('ptp.explainModel', { data: 'rel.csv' }, path.isAbsolute), /"data" must be the absolute path/);
    assert.throws(() => parseExplainArgs('ptp.explainModel', { data: abs, method: 'lime' }, path.isAbsolute), /"method"/);
    assert.throws(() => parseExplainArgs('ptp.explainModel', { data: abs, background: { size: 3 } }, path.isAbsolute), /"background"/);
    assert.equal(defaultNsamples(10), 1022);
    assert.equal(defaultNsamples(64), 2176);
  });

  it('writes one CSV line per row, feature and output, quoting names', () => {
    const lines = attributionsCsv(result).trim().split('\n');
    assert.equal(lines[0], 'row,feature,output,value,phi');
    assert.equal(lines.length, 1 + 2 * 3);
    assert.equal(lines[2], '7,"b,c",y,2,-0.5');
  });

  it('orders waterfall bars by |φ| and merges the rest into "other features"', () => {
    const bars = waterfallBars(result, 0, 0, 2);
    assert.deepEqual(bars.map((b) => b.name), ['d', 'a', '1 other feature']);
    assert.equal(bars[2]!.phi, -0.5);
    assert.deepEqual(meanAbsPhi(result, 0), [2, 0.5, 1.5]);
    assert.deepEqual(importanceOrder(result, 0), [0, 2, 1]);
  });

  it('normalises colours, spreads swarm points and picks ticks', () => {
    assert.deepEqual(normalizeValues([0, 5, 10]), [0, 0.5, 1]);
    const off = swarmOffsets([1, 1, 1, 5]);
    assert.equal(new Set(off.slice(0, 3)).size, 3);
    assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
  });
});
