/**
 * `npm run bench -- serve [--seconds 3]`: `ptp serve` (a child process on 127.0.0.1) under a real load generator
 * (autocannon) at concurrency 1, 8 and 64, dynamic batching off and on, for the small example MLP and a
 * compute-heavy MLP (20→1024→1024→10), next to a bare in-process onnxruntime loop at the batch size the batcher
 * formed, in one run; then REST JSON vs REST binary vs gRPC. Printed, not asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import * as grpc from '@grpc/grpc-js';
import { createSession, loadOrt } from '../src/pipeline/runtime';
import { encodeBinary } from '../src/pipeline/serve/codec';
import { loadService } from '../src/pipeline/serve/grpc';
import { mlpModel } from '../test/helpers/tiny-models';
import { table } from './format';
import { numberArg } from './util';
import type { Variant } from './child';

export const description = 'ptp serve under autocannon (concurrency 1/8/64, batching off/on) vs a bare onnxruntime loop; REST JSON vs binary vs gRPC';
export const variants: Readonly<Record<string, Variant>> = {};

interface Served {
  readonly http: string;
  readonly grpc: string;
  readonly child: ChildProcess;
}

async function serve(model: string, name: string, batching: boolean): Promise<Served> {
  const cli = join(__dirname, 'cli.js');
  const child = spawn(process.execPath, [cli, 'serve', model, '--name', name, '--http-port', '0', '--grpc-port', '0', '--json', '--max-batch-size', batching ? '64' : '0', '--max-queue-delay-us', '1000', '--max-queue-size', '4096'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`ptp serve exited (${c})`)));
  });
  const doc = JSON.parse(line) as { http: string; grpc: string };
  return { http: doc.http, grpc: doc.grpc, child };
}

/** CPU time (user + system, in clock ticks) of a process so far, from /proc; 0 where /proc is not there. */
function processTicks(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
const TICKS_PER_SECOND = 100;

async function stop(s: Served): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

interface Load {
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function load(url: string, body: Buffer | string, headers: Record<string, string>, connections: number, seconds: number): Promise<Load> {
  const r = await autocannon({ url, method: 'POST', body, headers, connections, duration: seconds, pipelining: 1 });
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

async function meanBatch(http: string, name: string): Promise<{ batches: number; rows: number }> {
  const s = (await (await fetch(`${http}/v2/admin/stats`)).json()) as { models: { name: string; versions: { batches: number; mean_batch_size: number | null }[] }[] };
  const v = s.models.find((m) => m.name === name)!.versions[0]!;
  return { batches: v.batches, rows: v.batches * (v.mean_batch_size ?? 0) };
}

/** Rows/s and per-run ms of session.run at `batch` rows, for `seconds`. */
async function bare(model: string, inputName: string, features: number, batch: number, seconds: number): Promise<{ rowsPerSec: number; msPerRun: number }> {
  const ort = loadOrt();
  const session = await createSession(model, { allowSpinning: false });
  try {
    const x = new ort.Tensor('float32', new Float32Array(batch * features).map((_, i) => (i % 17) / 17), [batch, features]);
    for (let i = 0; i < 20; i++) await session.run({ [inputName]: x });
    let runs = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      await session.run({ [inputName]: x });
      runs++;
    }
    const ms = performance.now() - t0;
    return { rowsPerSec: (runs * batch * 1000) / ms, msPerRun: ms / runs };
  } finally {
    await session.release();
  }
}

function jsonBody(inputName: string, features: number, rows = 1): string {
  return JSON.stringify({ inputs: [{ name: inputName, datatype: 'FP32', shape: [rows, features], data: Array.from({ length: rows * features }, (_, i) => (i % 17) / 17) }] });
}

function binaryBody(inputName: string, features: number): { body: Buffer; headers: Record<string, string> } {
  const data = new Float32Array(features).map((_, i) => (i % 17) / 17);
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: inputName, datatype: 'FP32', shape: [1, features], parameters: { binary_data_size: data.byteLength } }], parameters: { binary_data_output: true } }));
  return { body: Buffer.concat([header, Buffer.from(encodeBinary({ name: inputName, datatype: 'FP32', shape: [1, features], data }))]), headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) } };
}

type Unary = (req: object, cb: (e: grpc.ServiceError | null) => void) => void;

async function grpcLoad(target: string, name: string, inputName: string, features: number, connections: number, seconds: number): Promise<{ reqPerSec: number }> {
  const pkg = loadService();
  const Ctor = (pkg.inference as grpc.GrpcObject).GRPCInferenceService as grpc.ServiceClientConstructor;
  const client = new Ctor(target, grpc.credentials.createInsecure()) as unknown as Record<string, Unary> & grpc.Client;
  const raw = Buffer.from(new Float32Array(features).map((_, i) => (i % 17) / 17).buffer);
  const req = { model_name: name, inputs: [{ name: inputName, datatype: 'FP32', shape: [1, features] }], raw_input_contents: [raw] };
  const call = () => new Promise<void>((resolve, reject) => client.ModelInfer!.call(client, req, (e) => (e ? reject(e) : resolve())));
  for (let i = 0; i < 50; i++) await call();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      await call();
      n++;
    }
  }));
  client.close();
  return { reqPerSec: n / seconds };
}

export async function run(args: readonly string[]): Promise<number> {
  const seconds = numberArg(args, '--seconds', 3);
  const dir = mkdtempSync(join(tmpdir(), 'ptp-bench-serve-'));
  const heavy = join(dir, 'heavy_mlp.onnx');
  writeFileSync(heavy, mlpModel([20, 1024, 1024, 10]));
  const models = [
    { label: 'small MLP (digits, 64→32→10)', file: join(__dirname, '..', 'examples/digits/digits_mlp.onnx'), name: 'small', input: 'input', features: 64 },
    { label: 'heavy MLP (20→1024→1024→10)', file: heavy, name: 'heavy', input: 'x', features: 20 },
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  try {
    for (const m of models) {
      const bare1 = await bare(m.file, m.input, m.features, 1, Math.min(seconds, 2));
      for (const batching of [false, true]) {
        const s = await serve(m.file, m.name, batching);
        try {
          const body = jsonBody(m.input, m.features);
          await load(`${s.http}/v2/models/${m.name}/infer`, body, { 'content-type': 'application/json' }, 8, 1); // warm up
          // One row per request everywhere; the heavy MLP with batching also at 16 rows per request, where the
          // compute, not the per-request HTTP cost (which 2 cores shared with the load generator bound), is the load.
          const cells = [1, 8, 64].map((c) => ({ c, perRequest: 1 }));
          if (m.name === 'heavy' && batching) cells.push({ c: 8, perRequest: 16 }, { c: 64, perRequest: 16 });
          for (const { c, perRequest } of cells) {
            const cellBody = perRequest === 1 ? body : jsonBody(m.input, m.features, perRequest);
            const before = await meanBatch(s.http, m.name);
            const cpu0 = { server: processTicks(s.child.pid), self: process.cpuUsage(), at: performance.now() };
            const r = await load(`${s.http}/v2/models/${m.name}/infer`, cellBody, { 'content-type': 'application/json' }, c, seconds);
            const wall = (performance.now() - cpu0.at) / 1000;
            const serverCores = (processTicks(s.child.pid) - cpu0.server) / TICKS_PER_SECOND / wall;
            const selfCpu = process.cpuUsage(cpu0.self);
            const loadCores = (selfCpu.user + selfCpu.system) / 1e6 / wall;
            const after = await meanBatch(s.http, m.name);
            const formed = after.batches > before.batches ? (after.rows - before.rows) / (after.batches - before.batches) : perRequest;
            const b = Math.max(1, Math.round(formed));
            const base = await bare(m.file, m.input, m.features, b, Math.min(seconds, 2));
            const rowsPerSec = r.reqPerSec * perRequest;
            rows.push([m.label, batching ? 'on' : 'off', String(c), String(perRequest), rowsPerSec.toFixed(0), `${r.p50} / ${r.p99}`, formed.toFixed(1), base.rowsPerSec.toFixed(0), (rowsPerSec / base.rowsPerSec).toFixed(2), `${serverCores.toFixed(2)} / ${loadCores.toFixed(2)}`, String(r.errors)]);
            if (m.name === 'small' && !batching && c === 1) {
              notes.push(`small MLP, concurrency 1, no batching: ${(1e6 / r.reqPerSec).toFixed(0)} µs per request end to end vs ${(bare1.msPerRun * 1000).toFixed(0)} µs for session.run alone → server overhead ≈ ${(1e6 / r.reqPerSec - bare1.msPerRun * 1000).toFixed(0)} µs per request (HTTP, JSON, routing, thread hop, metrics, in the load generator's process too)`);
            }
          }
          if (m.name === 'small' && batching) {
            const bin = binaryBody(m.input, m.features);
            const j = await load(`${s.http}/v2/models/${m.name}/infer`, body, { 'content-type': 'application/json' }, 8, seconds);
            const b = await load(`${s.http}/v2/models/${m.name}/infer`, bin.body, bin.headers, 8, seconds);
            const g = await grpcLoad(s.grpc, m.name, m.input, m.features, 8, seconds);
            notes.push(`protocols (small MLP, batching on, concurrency 8, req/s): REST JSON ${j.reqPerSec.toFixed(0)}, REST binary ${b.reqPerSec.toFixed(0)} (${(b.reqPerSec / j.reqPerSec).toFixed(2)}× JSON), gRPC ${g.reqPerSec.toFixed(0)} (${(g.reqPerSec / j.reqPerSec).toFixed(2)}× JSON; client is grpc-js in this process)`);
          }
        } finally {
          await stop(s);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`ptp serve under autocannon, ${seconds} s per cell; "bare" is session.run in this process at the batch size the server formed`);
  console.log(table(['model', 'batching', 'concurrency', 'rows/request', 'rows/s', 'p50 / p99 ms', 'mean batch', 'bare rows/s', 'served / bare', 'cores: server / load gen', 'errors'], rows));
  console.log(`(${availableParallelism()} cores here; the bare loop has them all, the server shares them with the load generator in this process)`);
  for (const n of notes) console.log(`- ${n}`);
  return 0;
}
