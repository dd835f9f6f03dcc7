/**
 * Bad input and faults against a real `ptp serve` on 127.0.0.1: each gets its status code and an `{"error"}`
 * that says what is wrong, and the server keeps serving afterwards.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { V2Client, type RunningServer } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';
import { serveForTest } from '../../../helpers/serve';
import { encodeModel, mlpModel, node, valueInfo } from '../../../helpers/tiny-models';

const DIGITS = join(REPO_ROOT, 'examples/digits/digits_mlp.onnx');
const row = (v = 1): number[] => Array.from({ length: 64 }, (_, i) => (i * v) % 17);

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; doc: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, doc: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Sends raw bytes on a socket and resolves with everything the server answered before closing (or `ms`). */
function raw(port: number, bytes: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(bytes));
    let got = '';
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(got);
    }, ms);
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    sock.on('error', reject);
  });
}

describe('serve: bad input and faults', function () {
  this.timeout(120_000);
  let dir: string;
  let server: RunningServer;
  let infer: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-serve-faults-'));
    copyFileSync(DIGITS, join(dir, 'digits.onnx'));
    writeFileSync(join(dir, 'broken.onnx'), 'this is not an onnx model');
    // An int64 model: y = Identity(x), x [batch, 3] INT64.
    writeFileSync(join(dir, 'ints.onnx'), encodeModel({ nodes: [node('Identity', ['x'], ['y'])], inputs: [valueInfo('x', 7, ['batch', 3])], outputs: [valueInfo('y', 7, ['batch', 3])] }));
    writeFileSync(join(dir, 'heavy.onnx'), mlpModel([20, 1024, 1024, 10]));
    server = await serveForTest(
      {
        request_timeout_ms: 600,
        max_body_bytes: 1 << 20,
        models: [
          { name: 'digits', versions: [{ version: '1', model: 'digits.onnx' }, { version: '2', model: 'broken.onnx' }] },
          { name: 'ints', model: 'ints.onnx' },
          { name: 'heavy', model: 'heavy.onnx', batching: { max_batch_size: 1, max_queue_size: 2 } },
        ],
      },
      dir,
    );
    infer = `${server.url}/v2/models/digits/infer`;
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const good = (extra: Record<string, unknown> = {}) => JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: row(), ...extra }] });

  it('answers a good request (baseline for the others)', async () => {
    const r = await post(infer, good());
    assert.equal(r.status, 200, JSON.stringify(r.doc));
    assert.equal(r.doc.model_version, '1');
  });

  it('malformed JSON → 400 naming the JSON problem', async () => {
    const r = await post(infer, '{"inputs": [ {"name": "input", ');
    assert.equal(r.status, 400);
    assert.match(String(r.doc.error), /malformed JSON/);
  });

  it('unknown model / version → 404; unknown input, wrong datatype, wrong shape, data length → 400', async () => {
    const cases: [string, string, number, RegExp][] = [
      [`${server.url}/v2/models/nope/infer`, good(), 404, /nope/],
      [`${server.url}/v2/models/digits/versions/9/infer`, good(), 404, /9/],
      [infer, JSON.stringify({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 64], data: row() }] }), 400, /pixels/],
      [infer, good({ datatype: 'INT64' }), 400, /INT64|FP32|datatype/],
      [infer, good({ shape: [1, 63], data: row().slice(0, 63) }), 400, /shape|63/],
      [infer, good({ shape: [1, 64], data: row().slice(0, 60) }), 400, /60|64/],
      [infer, good({ shape: [1, -1] }), 400, /shape/],
      [infer, JSON.stringify({ inputs: [] }), 400, /inputs/],
    ];
    for (const [url, body, status, re] of cases) {
      const r = await post(url, body);
      assert.equal(r.status, status, `${body.slice(0, 80)} → ${r.status} ${JSON.stringify(r.doc)}`);
      assert.equal(typeof r.doc.error, 'string');
      assert.match(String(r.doc.error), re);
    }
  });

  it('NaN or a fraction where the model takes ints → 400; ints round-trip exactly', async () => {
    const url = `${server.url}/v2/models/ints/infer`;
    for (const data of [[1, 'NaN', 3], [1, 2.5, 3], [1, null, 3]]) {
      const r = await post(url, JSON.stringify({ inputs: [{ name: 'x', datatype: 'INT64', shape: [1, 3], data }] }));
      assert.equal(r.status, 400, JSON.stringify(data));
      assert.match(String(r.doc.error), /x/);
    }
    const ok = await post(url, JSON.stringify({ inputs: [{ name: 'x', datatype: 'INT64', shape: [1, 3], data: [1, -2, 9007199254740991] }] }));
    assert.equal(ok.status, 200, JSON.stringify(ok.doc));
    assert.deepEqual((ok.doc.outputs as { data: unknown[] }[])[0]!.data.map(Number), [1, -2, 9007199254740991]);
  });

  it('a 1 GiB Content-Length → 413 before the body is read; the server stays up', async () => {
    const answer = await raw(server.httpPort, `POST /v2/models/digits/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2 ** 30}\r\n\r\n{"inp`, 5_000);
    assert.match(answer, /^HTTP\/1\.1 413/);
    assert.match(answer, /over the limit/);
    // A streamed body over the limit without a Content-Length: 413 too.
    const big = new Uint8Array((1 << 20) + 10).fill(32);
    const chunked = await raw(server.httpPort, `POST /v2/models/digits/infer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${big.length.toString(16)}\r\n${Buffer.from(big).toString('latin1')}\r\n0\r\n\r\n`, 5_000);
    assert.match(chunked, /^HTTP\/1\.1 413/);
    assert.equal((await post(infer, good())).status, 200);
  });

  it('a slow client that never finishes its body times out (408) and the server keeps serving', async () => {
    const t0 = Date.now();
    const answer = await raw(server.httpPort, `POST /v2/models/digits/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"inputs": [`, 10_000);
    assert.ok(Date.now() - t0 < 9_000, 'the server closed the stalled connection');
    assert.match(answer, /408|^$/);
    assert.equal((await post(infer, good())).status, 200);
  });

  it('a version whose model fails to load: the other serves, ready says which', async () => {
    const client = new V2Client(server.url);
    assert.equal(await client.ready(), true);
    const v1 = await fetch(`${server.url}/v2/models/digits/versions/1/ready`);
    assert.equal(v1.status, 200);
    const v2 = await fetch(`${server.url}/v2/models/digits/versions/2/ready`);
    assert.equal(v2.status, 503);
    const body = (await v2.json()) as { reason?: string };
    assert.match(String(body.reason), /broken\.onnx|protobuf|model/i);
    const r = await post(`${server.url}/v2/models/digits/versions/2/infer`, good());
    assert.equal(r.status, 503);
    assert.match(String(r.doc.error), /not ready/);
  });

  it('a full queue answers 503 (bounded), the admitted requests are answered', async () => {
    const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [64, 20], data: Array.from({ length: 64 * 20 }, (_, i) => (i % 7) / 7) }] });
    const results = await Promise.all(Array.from({ length: 40 }, () => post(`${server.url}/v2/models/heavy/infer`, body)));
    const by = new Map<number, number>();
    for (const r of results) by.set(r.status, (by.get(r.status) ?? 0) + 1);
    assert.ok((by.get(503) ?? 0) > 0, `some 503s: ${JSON.stringify([...by])}`);
    assert.ok((by.get(200) ?? 0) > 0, `some answered: ${JSON.stringify([...by])}`);
    assert.equal((by.get(200) ?? 0) + (by.get(503) ?? 0), 40);
    assert.match(String(results.find((r) => r.status === 503)!.doc.error), /queue/);
  });

  it('10,000 requests with 64 at once: no error, memory bounded', async () => {
    const body = good();
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < 10_000) {
          next++;
          const res = await fetch(infer, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    assert.deepEqual([...statuses], [[200, 10_000]]);
    global.gc?.();
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
    assert.ok(grown < 300, `rss grew ${grown.toFixed(0)} MiB over 10,000 requests`);
    const stats = await new V2Client(server.url).stats();
    const v1 = stats.models.find((m) => m.name === 'digits')!.versions.find((v) => v.version === '1')!;
    assert.ok(v1.requests >= 10_000);
  });
});

describe('serve: SIGTERM drains in-flight requests', function () {
  this.timeout(120_000);

  it('every request in flight when SIGTERM arrives is answered, then the process exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptp-serve-drain-'));
    const heavy = join(dir, 'heavy.onnx');
    writeFileSync(heavy, mlpModel([20, 1024, 1024, 10]));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli.js'), 'serve', heavy, '--max-batch-size', '1', '--http-port', '0', '--grpc-port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error(`ptp serve exited before listening: ${stderr}`)));
      });
      const { http } = JSON.parse(line) as { http: string };
      assert.match(http, /^http:\/\/127\.0\.0\.1:\d+$/);
      // ~10 ms of compute each, one at a time: most are queued when SIGTERM arrives.
      const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [64, 20], data: Array.from({ length: 64 * 20 }, (_, i) => (i % 7) / 7) }] });
      const inflight = Array.from({ length: 60 }, () => fetch(`${http}/v2/models/heavy/infer`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) => r.status));
      // Wait until the server holds them all (in flight + answered), then signal.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const s = (await (await fetch(`${http}/v2/admin/stats`)).json()) as { in_flight: number; models: { versions: { requests: number }[] }[] };
        const held = s.in_flight + s.models[0]!.versions.reduce((a, v) => a + v.requests, 0);
        if (held >= 60 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGTERM');
      const statuses = await Promise.all(inflight);
      assert.deepEqual([...new Set(statuses)], [200], `statuses ${JSON.stringify(statuses)}; stderr ${stderr}`);
      assert.equal(await exited, 0, stderr);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
