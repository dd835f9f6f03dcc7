import assert from 'node:assert/strict';
import { cellText, heatmapRows } from '../../../../webview/monitor/heatmap-rows';
import type { MonitorChunk } from '../../../../src/protocol/monitor';

const chunk = (index: number, drifted: string[], names: string[]): MonitorChunk => ({
  index, start: 0, end: 10, rows: 10,
  drift: {
    dataset_drift: false, drift_share: 0.5, drifted_columns: drifted.length, share_of_drifted_columns: 0,
    columns: names.map((name) => ({ name, kind: 'numerical', stattest: 'ks', statistic: drifted.includes(name) ? 0.4 : 0.1, p_value: drifted.includes(name) ? 0.001 : 0.4, threshold: 0.05, drift: drifted.includes(name) })),
  },
  realized: null, estimated: null, latency: null, alerts: [],
});

describe('webview/monitor: heatmap rows', () => {
  const names = ['age', 'income_k', 'debt', 'prediction'];
  const chunks = [chunk(0, ['income_k'], names), chunk(1, ['income_k', 'debt'], names), chunk(2, ['income_k'], names)];

  it('puts the most drifted features first and keeps every chunk as a cell', () => {
    const { rows, total, matching } = heatmapRows(chunks);
    assert.deepEqual(rows.map((r) => r.name), ['income_k', 'debt', 'age', 'prediction']);
    assert.equal(rows[0]!.driftedChunks, 3);
    assert.equal(rows[0]!.cells.length, 3);
    assert.equal(total, 4);
    assert.equal(matching, 4);
  });

  it('filters by a substring of the name, case-insensitive, and shows at most the limit', () => {
    assert.deepEqual(heatmapRows(chunks, 'INC').rows.map((r) => r.name), ['income_k']);
    const many = Array.from({ length: 80 }, (_, i) => `f${i}`);
    const r = heatmapRows([chunk(0, ['f70'], many)]);
    assert.equal(r.rows.length, 50);
    assert.equal(r.rows[0]!.name, 'f70');
    assert.equal(r.matching, 80);
  });

  it('a cell says what the test found', () => {
    assert.equal(cellText('income_k', 1, chunks[1]!.drift.columns[1]!), 'income_k, chunk 2: drift (ks, p = 0.001 < 0.05)');
    assert.equal(cellText('x', 0, null), 'x, chunk 1: not checked');
  });
});
