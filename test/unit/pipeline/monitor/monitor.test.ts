/**
 * Acceptance of `monitor` on the shipped examples: with a shifted copy of the credit test data, the shifted
 * features are flagged in every chunk and the unshifted are not; on the digits test data, CBPE's estimated
 * accuracy is within 0.03 of the realized accuracy in every chunk; a real `ptp serve` request log works as the
 * current data (features named after the reference's columns, latency per chunk, the model's scores recomputed
 * from the logged inputs); bad input is an error naming the file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { monitor } from '../../../../src/pipeline/monitor';
import { V2Client } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';
import { TestPrometheus } from '../../../helpers/prometheus';
import { serveForTest } from '../../../helpers/serve';
import { exampleSlice } from '../../../helpers/shifted';

const ex = (p: string) => join(REPO_ROOT, 'examples', p);
const SHIFTED = ['income_k', 'debt_ratio'];
const shift = { income_k: (x: number) => x * 1.5 + 20, debt_ratio: (x: number) => x + 0.3 };

describe('monitor: chunks of current data against a reference', function () {
  this.timeout(120_000);
  let dir: string;
  let reference: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-monitor-'));
    reference = exampleSlice('credit/credit_test.csv', dir, 'reference.csv', 0, 450);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('credit, shifted income and debt ratio: both flagged in every chunk, each unshifted feature in at most one of three (the tests’ 5% false alarms)', async () => {
    const current = exampleSlice('credit/credit_test.csv', dir, 'shifted.csv', 450, 900, shift);
    const r = await monitor({ reference, current, model: ex('credit/credit_logreg.onnx'), excludeColumns: ['applicant_id'], chunkSize: 150 });
    assert.equal(r.chunks.length, 3);
    assert.deepEqual(r.chunks.map((c) => [c.start, c.end, c.rows]), [[0, 150, 150], [150, 300, 150], [300, 450, 150]]);
    const columns = r.chunks[0]!.drift.columns.map((c) => c.name);
    assert.deepEqual(columns.slice(0, -1).sort(), ['age', 'debt_ratio', 'income_k', 'late_payments', 'n_accounts', 'sex', 'years_employed']);
    assert.equal(columns.at(-1), 'prediction', 'the prediction is checked too');
    for (const c of r.chunks) {
      for (const d of c.drift.columns) {
        if (SHIFTED.includes(d.name)) assert.equal(d.drift, true, `${d.name} drifts in chunk ${c.index} (${d.stattest} ${d.p_value ?? d.statistic})`);
      }
    }
    for (const name of columns.filter((c) => !SHIFTED.includes(c) && c !== 'prediction')) {
      const flagged = r.chunks.filter((c) => c.drift.columns.find((d) => d.name === name)!.drift).length;
      assert.ok(flagged <= 1, `${name} (unshifted) flagged in ${flagged} of 3 chunks`);
    }
    const ks = r.chunks[0]!.drift.columns.find((c) => c.name === 'income_k')!;
    assert.equal(ks.stattest, 'ks', 'a reference of ≤ 1000 rows: ks for a numerical column');
    assert.equal(r.chunks[0]!.drift.columns.find((c) => c.name === 'sex')!.stattest, 'z', 'two categories: the z-test');
    assert.ok(r.chunks.every((c) => c.realized && c.estimated), 'labels in the current file: realized and estimated');
    assert.equal(r.task, 'classification');
    assert.deepEqual(r.class_names, ['0', '1']);
    assert.ok(r.assumptions.some((a) => /no concept drift/.test(a)));
    assert.ok(r.distributions.income_k && r.distributions.income_k.chunks.length === 3 && r.distributions.income_k.bins.length === 10);
  });

  it('digits: CBPE fitted on the training data estimates each 150-row chunk of the test data within 0.03 of its realized accuracy', async () => {
    const r = await monitor({ reference: ex('digits/digits_train.csv'), current: ex('digits/digits_test.csv'), model: ex('digits/digits_mlp.onnx'), chunkSize: 150 });
    assert.equal(r.chunks.length, 3);
    for (const c of r.chunks) {
      const est = c.estimated!.accuracy!;
      const real = c.realized!.accuracy!;
      assert.ok(Math.abs(est - real) <= 0.03, `chunk ${c.index}: estimated ${est} vs realized ${real}`);
      assert.ok(c.estimated!.sampling_error.accuracy !== null);
    }
    assert.ok(r.warnings.some((w) => /predicted perfectly/.test(w)), 'a reference the model predicts perfectly is pointed out');
  });

  it('a ptp serve request log as the current data: features named after the reference, latency per chunk, the shifted feature flagged', async () => {
    const log = join(dir, 'logs', 'requests.jsonl');
    const server = await serveForTest({ log: { path: log, sample: 1, log_inputs: true }, models: [{ name: 'credit', model: ex('credit/credit_logreg.onnx') }] }, dir);
    const rows = parse(readFileSync(exampleSlice('credit/credit_test.csv', dir, 'to-serve.csv', 450, 750, shift)), { columns: true }) as Record<string, string>[];
    const features = ['income_k', 'debt_ratio', 'age', 'years_employed', 'n_accounts', 'late_payments'];
    try {
      const client = new V2Client(server.url);
      for (let i = 0; i < rows.length; i += 10) {
        const batch = rows.slice(i, i + 10);
        await client.infer('credit', [{ name: 'features', datatype: 'FP32', shape: [batch.length, 6], data: Float32Array.from(batch.flatMap((row) => features.map((f) => Number(row[f])))) }], { id: `req-${i}` });
      }
    } finally {
      await server.close();
    }
    const r = await monitor({ reference, current: log, model: ex('credit/credit_logreg.onnx'), excludeColumns: ['applicant_id'], chunkSize: 100 });
    assert.equal(r.current.kind, 'request-log');
    assert.equal(r.current.rows, 300);
    assert.equal(r.chunks.length, 3);
    const names = r.chunks[0]!.drift.columns.map((c) => c.name);
    assert.deepEqual(names, [...features, 'prediction'], 'the logged rows are named after the reference\'s numeric features');
    for (const c of r.chunks) {
      assert.equal(c.drift.columns.find((d) => d.name === 'income_k')!.drift, true, `income_k drifts in chunk ${c.index}`);
      assert.ok(c.latency && c.latency.requests === 10 && c.latency.p99_ms >= c.latency.p50_ms && c.latency.error_rate === 0, JSON.stringify(c.latency));
      assert.ok(c.start_time && c.end_time);
      assert.equal(c.realized, null, 'no labels in a log');
      assert.ok(c.estimated && c.estimated.accuracy! > 0.5, 'CBPE still estimates');
    }
  });

  it('a numerical column with 3–5 values gets chisquare on all rows, and keeps it in every chunk (digits pixels)', async () => {
    const r = await monitor({ reference: ex('digits/digits_test.csv'), current: ex('pipeline/digits_shifted.csv'), chunkSize: 150 });
    const pick = (c: (typeof r.chunks)[number], name: string) => c.drift.columns.find((d) => d.name === name)!;
    const chi = r.chunks[0]!.drift.columns.find((d) => d.stattest === 'chisquare' && d.kind === 'numerical');
    assert.ok(chi, 'some pixel has 3–5 distinct values: chisquare on a numerical column, as Evidently');
    for (const c of r.chunks) assert.equal(pick(c, chi.name).stattest, 'chisquare');
    // pixel_12 … pixel_51 are brighter in the shifted copy.
    for (const c of r.chunks) assert.equal(pick(c, 'pixel_30').drift, true, `pixel_30 drifts in chunk ${c.index}`);
  });

  it('bad input names the file: a missing reference, columns the current data lacks, both chunk options', async () => {
    await assert.rejects(monitor({ reference: join(dir, 'nope.csv'), current: reference }), /nope\.csv/);
    const other = exampleSlice('diabetes/diabetes_test.csv', dir, 'other.csv', 0, 50);
    await assert.rejects(monitor({ reference, current: other }), (e: Error) => e.message.startsWith(other) && /no column .*"income_k"/.test(e.message));
    await assert.rejects(monitor({ reference, current: reference, chunkSize: 10, chunkPeriod: '1h' }), /chunk size or a chunk period, not both/);
    await assert.rejects(monitor({ reference, current: reference, chunkPeriod: '1h' }), /period chunks need times/);
  });
});

describe('monitor: serving health from a real Prometheus scraping ptp serve', function () {
  this.timeout(120_000);
  it('a chunk of the request log gets its request count, error rate and latency from Prometheus\' query API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptp-monitor-prom-'));
    const log = join(dir, 'requests.jsonl');
    const server = await serveForTest({ log: { path: log, sample: 1, log_inputs: true }, models: [{ name: 'credit', model: ex('credit/credit_logreg.onnx') }] }, dir);
    const prom = await TestPrometheus.start([`127.0.0.1:${server.httpPort}`]);
    try {
      // One scrape before the first request, so the counters' series exist when the requests arrive.
      await prom.until('up', (s) => s.some((x) => x.value === 1));
      const reference = exampleSlice('credit/credit_test.csv', dir, 'reference.csv', 0, 450);
      const rows = parse(readFileSync(exampleSlice('credit/credit_test.csv', dir, 'cur.csv', 450, 490)), { columns: true }) as Record<string, string>[];
      const features = ['income_k', 'debt_ratio', 'age', 'years_employed', 'n_accounts', 'late_payments'];
      const client = new V2Client(server.url);
      const bad = () => fetch(`${server.url}/v2/models/credit/infer`, { method: 'POST', body: '{"inputs": [{"name": "features", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}]}' });
      // The server starts its 200 series at 0; a 400 series is born with the first failure, so one failure first,
      // scraped, before the traffic the chunk measures.
      await bad();
      await prom.until('sum(ptp_inference_requests_total{model="credit",status="400"})', (s) => s[0]?.value === 1);
      await new Promise((r) => setTimeout(r, 1500));
      for (const [i, row] of rows.entries()) {
        await client.infer('credit', [{ name: 'features', datatype: 'FP32', shape: [1, 6], data: Float32Array.from(features.map((f) => Number(row[f]))) }]);
        if (i % 4 === 0) await bad();
      }
      await prom.until('sum(ptp_inference_requests_total{model="credit"})', (s) => s[0]?.value === 51);
      const r = await monitor({ reference, current: log, excludeColumns: ['applicant_id'], chunkSize: 100, prometheus: prom.url });
      assert.equal(r.chunks.length, 1);
      const latency = r.chunks[0]!.latency!;
      assert.equal(latency.source, 'prometheus', r.warnings.join('\n'));
      assert.ok(latency.requests >= 40 && latency.requests <= 70, `requests ${latency.requests} (50 in the chunk's time; increase() extrapolates)`);
      assert.ok(latency.error_rate > 0.1 && latency.error_rate < 0.3, `error rate ${latency.error_rate} (10 of 50 failed)`);
      assert.ok(latency.p50_ms > 0 && latency.p99_ms >= latency.p50_ms, JSON.stringify(latency));
    } finally {
      await prom.stop();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
