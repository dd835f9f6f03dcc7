/** The instances of one served version: `count` worker threads, each with its own session and thread budget. */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromInstance, InstanceInit, ToInstance, WireTensor } from './instance-protocol';

export interface RunResult {
  readonly outputs: readonly WireTensor[];
  readonly computeSeconds: number;
}

/** The instance module: the bundled `serve-instance.js` next to this bundle, or the TypeScript source under tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) return { file: path.join(__dirname, 'instance-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  return { file: path.join(__dirname, 'serve-instance.js'), execArgv: [] };
}

class Instance {
  busy = false;
  private pending: { id: number; resolve: (r: RunResult) => void; reject: (e: Error) => void } | undefined;
  private nextId = 1;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    private readonly onDone: () => void,
  ) {}

  static start(init: InstanceInit, onDone: () => void): Promise<Instance> {
    const entry = workerEntry();
    statSync(entry.file);
    const worker = new Worker(entry.file, { workerData: init, execArgv: entry.execArgv });
    const inst = new Instance(worker, onDone);
    return new Promise((resolve, reject) => {
      const early = (e: Error) => reject(e);
      worker.once('error', early);
      worker.once('exit', (code) => reject(new Error(`the instance thread exited (code ${code}) while loading`)));
      worker.on('message', (m: FromInstance) => {
        if (m.type === 'ready') {
          worker.off('error', early);
          worker.removeAllListeners('exit');
          worker.on('exit', (code) => inst.died(new Error(`the instance thread exited (code ${code})`)));
          worker.on('error', (e) => inst.died(e));
          resolve(inst);
        } else if (m.type === 'load-failed') {
          void worker.terminate();
          reject(new Error(m.message));
        } else inst.message(m);
      });
    });
  }

  run(feeds: readonly WireTensor[], fetches: readonly string[]): Promise<RunResult> {
    if (this.exited) return Promise.reject(new Error('the instance thread has stopped'));
    this.busy = true;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      const m: ToInstance = { type: 'run', id, feeds, fetches };
      this.worker.postMessage(m);
    });
  }

  private message(m: FromInstance): void {
    const p = this.pending;
    if (!p || (m.type !== 'result' && m.type !== 'run-failed') || m.id !== p.id) return;
    this.pending = undefined;
    this.busy = false;
    if (m.type === 'result') p.resolve({ outputs: m.outputs, computeSeconds: m.computeSeconds });
    else p.reject(new Error(m.message));
    this.onDone();
  }

  private died(e: Error): void {
    this.exited = true;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
    this.onDone();
  }

  get alive(): boolean {
    return !this.exited;
  }

  async close(): Promise<void> {
    this.exited = true;
    await this.worker.terminate();
  }
}

export class InstancePool {
  private constructor(private readonly instances: Instance[]) {}

  /** Loads `count` sessions of `file` (in parallel); rejects with onnxruntime's message when the model fails to load. */
  static async start(file: string, count: number, intraOpNumThreads: number, onIdle: () => void): Promise<InstancePool> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => Instance.start({ file, intraOpNumThreads }, onIdle)));
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(ok.map((i) => i.close()));
      throw failed.reason as Error;
    }
    return new InstancePool(ok);
  }

  /** An idle instance, if one is free. */
  idle(): { run: (feeds: readonly WireTensor[], fetches: readonly string[]) => Promise<RunResult> } | undefined {
    return this.instances.find((i) => i.alive && !i.busy);
  }

  get busyCount(): number {
    return this.instances.filter((i) => i.busy).length;
  }

  get size(): number {
    return this.instances.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.close()));
  }
}
