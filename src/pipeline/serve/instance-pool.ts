/** The instances of one served version: `count` worker threads, each with its own session and thread budget. */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromInstance, InstanceInit, ToInstance, WireTensor } from './instance-protocol';

export interface RunResult {
  readonly outputs: readonly WireTensor[];
  readonly computeSeconds: number;
}

/**
 * The instance module: the bundled `serve-instance.js` next to this bundle, or the TypeScript source under tsx (tsx
 * found from this file, not from the working directory, so a server started elsewhere still loads).
 */
function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) return { file: path.join(__dirname, 'instance-worker.ts'), execArgv: ['--require', createRequire(__filename).resolve('tsx/cjs')] };
  return { file: path.join(__dirname, 'serve-instance.js'), execArgv: [] };
}

/** A batch sent to an instance thread, waiting for its answer. */
interface InFlight {
  readonly resolve: (r: RunResult) => void;
  readonly reject: (e: Error) => void;
}

class Instance {
  /** Runs sent and not answered, in order: the running one, and at most one sent ahead to wait behind it. */
  private readonly inFlight = new Map<number, InFlight>();
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

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Runs in flight (0, 1, or 2 when one waits behind the running one). */
  get load(): number {
    return this.inFlight.size;
  }

  run(feeds: readonly WireTensor[], fetches: readonly string[]): Promise<RunResult> {
    if (this.exited) return Promise.reject(new Error('the instance thread has stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      const m: ToInstance = { type: 'run', id, feeds, fetches };
      this.worker.postMessage(m);
    });
  }

  private message(m: FromInstance): void {
    if (m.type !== 'result' && m.type !== 'run-failed') return;
    const p = this.inFlight.get(m.id);
    if (!p) return;
    this.inFlight.delete(m.id);
    if (m.type === 'result') p.resolve({ outputs: m.outputs, computeSeconds: m.computeSeconds });
    else p.reject(new Error(m.message));
    this.onDone();
  }

  private died(e: Error): void {
    this.exited = true;
    const pending = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const p of pending) p.reject(e);
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

  /** An instance running one batch with none waiting behind it: a full batch sent now starts the moment it ends. */
  ahead(): { run: (feeds: readonly WireTensor[], fetches: readonly string[]) => Promise<RunResult> } | undefined {
    return this.instances.find((i) => i.alive && i.load === 1);
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
