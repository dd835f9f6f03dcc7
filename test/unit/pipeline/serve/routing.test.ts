/**
 * Routing, the admin and repository endpoints, dynamic batching and the request log, against a real server with
 * two versions of the digits classifier (the MLP as "1", the wide MLP as "2": same input, different answers).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { V2Client, type RunningServer, type V2Tensor } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';
import { serveForTest } from '../../../helpers/serve';

const row = (seed: number): number[] => Array.from({ length: 64 }, (_, i) => (i * 7 + seed * 13) % 17);
const tensor = (rows: number[][]): V2Tensor => ({ name: 'input', datatype: 'FP32', shape: [rows.length, 64], data: new Float32Array(rows.flat()) });

async function inferRaw(url: string, model: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; doc: { model_version?: string; outputs?: { name: string; data: number[] }[]; error?: string } }> {
  const res = await fetch(`${url}/v2/models/${model}/infer`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, doc: (await res.json()) as never };
}
const one = (seed: number) => ({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: row(seed) }] });

async function versionsOf(url: string, n: number, headers: (i: number) => Record<string, string> = () => ({}), model = 'digits'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => inferRaw(url, model, one(i + k), headers(i + k))));
    for (const r of batch) {
      assert.equal(r.status, 200, JSON.stringify(r.doc));
      out.push(r.doc.model_version!);
    }
  }
  return out;
}

describe('serve: routing, admin, repository, batching, request log', function () {
  this.timeout(120_000);
  let dir: string;
  let server: RunningServer;
  let client: V2Client;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-serve-routing-'));
    copyFileSync(join(REPO_ROOT, 'examples/digits/digits_mlp.onnx'), join(dir, 'v1.onnx'));
    copyFileSync(join(REPO_ROOT, 'examples/digits/digits_mlp_wide.onnx'), join(dir, 'v2.onnx'));
    server = await serveForTest(
      {
        log: { path: 'logs/requests.jsonl', sample: 1.0, log_inputs: false, max_bytes: 200_000, keep: 2 },
        models: [
          {
            name: 'digits',
            versions: [{ version: '1', model: 'v1.onnx' }, { version: '2', model: 'v2.onnx' }],
            routing: { split: { '1': 90, '2': 10 }, sticky_header: 'x-user-id' },
            batching: { max_batch_size: 32, max_queue_delay_us: 20_000 },
          },
          { name: 'shadowed', versions: [{ version: '1', model: 'v1.onnx' }, { version: '2', model: 'v2.onnx' }], routing: { split: { '1': 100 }, shadow: '2' } },
        ],
      },
      dir,
    );
    client = new V2Client(server.url);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a 90/10 canary over 2,000 requests lands within ±3 points', async () => {
    const vs = await versionsOf(server.url, 2000);
    const share2 = (100 * vs.filter((v) => v === '2').length) / vs.length;
    assert.ok(Math.abs(share2 - 10) <= 3, `version 2 got ${share2.toFixed(1)}%`);
    assert.ok(vs.every((v) => v === '1' || v === '2'));
  });

  it('a sticky header keeps every caller on one version (and callers spread over both)', async () => {
    const users = 300;
    const vs = await versionsOf(server.url, users * 4, (i) => ({ 'x-user-id': `user-${i % users}` }));
    const by = new Map<number, Set<string>>();
    vs.forEach((v, i) => (by.get(i % users) ?? by.set(i % users, new Set()).get(i % users)!).add(v));
    assert.ok([...by.values()].every((s) => s.size === 1), 'one version per user');
    const on2 = [...by.values()].filter((s) => s.has('2')).length;
    assert.ok(on2 > users * 0.04 && on2 < users * 0.2, `${on2} of ${users} users on version 2`);
  });

  it('an explicit version is answered by that version, with its own outputs', async () => {
    const [a, b] = await Promise.all([client.infer('digits', [tensor([row(1)])], { version: '1' }), client.infer('digits', [tensor([row(1)])], { version: '2' })]);
    assert.equal(a.model_version, '1');
    assert.equal(b.model_version, '2');
    assert.notDeepEqual([...(a.outputs[0]!.data as Float32Array)], [...(b.outputs[0]!.data as Float32Array)]);
  });

  it('shadow: every answer comes from the primary; the shadow version answers only into the log', async () => {
    const direct1 = await client.infer('shadowed', [tensor([row(5)])], { version: '1' });
    for (let i = 0; i < 40; i++) {
      const r = await client.infer('shadowed', [tensor([row(5)])], { id: `shadow-${i}` });
      assert.equal(r.model_version, '1');
      assert.deepEqual([...(r.outputs[0]!.data as Float32Array)], [...(direct1.outputs[0]!.data as Float32Array)]);
    }
    const deadline = Date.now() + 5_000;
    let shadowed = 0;
    while (Date.now() < deadline) {
      const s = await client.stats();
      shadowed = s.models.find((m) => m.name === 'shadowed')!.versions.find((v) => v.version === '2')!.shadow_requests;
      if (shadowed >= 40) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(shadowed, 40);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /ptp_shadow_requests_total\{[^}]*model="shadowed"[^}]*version="2"[^}]*outcome="ok"[^}]*\} 40/);
  });

  it('dynamic batching: concurrent requests run together and each gets its own rows back', async () => {
    const before = (await client.stats()).models.find((m) => m.name === 'digits')!.versions.find((v) => v.version === '1')!;
    const rows = Array.from({ length: 96 }, (_, i) => row(1000 + i));
    const alone = await Promise.all(rows.slice(0, 8).map((r) => client.infer('digits', [tensor([r])], { version: '1' })));
    const together = await Promise.all(rows.map((r, i) => client.infer('digits', [tensor(i % 3 === 0 ? [r, r] : [r])], { version: '1', binary: i % 2 === 0 })));
    for (let i = 0; i < 8; i++) {
      const want = [...(alone[i]!.outputs[0]!.data as Float32Array)];
      const got = [...(together[i]!.outputs[0]!.data as Float32Array)];
      assert.equal(together[i]!.outputs[0]!.shape[0], i % 3 === 0 ? 2 : 1);
      want.forEach((w, k) => assert.ok(Math.abs(w - got[k]!) <= 1e-5, `row ${i} logit ${k}: ${got[k]} vs ${w}`));
      if (i % 3 === 0) want.forEach((w, k) => assert.ok(Math.abs(w - got[10 + k]!) <= 1e-5));
    }
    const after = (await client.stats()).models.find((m) => m.name === 'digits')!.versions.find((v) => v.version === '1')!;
    assert.ok(after.max_batch_size_seen > 1, `batches formed: max ${after.max_batch_size_seen}`);
    assert.ok(after.max_batch_size_seen <= 32);
    assert.ok(after.batches - before.batches < 8 + 96, `${after.batches - before.batches} batches for 104 requests`);
  });

  it('the split changes, promotes and rolls back without a restart', async () => {
    let r = await client.setRouting('digits', { split: { '1': 0, '2': 100 } });
    assert.deepEqual(r.routing.split, { '1': 0, '2': 100 });
    assert.ok((await versionsOf(server.url, 100)).every((v) => v === '2'));
    r = await client.promote('digits', '1');
    assert.deepEqual(r.routing.split, { '1': 100 });
    assert.ok((await versionsOf(server.url, 100)).every((v) => v === '1'));
    r = await client.rollback('digits');
    assert.deepEqual(r.routing.split, { '1': 0, '2': 100 });
    assert.ok((await versionsOf(server.url, 50)).every((v) => v === '2'));
    await assert.rejects(client.setRouting('digits', { split: { '7': 100 } }), /7/);
    await assert.rejects(client.promote('digits', '9'), /9/);
  });

  it('repository: index, unload (then 404/503), load again', async () => {
    const index = (await client.index()) as { name: string; version: string; state: string }[];
    assert.ok(index.some((e) => e.name === 'digits' && e.version === '2' && e.state === 'READY'), JSON.stringify(index));
    await client.unload('shadowed');
    const gone = await inferRaw(server.url, 'shadowed', one(1));
    assert.ok([404, 503].includes(gone.status), `${gone.status}`);
    assert.equal((await fetch(`${server.url}/v2/models/shadowed/ready`)).status === 200, false);
    await client.load('shadowed');
    assert.equal((await inferRaw(server.url, 'shadowed', one(1))).status, 200);
  });

  it('admin and repository endpoints answer only on loopback', async function () {
    const ip = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!ip) this.skip();
    const open = await serveForTest({ host: '0.0.0.0', models: [{ name: 'digits', model: join(dir, 'v1.onnx') }] }, dir);
    try {
      const outside = `http://${ip}:${open.httpPort}`;
      assert.equal((await fetch(`${outside}/v2/health/ready`)).status, 200);
      assert.equal((await inferRaw(outside, 'digits', one(1))).status, 200);
      for (const [method, path] of [['GET', '/v2/admin/stats'], ['POST', '/v2/admin/models/digits/promote'], ['POST', '/v2/repository/models/digits/unload'], ['POST', '/v2/repository/index']]) {
        const res = await fetch(`${outside}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
        assert.equal(res.status, 403, `${method} ${path}`);
      }
      assert.equal((await fetch(`http://127.0.0.1:${open.httpPort}/v2/admin/stats`)).status, 200);
    } finally {
      await open.close();
    }
  });

  it('the request log: one JSON line per request (primary and shadow arms), input hashes, rotated by size', async () => {
    await server.close();
    const logs = readdirSync(join(dir, 'logs')).sort();
    assert.deepEqual(logs, ['requests.jsonl', 'requests.jsonl.1', 'requests.jsonl.2'], 'rotated to keep=2 older files');
    assert.ok(!existsSync(join(dir, 'logs/requests.jsonl.3')));
    const lines = logs.flatMap((f) => readFileSync(join(dir, 'logs', f), 'utf8').split('\n').filter(Boolean));
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of entries) {
      for (const k of ['time', 'id', 'model', 'version', 'arm', 'status', 'latency_ms', 'outputs']) assert.ok(k in e, `${k} in ${JSON.stringify(e).slice(0, 200)}`);
      assert.equal(e.inputs, undefined);
      assert.match(String(e.input_hash), /^[0-9a-f]{64}$/);
    }
    const shadowArm = entries.filter((e) => e.arm === 'shadow');
    assert.ok(shadowArm.length > 0 && shadowArm.every((e) => e.model === 'shadowed' && e.version === '2'));
    const same = entries.filter((e) => e.id === 'shadow-3');
    assert.deepEqual(same.map((e) => e.arm).sort(), ['primary', 'shadow']);
    assert.equal(same[0]!.input_hash, same[1]!.input_hash);
    for (const f of logs) assert.ok(readFileSync(join(dir, 'logs', f)).length <= 200_000 + 10_000);
  });
});
