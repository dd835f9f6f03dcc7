/**
 * Dynamic batching with Triton's semantics, for one served version: requests wait in a bounded queue; when an
 * instance is free, the oldest request and those behind it with the same per-row shape are run as one batch of at
 * most `maxBatchSize` rows; a batch that is not full waits for more requests, but never so long that its oldest
 * request has waited more than `maxQueueDelayUs`. Results are split back per request. A model whose inputs and
 * outputs do not all have a dynamic first dim (or `maxBatchSize` 0) runs each request on its own.
 */
import { allocate, elementCount, ortTypeOfV2, type TensorData, type V2Tensor } from './datatypes';
import type { RunResult } from './instance-pool';
import type { WireTensor } from './instance-protocol';
import { ServeError } from './errors';
import { v2TypeOfOrt } from './datatypes';

export interface BatchingOptions {
  /** Largest batch in rows (0: no batching). */
  readonly maxBatchSize: number;
  readonly maxQueueDelayUs: number;
  /** Requests that may wait; one more is refused with 503. */
  readonly maxQueueSize: number;
}

export interface BatchTiming {
  readonly queueSeconds: number;
  readonly computeSeconds: number;
  readonly batchRows: number;
}

export interface Runner {
  idle(): { run: (feeds: readonly WireTensor[], fetches: readonly string[]) => Promise<RunResult> } | undefined;
  /** A busy instance that takes one more batch to run right after its current one (pipelining), if any. */
  ahead?(): { run: (feeds: readonly WireTensor[], fetches: readonly string[]) => Promise<RunResult> } | undefined;
}

interface Pending {
  readonly inputs: readonly V2Tensor[];
  readonly rows: number;
  readonly key: string;
  readonly enqueued: bigint;
  readonly resolve: (r: { outputs: V2Tensor[]; timing: BatchTiming }) => void;
  readonly reject: (e: Error) => void;
}

const now = (): bigint => process.hrtime.bigint();

function concat(parts: readonly V2Tensor[], rows: number): TensorData {
  const first = parts[0]!;
  if (parts.length === 1) return first.data;
  if (Array.isArray(first.data)) return parts.flatMap((p) => p.data as string[]);
  const perRow = elementCount(first.shape.slice(1));
  const out = allocate(first.datatype, rows * perRow) as Exclude<TensorData, string[]>;
  let o = 0;
  for (const p of parts) {
    (out as Float32Array).set(p.data as Float32Array, o);
    o += (p.data as Float32Array).length;
  }
  return out;
}

function toWire(t: V2Tensor): WireTensor {
  return { name: t.name, type: ortTypeOfV2(t.datatype), dims: t.shape, data: t.data };
}

export function fromWire(w: WireTensor): V2Tensor {
  const datatype = v2TypeOfOrt(w.type);
  if (!datatype) throw new ServeError('failed', `output '${w.name}' has onnxruntime type ${w.type}, which the protocol cannot carry`);
  return { name: w.name, datatype, shape: w.dims, data: w.data as TensorData };
}

function slice(t: V2Tensor, start: number, rows: number): V2Tensor {
  const perRow = elementCount(t.shape.slice(1));
  const shape = [rows, ...t.shape.slice(1)];
  const data = Array.isArray(t.data) ? t.data.slice(start * perRow, (start + rows) * perRow) : (t.data as Float32Array).slice(start * perRow, (start + rows) * perRow);
  return { ...t, shape, data: data as TensorData };
}

export class Batcher {
  private readonly queue: Pending[] = [];
  private timer: { readonly cancel: () => void } | undefined;
  private closed = false;

  constructor(
    private readonly runner: Runner,
    private readonly options: BatchingOptions,
    private readonly batchable: boolean,
    private readonly fetches: readonly string[],
    private readonly hooks: { onBatch?: (rows: number) => void; onDepth?: (depth: number) => void } = {},
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  get batching(): boolean {
    return this.batchable && this.options.maxBatchSize > 0;
  }

  /** Queues one request (inputs in the model's order, already checked); resolves with all served outputs. */
  submit(inputs: readonly V2Tensor[]): Promise<{ outputs: V2Tensor[]; timing: BatchTiming }> {
    if (this.closed) return Promise.reject(new ServeError('unavailable', 'the server is shutting down'));
    if (this.queue.length >= this.options.maxQueueSize) {
      return Promise.reject(new ServeError('unavailable', `the queue is full (${this.options.maxQueueSize} requests waiting); retry later`));
    }
    const rows = this.batching ? (inputs[0]?.shape[0] ?? 1) : 1;
    const key = this.batching ? inputs.map((t) => t.shape.slice(1).join('x')).join('|') : '';
    return new Promise((resolve, reject) => {
      this.queue.push({ inputs, rows, key, enqueued: now(), resolve, reject });
      this.hooks.onDepth?.(this.queue.length);
      this.pump();
    });
  }

  /** Runs batches while an instance is free and a batch is due. */
  pump(): void {
    // A waiting batch is looked at again on every event: a new request may have filled it.
    this.timer?.cancel();
    this.timer = undefined;
    while (this.queue.length) {
      // A free instance takes the next due batch. A busy one takes a full batch to run next (while it computes,
      // the main thread hands it over), but never a partial one: that one keeps waiting and may still fill up.
      const instance = this.runner.idle() ?? (this.fullBatchWaiting() ? this.runner.ahead?.() : undefined);
      if (!instance) return;
      const batch = this.take();
      if (!batch) return;
      void this.dispatch(instance, batch);
    }
  }

  /** Whether the head's batch is complete: max_batch_size rows of its shape are queued (any request, unbatched). */
  private fullBatchWaiting(): boolean {
    if (!this.batching) return this.queue.length > 0;
    const head = this.queue[0]!;
    let rows = 0;
    for (const p of this.queue) {
      if (p.key === head.key && rows + p.rows <= this.options.maxBatchSize) rows += p.rows;
      if (rows >= this.options.maxBatchSize) return true;
    }
    return head.rows >= this.options.maxBatchSize;
  }

  /** The next batch to run now, or undefined (and a timer set) when the head should wait for more requests. */
  private take(): Pending[] | undefined {
    const head = this.queue[0]!;
    if (!this.batching || head.rows >= this.options.maxBatchSize) return this.queue.splice(0, 1);
    const picked: number[] = [0];
    let rows = head.rows;
    for (let i = 1; i < this.queue.length && rows < this.options.maxBatchSize; i++) {
      const p = this.queue[i]!;
      if (p.key !== head.key || rows + p.rows > this.options.maxBatchSize) continue;
      picked.push(i);
      rows += p.rows;
    }
    const waitedUs = Number(now() - head.enqueued) / 1000;
    const remainingUs = this.options.maxQueueDelayUs - waitedUs;
    if (rows < this.options.maxBatchSize && remainingUs > 0) {
      const wake = () => {
        this.timer = undefined;
        this.pump();
      };
      // setTimeout cannot wait less than a millisecond: shorter waits yield to I/O once and look again.
      if (remainingUs >= 1000) {
        const t = setTimeout(wake, Math.floor(remainingUs / 1000));
        this.timer = { cancel: () => clearTimeout(t) };
      } else {
        const t = setImmediate(wake);
        this.timer = { cancel: () => clearImmediate(t) };
      }
      return undefined;
    }
    const batch = picked.map((i) => this.queue[i]!);
    for (let k = picked.length - 1; k >= 0; k--) this.queue.splice(picked[k]!, 1);
    return batch;
  }

  private async dispatch(instance: NonNullable<ReturnType<Runner['idle']>>, batch: Pending[]): Promise<void> {
    this.hooks.onDepth?.(this.queue.length);
    const start = now();
    const rows = batch.reduce((a, p) => a + p.rows, 0);
    this.hooks.onBatch?.(this.batching ? rows : (batch[0]!.inputs[0]?.shape[0] ?? 1));
    try {
      const feeds = batch[0]!.inputs.map((t, i) => toWire(batch.length === 1 ? t : { ...t, shape: [rows, ...t.shape.slice(1)], data: concat(batch.map((p) => p.inputs[i]!), rows) }));
      const result = await instance.run(feeds, this.fetches);
      const outputs = result.outputs.map(fromWire);
      let offset = 0;
      for (const p of batch) {
        const mine = batch.length === 1 ? outputs : outputs.map((o) => {
          if (o.shape[0] !== rows) throw new ServeError('failed', `output '${o.name}' has first dim ${o.shape[0]} for a batch of ${rows} rows; the model does not batch along its first dim (serve it with max_batch_size 0)`);
          return slice(o, offset, p.rows);
        });
        offset += p.rows;
        p.resolve({ outputs: mine, timing: { queueSeconds: Number(start - p.enqueued) / 1e9, computeSeconds: result.computeSeconds, batchRows: rows } });
      }
    } catch (e) {
      const err = e instanceof ServeError ? e : new ServeError('bad-request', `onnxruntime refused the request: ${(e as Error).message}`);
      for (const p of batch) p.reject(err);
    } finally {
      this.pump();
    }
  }

  /** Refuses new requests; those queued still run. */
  close(): void {
    this.closed = true;
  }
}
