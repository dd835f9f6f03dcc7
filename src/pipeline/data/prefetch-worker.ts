/** Worker-thread side of prefetch.ts: open the data set, rebuild the plans, stream BatchInputs to the parent. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildBatchInputs, type BatchInputs } from './feed';
import { openDataset } from './index';
import { planFeatures } from './plan';
import type { PrefetchJob, PrefetchMessage } from './prefetch';

type View = { buffer: ArrayBufferLike; byteLength: number; slice(): View };

/** Whether a typed array owns its whole buffer (then it can be transferred without detaching other data). */
function owns(v: View): boolean {
  return v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength;
}

/**
 * Makes every typed array of the batches own its buffer (views into a larger buffer, e.g. a Parquet row
 * group, are copied) and returns the buffers to transfer, each once.
 */
function transferables(batches: BatchInputs[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const take = (v: View): View => {
    const own = owns(v) && !seen.has(v.buffer as ArrayBuffer) ? v : v.slice();
    seen.add(own.buffer as ArrayBuffer);
    return own;
  };
  for (const b of batches) {
    for (const [k, t] of Object.entries(b.inputs)) {
      if (Array.isArray(t.values)) continue;
      b.inputs[k] = { ...t, values: take(t.values as unknown as View) as unknown as typeof t.values };
    }
    if (b.labels && !Array.isArray(b.labels)) (b as { labels?: Float64Array }).labels = take(b.labels as unknown as View) as unknown as Float64Array;
  }
  return [...seen];
}

async function main(job: PrefetchJob): Promise<void> {
  const port = parentPort!;
  let credits = job.depth;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  try {
    const source = await openDataset(job.file, job.open);
    const plans = job.plans.map((p) => planFeatures(source, p.inputs, p.options));
    let fraction: number | undefined;
    for await (const batch of source.batches(job.batchSize, { onProgress: (p) => (fraction = p.fraction ?? fraction) })) {
      while (credits <= 0) await new Promise<void>((res) => (wake = res));
      credits--;
      const batches = plans.map((p) => buildBatchInputs(p, batch));
      const msg: PrefetchMessage = { type: 'batch', batches, fraction };
      // Buffers shared by several plans (zero-copy float inputs) can be transferred only once: de-duplicated.
      port.postMessage(msg, transferables(batches));
    }
    port.postMessage({ type: 'done' } satisfies PrefetchMessage);
  } catch (e) {
    const err = e as { name?: string; message?: string; code?: string };
    port.postMessage({ type: 'error', name: err.name ?? 'Error', message: err.message ?? String(e), code: err.code } satisfies PrefetchMessage);
  } finally {
    port.close();
  }
}

void main(workerData as PrefetchJob);
