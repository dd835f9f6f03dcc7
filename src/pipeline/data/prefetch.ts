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
import { throwIfAborted, type OperationContext } from '../operation';
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

/** A worker started before the caller is ready to read: it boots and reads ahead while the caller sets up. */
export interface StartedPrefetch {
  readonly job: PrefetchJob;
  /** The batches, in order (once; stops the worker when the loop ends). */
  batches(ctx?: OperationContext): AsyncGenerator<BatchInputs[]>;
  /** Stops the worker if `batches` was never run to the end (idempotent). */
  cancel(): Promise<void>;
}

/** Whether `job` is read on a worker thread (large enough, not images, worker module present). */
function workerFor(job: PrefetchJob, format: string | undefined): { file: string; execArgv: string[] } | undefined {
  let size = 0;
  try {
    size = statSync(job.file).size;
  } catch {
    size = 0;
  }
  if (size < PREFETCH_MIN_BYTES || format === 'images') return undefined;
  const entry = workerEntry();
  try {
    statSync(entry.file);
  } catch {
    return undefined;
  }
  return entry;
}

/**
 * Starts reading `job` on a worker thread now (undefined when it would be read on the calling thread). The
 * worker opens the data set itself (`job.open`); its errors surface when the batches are read.
 */
export function startPrefetch(job: PrefetchJob): StartedPrefetch | undefined {
  if (job.open.format === 'images') return undefined;
  const entry = workerFor(job, job.open.format);
  if (!entry) return undefined;
  const worker = new Worker(entry.file, { workerData: job, execArgv: entry.execArgv });
  const queue: PrefetchMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let stopped: Promise<number> | undefined;
  worker.on('message', (m: PrefetchMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure && !stopped) failure = new Error(`the data reader thread stopped (exit code ${code})`);
    wake?.();
  });
  const cancel = async (): Promise<void> => {
    stopped ??= worker.terminate();
    await stopped;
  };
  async function* batches(ctx: OperationContext = {}): AsyncGenerator<BatchInputs[]> {
    const onAbort = (): void => void cancel();
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
      await cancel();
    }
  }
  return { job, batches, cancel };
}

/**
 * Batches of model inputs (one BatchInputs per plan, in plan order) for the whole data set, produced on a
 * worker thread when the file is large enough, else on this thread from `source`. `started`: a prefetch of
 * the same job begun earlier with `startPrefetch`, read instead of starting a new worker.
 */
export async function* plannedBatches(
  source: DatasetSource,
  job: PrefetchJob,
  ctx: OperationContext = {},
  started?: StartedPrefetch,
): AsyncGenerator<BatchInputs[]> {
  const running = started ?? (workerFor(job, source.format) ? startPrefetch({ ...job, open: { ...job.open, format: source.format } }) : undefined);
  if (running) {
    yield* running.batches(ctx);
    return;
  }
  const plans = job.plans.map((p) => planFeatures(source, p.inputs, p.options));
  for await (const batch of source.batches(job.batchSize, ctx)) yield plans.map((p) => buildBatchInputs(p, batch));
}
