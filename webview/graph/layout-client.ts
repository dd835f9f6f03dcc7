/**
 * Runs container layouts in a small pool of Web Workers (one per core, at most four), queued first come
 * first served; `cancel()` terminates the workers (a dagre run cannot be interrupted otherwise) and rejects
 * what is pending. Without a worker (no URL given, or it failed to start) layouts run on the page between
 * animation frames, which is slower to interact with but gives the same result.
 *
 * Worker start-up in a VS Code webview: a Worker cannot be created from the webview's resource URL
 * (another origin), so the script is fetched as text and started from a Blob URL — the CSP needs
 * `worker-src blob:` and `connect-src <webview.cspSource>`.
 */
import { runLayout } from './layout-run';
import type { LayoutEngine, LayoutInput, LayoutOutput, LayoutReplyMessage, LayoutRequestMessage } from './layout-types';

export class LayoutCancelledError extends Error {
  constructor() {
    super('Layout cancelled.');
    this.name = 'LayoutCancelledError';
  }
}

interface Job {
  readonly id: number;
  readonly engine: LayoutEngine;
  readonly input: LayoutInput;
  readonly resolve: (out: LayoutOutput) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The batch the worker is running (empty when idle). */
  jobs: Job[];
}

/** A batch is cut at this many jobs or this many items, whichever comes first. */
const BATCH_JOBS = 256;
const BATCH_ITEMS = 3000;

/** Where the worker script comes from: a URL to fetch, or a function making the Worker. */
export type WorkerSource = string | (() => Promise<Worker>);

export class LayoutPool {
  private readonly queue: Job[] = [];
  private slots: Slot[] = [];
  private nextId = 1;
  private scriptUrl: Promise<string | null> | null = null;
  private starting: Promise<void> | null = null;
  private inlineBusy = false;
  private disposed = false;
  /** True once workers failed and layouts run on the page. */
  fallback = false;

  constructor(
    private readonly source: WorkerSource | undefined,
    private readonly size = defaultPoolSize(),
  ) {
    if (!source) this.fallback = true;
  }

  /** Starts the workers ahead of the first layout (fetching and parsing the script takes a moment). */
  warmUp(): Promise<void> {
    this.starting ??= this.startWorkers();
    return this.starting;
  }

  run(engine: LayoutEngine, input: LayoutInput): Promise<LayoutOutput> {
    if (this.disposed) return Promise.reject(new LayoutCancelledError());
    return new Promise<LayoutOutput>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, engine, input, resolve, reject });
      void this.warmUp().then(() => this.pump());
    });
  }

  /** Stops everything running or queued (their promises reject with LayoutCancelledError). */
  cancel(): void {
    const err = new LayoutCancelledError();
    for (const job of this.queue.splice(0)) job.reject(err);
    const busy = this.slots.filter((s) => s.jobs.length > 0);
    this.slots = this.slots.filter((s) => s.jobs.length === 0);
    for (const slot of busy) {
      for (const job of slot.jobs.splice(0)) job.reject(err);
      slot.worker.terminate();
    }
    if (busy.length > 0 && !this.fallback && !this.disposed) void this.addWorkers(busy.length);
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
    void this.scriptUrl?.then((url) => url && URL.revokeObjectURL(url));
  }

  private async startWorkers(): Promise<void> {
    if (this.fallback) return;
    await this.addWorkers(this.size);
    if (this.slots.length === 0) this.fallback = true;
  }

  private async addWorkers(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const worker = await this.makeWorker();
      if (!worker || this.disposed) {
        worker?.terminate();
        return;
      }
      const slot: Slot = { worker, jobs: [] };
      worker.onmessage = (e: MessageEvent<LayoutReplyMessage>) => this.onReply(slot, e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        const message = e.message || 'The layout worker failed.';
        this.onReply(slot, { type: 'results', results: slot.jobs.map((j) => ({ id: j.id, error: message })) });
      };
      this.slots.push(slot);
    }
    this.pump();
  }

  private async makeWorker(): Promise<Worker | null> {
    try {
      if (typeof this.source === 'function') return await this.source();
      this.scriptUrl ??= fetch(this.source!)
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })))
        .catch((e: unknown) => {
          console.warn(`Graph layout runs on the page: the worker script could not be loaded (${String(e)}).`);
          return null;
        });
      const url = await this.scriptUrl;
      return url ? new Worker(url) : null;
    } catch (e) {
      console.warn(`Graph layout runs on the page: the worker could not start (${String(e)}).`);
      return null;
    }
  }

  private onReply(slot: Slot, reply: LayoutReplyMessage): void {
    if (reply?.type !== 'results' || slot.jobs.length === 0) return;
    const byId = new Map(slot.jobs.map((j) => [j.id, j]));
    slot.jobs = [];
    for (const r of reply.results) {
      const job = byId.get(r.id);
      if (!job) continue;
      byId.delete(r.id);
      if ('output' in r) job.resolve(r.output);
      else job.reject(new Error(r.error));
    }
    for (const job of byId.values()) job.reject(new Error('The layout worker gave no result.'));
    this.pump();
  }

  private pump(): void {
    if (this.fallback) {
      this.pumpInline();
      return;
    }
    for (const slot of this.slots) {
      if (slot.jobs.length > 0 || this.queue.length === 0) continue;
      // Share the queue between idle workers, in batches.
      const idle = this.slots.filter((s) => s.jobs.length === 0).length;
      const share = Math.max(1, Math.ceil(this.queue.length / idle));
      let items = 0;
      while (this.queue.length > 0 && slot.jobs.length < Math.min(BATCH_JOBS, share) && items < BATCH_ITEMS) {
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        items += job.input.sizes.length / 2;
      }
      const msg: LayoutRequestMessage = { type: 'layout', jobs: slot.jobs.map((j) => ({ id: j.id, engine: j.engine, input: j.input })) };
      slot.worker.postMessage(msg);
    }
  }

  /** Page fallback: one layout per macrotask so the page can still paint and take a Cancel click. */
  private pumpInline(): void {
    if (this.inlineBusy || this.queue.length === 0) return;
    this.inlineBusy = true;
    setTimeout(() => {
      this.inlineBusy = false;
      const job = this.queue.shift();
      if (job) {
        try {
          job.resolve(runLayout(job.engine, job.input));
        } catch (e) {
          job.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
      this.pumpInline();
    }, 0);
  }
}

function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, cores));
}
