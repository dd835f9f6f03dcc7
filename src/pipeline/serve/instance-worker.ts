/**
 * An instance: a worker thread that owns one onnxruntime session and runs the batches the server sends it.
 * `session.run` does its work on the calling thread, so each instance is its own thread and the server's event
 * loop (HTTP, gRPC, batching, metrics) never waits for inference.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSession, ortMessage } from '../runtime/session';
import { loadOrt, type OrtSession, type OrtTensor } from '../runtime/ort';
import type { FromInstance, InstanceInit, ToInstance, WireTensor } from './instance-protocol';

const port = parentPort!;
const init = workerData as InstanceInit;
const send = (m: FromInstance): void => port.postMessage(m);

async function main(): Promise<void> {
  let session: OrtSession;
  try {
    session = await createSession(init.file, { intraOpNumThreads: init.intraOpNumThreads, allowSpinning: false });
  } catch (e) {
    send({ type: 'load-failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const ort = loadOrt();
  // One run at a time, in arrival order: the pool may send the next batch while this one runs (so the thread
  // never waits for the main thread between batches), and it must not start before this one is done.
  let chain: Promise<void> = Promise.resolve();
  const runOne = async (m: ToInstance): Promise<void> => {
    try {
      const feeds: Record<string, OrtTensor> = {};
      for (const f of m.feeds) feeds[f.name] = new ort.Tensor(f.type as 'float32', f.data as Float32Array, f.dims);
      const t0 = process.hrtime.bigint();
      const r = await session.run(feeds, [...m.fetches]);
      const computeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const outputs: WireTensor[] = m.fetches.map((name) => {
        const t = r[name]!;
        return { name, type: t.type, dims: [...t.dims], data: t.data as ArrayBufferView | string[] };
      });
      send({ type: 'result', id: m.id, outputs, computeSeconds });
    } catch (e) {
      send({ type: 'run-failed', id: m.id, message: ortMessage(e) });
    }
  };
  port.on('message', (m: ToInstance) => {
    chain = chain.then(() => runOne(m));
  });
  send({ type: 'ready' });
}

void main();
