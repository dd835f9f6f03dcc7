/**
 * Pending request bookkeeping shared by the worker client (host → worker process) and the webview client
 * (webview → host): one id counter, one promise per request, progress routing, and "reject everything"
 * when the other side goes away. No vscode, no DOM, no Node APIs.
 */

interface Pending<P> {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (progress: P) => void;
  readonly label: string;
}

export interface TrackedRequest<T> {
  readonly id: number;
  readonly promise: Promise<T>;
}

export class RequestTracker<P = never> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<P>>();

  /** Allocates an id and a promise settled by `resolve`/`reject`/`rejectAll`. */
  create<T>(label: string, onProgress?: (progress: P) => void): TrackedRequest<T> {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress, label });
    });
    return { id, promise };
  }

  /** Settles request `id` with a value; false when it is not pending (late or unknown reply). */
  resolve(id: number, value: unknown): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.resolve(value);
    return true;
  }

  reject(id: number, error: Error): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.reject(error);
    return true;
  }

  /** Routes a progress report to request `id`'s listener; false when it is not pending. */
  progress(id: number, progress: P): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    try {
      p.onProgress?.(progress);
    } catch {
      // A faulty progress listener must not break reply routing.
    }
    return true;
  }

  /** Rejects every pending request; `error` may depend on the request's label. */
  rejectAll(error: Error | ((label: string, id: number) => Error)): number {
    const entries = [...this.pending.entries()];
    this.pending.clear();
    for (const [id, p] of entries) p.reject(typeof error === 'function' ? error(p.label, id) : error);
    return entries.length;
  }

  has(id: number): boolean {
    return this.pending.has(id);
  }

  get size(): number {
    return this.pending.size;
  }
}
