/**
 * Reads, parses and maps data batches in a worker thread while the calling thread runs the model.
 * onnxruntime's `session.run` blocks its thread; with the data layer on another thread, parsing the next
 * batches overlaps inference instead of adding to it. Batches arrive in order through a bounded queue
 * (back-pressure: the worker waits for credits), their typed arrays transferred, not copied.
 *
 * Falls back to reading on the calling thread for small files (a thread costs ~30 ms to start) and when
 * worker threads are not available.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ValueSummary } from '../../core/report-types';
import { throwIfAborted, type OperationContext } from '../types';
import { DatasetError } from './errors';
import { buildBatchInputs, type BatchInputs } from './feed';
import { planFeatures, type PlanOptions } from './plan';
import type { DatasetSource, OpenDatasetOptions } from './types';

/** What the worker needs to rebuild the same plans the caller made. */
export interface PrefetchJob {
  readonly file: string;
  readonly open: OpenDatasetOptions;
  /** One plan per model input list (several models fed from the same rows). */
  readonly plans: readonly { readonly inputs: readonly ValueSummary[]; readonly options: PlanOptions }[];
  readonly batchSize: number;
  /** Batches the worker may run ahead. */
  readonly depth: number;
}

export type PrefetchMessage =
  | { readonly type: 'batch'; readonly batches: BatchInputs[]; readonly fraction?: number }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly name: string; readonly message: string; readonly code?: string };

/** Files below this size are read on the calling thread. */
export const PREFETCH_MIN_BYTES = 4 << 20;

/** The worker module next to this one: the bundled `data-worker.js`, or the TypeScript source under tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.ts')) return { file: path.join(__dirname, 'prefetch-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  return { file: path.join(__dirname, 'data-worker.js'), execArgv: [] };
}

/**
 * Batches of model inputs (one BatchInputs per plan, in plan order) for the whole data set, produced on a
 * worker thread when the file is large enough, else on this thread from `source`.
 */
export async function* plannedBatches(source: DatasetSource, job: PrefetchJob, ctx: OperationContext = {}): AsyncGenerator<BatchInputs[]> {
  let size = 0;
  try {
    size = statSync(job.file).size;
  } catch {
    size = 0;
  }
  const entry = workerEntry();
  let useWorker = size >= PREFETCH_MIN_BYTES && source.format !== 'images';
  if (useWorker) {
    try {
      statSync(entry.file);
    } catch {
      useWorker = false;
    }
  }
  if (!useWorker) {
    const plans = job.plans.map((p) => planFeatures(source, p.inputs, p.options));
    for await (const batch of source.batches(job.batchSize, ctx)) yield plans.map((p) => buildBatchInputs(p, batch));
    return;
  }
  yield* fromWorker(entry, job, ctx);
}

async function* fromWorker(entry: { file: string; execArgv: string[] }, job: PrefetchJob, ctx: OperationContext): AsyncGenerator<BatchInputs[]> {
  const worker = new Worker(entry.file, { workerData: job, execArgv: entry.execArgv });
  const queue: PrefetchMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (m: PrefetchMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = new Error(`the data reader thread stopped (exit code ${code})`);
    wake?.();
  });
  const onAbort = (): void => void worker.terminate();
  ctx.signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      throwIfAborted(ctx.signal);
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((res) => (wake = res));
        wake = undefined;
        continue;
      }
      if (m.type === 'done') return;
      if (m.type === 'error') {
        const e = m.name === 'DatasetError' ? new DatasetError(job.file, (m.code as DatasetError['code']) ?? 'malformed', m.message.replace(`${job.file}: `, '')) : new Error(m.message);
        e.name = m.name;
        throw e;
      }
      worker.postMessage('credit');
      if (m.fraction !== undefined) ctx.onProgress?.({ fraction: m.fraction });
      yield m.batches;
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
