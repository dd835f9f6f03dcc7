/**
 * The request log as monitoring reads it: written by ptp serve's own RequestLog (rotated into several files),
 * read back oldest first; a line that is not JSON is skipped and counted; shadow answers left out by default;
 * rows named after the reference's feature columns; hashed inputs counted as requests without features.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logTable, readRequestLog, rotatedFiles } from '../../../../src/pipeline/monitor/request-log';
import { RequestLog } from '../../../../src/pipeline/serve/request-log';

describe('monitor: reading the serve request log', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ptp-reqlog-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rotated files oldest first, a broken line counted, shadow left out, rows with features and scores', async () => {
    const file = join(dir, 'requests.jsonl');
    const log = new RequestLog({ path: file, sample: 1, logInputs: true, maxBytes: 700, keep: 5 });
    for (let i = 0; i < 6; i++) {
      const time = new Date(Date.UTC(2026, 11, 7, 10, i)).toISOString();
      const x = { name: 'x', datatype: 'FP32' as const, shape: [2, 3], data: Float32Array.from([i, i + 0.5, 1, i, i + 0.5, 2]) };
      const y = { name: 'proba', datatype: 'FP32' as const, shape: [2, 2], data: Float32Array.from([0.25, 0.75, 0.5, 0.5]) };
      log.write({ time, id: `r${i}`, model: 'm', version: '1', arm: 'primary', status: 200, latency_ms: 1 + i, inputs: [x], outputs: [y] });
      if (i === 2) log.write({ time, id: `r${i}`, model: 'm', version: '2', arm: 'shadow', status: 200, latency_ms: 9, inputs: [x], outputs: [y] });
    }
    await log.close();
    appendFileSync(file, '{"time": "2026-12-07T10:'); // a line cut off mid-write
    const files = rotatedFiles(file);
    assert.ok(files.length >= 2, `the log rotated (${files.join(', ')})`);
    assert.equal(files.at(-1), file);
    const read = await readRequestLog(file);
    assert.deepEqual(read.requests.map((r) => r.id), ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    assert.equal(read.skipped, 1);
    assert.match(read.skippedAt[0]!, /requests\.jsonl:\d+$/);
    assert.equal((await readRequestLog(file, { includeShadow: true })).requests.length, 7);

    const table = logTable(read, { featureNames: ['a', 'b', 'c'] });
    assert.equal(table.rows, 12);
    assert.deepEqual(table.columns, ['a', 'b', 'c']);
    assert.deepEqual(Array.from(table.values[0]!.subarray(0, 4)), [0, 0, 1, 1]);
    assert.deepEqual(Array.from(table.values[2]!.subarray(0, 2)), [1, 2]);
    assert.equal(table.time[2], Date.UTC(2026, 11, 7, 10, 1));
    assert.equal(table.latencyMs[11], 6);
    assert.deepEqual(table.output && { name: table.output.name, width: table.output.width, first: Array.from(table.output.data.subarray(0, 4)) }, { name: 'proba', width: 2, first: [0.25, 0.75, 0.5, 0.5] });
    assert.deepEqual(logTable(read).columns, ['x_0', 'x_1', 'x_2'], 'without the reference\'s names, the input\'s');
  });

  it('hashed inputs: no features, counted; a missing log is an error naming the file', async () => {
    const file = join(dir, 'hashed.jsonl');
    const log = new RequestLog({ path: file, sample: 1, logInputs: false, maxBytes: 1 << 20, keep: 1 });
    log.write({ time: new Date().toISOString(), id: null, model: 'm', version: '1', arm: 'primary', status: 200, latency_ms: 1, inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 1], data: Float32Array.from([1]) }], outputs: [] });
    await log.close();
    const table = logTable(await readRequestLog(file));
    assert.equal(table.rows, 0);
    assert.equal(table.requestsWithoutFeatures, 1);
    await assert.rejects(readRequestLog(join(dir, 'nope.jsonl')), /nope\.jsonl: no such request log/);
  });
});
