/**
 * Acceptance: a real Prometheus, started by the test, scrapes `ptp serve` and reports request counts equal to the
 * requests sent — by model, version, status and protocol — plus the histograms and gauges a dashboard reads.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';
import { TestPrometheus } from '../../../helpers/prometheus';
import { grpcClient, serveForTest } from '../../../helpers/serve';

describe('serve: Prometheus scrapes /metrics', function () {
  this.timeout(120_000);
  let dir: string;
  let server: RunningServer;
  let prom: TestPrometheus;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-serve-prom-'));
    copyFileSync(join(REPO_ROOT, 'examples/digits/digits_mlp.onnx'), join(dir, 'v1.onnx'));
    copyFileSync(join(REPO_ROOT, 'examples/digits/digits_mlp_wide.onnx'), join(dir, 'v2.onnx'));
    server = await serveForTest({ models: [{ name: 'digits', versions: [{ version: '1', model: 'v1.onnx' }, { version: '2', model: 'v2.onnx' }], routing: { split: { '1': 80, '2': 20 } } }] }, dir);
    prom = await TestPrometheus.start([`127.0.0.1:${server.httpPort}`]);
  });
  after(async () => {
    await prom?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('request counts by version, status and protocol equal what was sent', async () => {
    const body = (rows: number) => JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [rows, 64], data: Array.from({ length: rows * 64 }, (_, i) => i % 17) }] });
    const sent = new Map<string, number>();
    const count = (key: string) => sent.set(key, (sent.get(key) ?? 0) + 1);
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${server.url}/v2/models/digits/infer`, { method: 'POST', body: body(1 + (i % 4)), headers: { 'content-type': 'application/json' } });
      const doc = (await res.json()) as { model_version: string };
      count(`${doc.model_version}|200|rest`);
    }
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${server.url}/v2/models/digits/versions/2/infer`, { method: 'POST', body: '{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}', headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400);
      count('2|400|rest');
    }
    // Made-up model names are counted under one label value.
    for (const name of ['nope-1', 'nope-2', 'nope-3']) assert.equal((await fetch(`${server.url}/v2/models/${name}/infer`, { method: 'POST', body: body(1) })).status, 404);
    const g = grpcClient(server.grpcPort!);
    try {
      for (let i = 0; i < 25; i++) {
        const r = await g.call('ModelInfer', { model_name: 'digits', model_version: '1', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }], raw_input_contents: [Buffer.alloc(64 * 4)] });
        assert.equal(r.model_version, '1');
        count('1|200|grpc');
      }
    } finally {
      g.close();
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    await prom.until('sum(ptp_inference_requests_total{model="digits"})', (s) => s[0]?.value === total);
    const samples = await prom.query('ptp_inference_requests_total{model="digits"}');
    // Series a version starts at 0 (200 on each protocol) and never used stay 0: they are not requests.
    const seen = new Map(samples.filter((s) => s.value > 0).map((s) => [`${s.metric.version}|${s.metric.status}|${s.metric.protocol}`, s.value]));
    assert.ok(samples.some((s) => s.value === 0 && s.metric.status === '200'), 'the 200 series of every protocol exist from the start');
    assert.deepEqual(Object.fromEntries([...seen].sort()), Object.fromEntries([...sent].sort()));
    const failures = await prom.query('sum by (status) (ptp_inference_failures_total{model="digits"})');
    assert.deepEqual(failures.map((s) => [s.metric.status, s.value]), [['400', 7]]);

    // What a dashboard reads next to the counts.
    const unknown = await prom.until('ptp_inference_requests_total{model="(unknown)"}', (x) => x.length > 0);
    assert.deepEqual(unknown.map((x) => [x.metric.status, x.value]), [['404', 3]]);
    const up = await prom.query('up{job="ptp"}');
    assert.equal(up[0]?.value, 1);
    const durations = await prom.query('sum(ptp_request_duration_seconds_count{model="digits"})');
    assert.equal(durations[0]?.value, total, 'one request-duration observation per answered request');
    const p99 = await prom.query('histogram_quantile(0.99, sum by (le) (ptp_request_duration_seconds_bucket{model="digits"}))');
    assert.ok(p99[0] && p99[0].value > 0 && p99[0].value < 5, JSON.stringify(p99));
    const rows = await prom.query('sum(ptp_inference_rows_total{model="digits"})');
    const restRows = [...Array(150).keys()].reduce((a, i) => a + 1 + (i % 4), 0);
    assert.equal(rows[0]?.value, restRows + 25);
    const batches = await prom.query('sum(ptp_batch_size_sum{model="digits"})');
    assert.equal(batches[0]?.value, restRows + 25, 'the batch-size histogram counts every row once');
    const weights = await prom.query('ptp_routing_weight{model="digits"}');
    assert.deepEqual(Object.fromEntries(weights.map((s) => [s.metric.version, s.value])), { '1': 80, '2': 20 });
    const ready = await prom.query('ptp_model_ready{model="digits"}');
    assert.deepEqual(ready.map((s) => s.value), [1, 1]);
    assert.equal((await prom.query('ptp_queue_depth{model="digits"}')).length, 2);
    const mem = await prom.query('process_resident_memory_bytes{job="ptp"}');
    assert.ok(mem[0] && mem[0].value > 10 * 2 ** 20);
    assert.equal((await prom.query('process_cpu_seconds_total{job="ptp"}')).length, 1);
  });
});
