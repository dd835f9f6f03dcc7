/** Chunking (NannyML's size / number / period chunkers) and alert bands (reference mean ± 3σ). */
import assert from 'node:assert/strict';
import { outside, referenceBand } from '../../../../src/pipeline/monitor/alerts';
import { chunkByNumber, chunkByPeriod, chunkBySize, parsePeriod } from '../../../../src/pipeline/monitor/chunks';

describe('monitor: chunks and alert bands', () => {
  it('by size: full chunks, and a last partial one marked; by number: near-equal chunks covering every row', () => {
    assert.deepEqual(chunkBySize(10, 4), [
      { index: 0, start: 0, end: 4 },
      { index: 1, start: 4, end: 8 },
      { index: 2, start: 8, end: 10, partial: true },
    ]);
    assert.deepEqual(chunkBySize(0, 4), []);
    const byNumber = chunkByNumber(10, 3);
    assert.deepEqual(byNumber.map((c) => c.end - c.start), [3, 3, 4]);
    assert.equal(byNumber.at(-1)!.end, 10);
    assert.throws(() => chunkBySize(10, 0), /chunk size must be a positive integer/);
  });

  it('by period: UTC hours and days; weeks start on Monday; rows out of time order are refused', () => {
    const t = (s: string) => Date.parse(s);
    const times = ['2026-12-07T10:05:00Z', '2026-12-07T10:59:59Z', '2026-12-07T11:00:00Z', '2026-12-08T00:30:00Z'].map(t);
    assert.deepEqual(chunkByPeriod(times, '1h').map((c) => [c.start, c.end, c.period!.start]), [
      [0, 2, '2026-12-07T10:00:00.000Z'],
      [2, 3, '2026-12-07T11:00:00.000Z'],
      [3, 4, '2026-12-08T00:00:00.000Z'],
    ]);
    assert.deepEqual(chunkByPeriod(times, '1d').map((c) => [c.start, c.end]), [[0, 3], [3, 4]]);
    // 2026-12-06 is a Sunday, 2026-12-07 a Monday.
    const week = chunkByPeriod([t('2026-12-06T23:00:00Z'), t('2026-12-07T01:00:00Z')], '1w');
    assert.deepEqual(week.map((c) => c.period!.start), ['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    assert.equal(parsePeriod('30m'), 1_800_000);
    assert.throws(() => parsePeriod('1y'), /not a period/);
    assert.throws(() => chunkByPeriod([t('2026-12-07T10:00:00Z'), t('2026-12-07T09:00:00Z')], '1h'), /go back in time at row 2/);
  });

  it('alert band: reference mean ± 3 population σ; values outside alert, null bounds do not apply', () => {
    const band = referenceBand([0.9, 0.92, 0.91, 0.93, null])!;
    assert.ok(Math.abs(band.mean - 0.915) < 1e-12);
    assert.ok(Math.abs(band.std - Math.sqrt(0.000125)) < 1e-12);
    assert.equal(outside(0.915, band), false);
    assert.equal(outside(0.87, band), true);
    assert.equal(outside(0.5, { lower: null, upper: 0.1 }), true);
    assert.equal(outside(0.05, { lower: null, upper: 0.1 }), false);
    assert.equal(outside(null, band), false);
    assert.equal(referenceBand([null]), null);
  });
});
