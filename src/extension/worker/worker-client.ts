/**
 * Client side of the worker IPC contract (src/protocol/worker.ts). The worker (`node dist/cli.js worker`)
 * runs onnxruntime outside the extension host, whose thread a blocking `session.run` would freeze.
 *
 * - The process starts lazily on the first request and is reused; an idle one is stopped after a while.
 * - One id counter for all requests; progress messages are routed to the request's listener.
 * - Cancellation kills the process (the only way to stop `session.run`); the next request starts a new one.
 * - If the process ends on its own, its pending requests are rejected with a WorkerStoppedError and
 *   `onUnexpectedExit` is told; the next request starts a fresh process.
 * No vscode import: a CancellationToken fits `CancellationSignal`, and the unit tests fork a fake worker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { WorkerOp, WorkerOps, WorkerProgress, WorkerReply, WorkerRequest } from '../../protocol/worker';
import { RequestTracker } from '../../protocol/request-tracker';
import { OperationCancelledError, WorkerRequestError, WorkerStoppedError } from './worker-errors';

export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface WorkerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface WorkerClientOptions {
  /** Script to fork, e.g. `<extension>/dist/cli.js`. */
  readonly modulePath: string;
  readonly args?: readonly string[];
  /** Environment of the worker (default: this process's plus ELECTRON_RUN_AS_NODE=1). */
  readonly env?: NodeJS.ProcessEnv;
  readonly log: WorkerLogger;
  /** Told when the worker ended on its own (not after cancel, idle stop or dispose). */
  readonly onUnexpectedExit?: (error: WorkerStoppedError, hadPendingRequests: boolean) => void;
  /** Stop an idle worker after this many ms (0 = keep it). Default 5 minutes. */
  readonly idleTimeoutMs?: number;
}

export interface RequestOptions {
  readonly token?: CancellationSignal;
  readonly onProgress?: (progress: WorkerProgress) => void;
  /** Message of the OperationCancelledError the request rejects with when cancelled. */
  readonly cancelMessage?: string;
}

type StopReason = 'cancel' | 'idle' | 'dispose';

/** One worker process and the requests sent to it. */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly generation: number;
  readonly requests: Set<number>;
  stopping: StopReason | null;
  gone: boolean;
  stderrTail: string;
}

const DEFAULT_IDLE_MS = 5 * 60_000;

export class WorkerClient {
  private readonly tracker = new RequestTracker<WorkerProgress>();
  private current: WorkerProcess | undefined;
  private generation = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: WorkerClientOptions) {}

  /** Sends `op` to the worker (starting it if needed) and resolves with its result. */
  request<K extends WorkerOp>(op: K, params: WorkerOps[K]['params'], options: RequestOptions = {}): Promise<WorkerOps[K]['result']> {
    if (this.disposed) return Promise.reject(new Error('The ONNX Runtime worker has been shut down.'));
    const cancelMessage = options.cancelMessage ?? 'The operation was cancelled.';
    if (options.token?.isCancellationRequested) return Promise.reject(new OperationCancelledError(cancelMessage));
    this.clearIdleTimer();

    let proc: WorkerProcess;
    try {
      proc = this.ensureStarted();
    } catch (e) {
      return Promise.reject(new WorkerStoppedError(null, null, `Could not start the ONNX Runtime worker: ${errorText(e)}`));
    }
    const started = Date.now();
    const { id, promise } = this.tracker.create<WorkerOps[K]['result']>(op, options.onProgress);
    proc.requests.add(id);
    this.options.log.info(`worker: request #${id} ${op}`);

    const subscription = options.token?.onCancellationRequested(() => this.cancel(proc, id, cancelMessage));
    const request = { kind: 'request', id, op, params } as WorkerRequest;
    try {
      proc.child.send(request, (err) => {
        if (err && proc.requests.delete(id)) {
          this.tracker.reject(id, new WorkerStoppedError(null, null, `Could not send the request to the ONNX Runtime worker: ${err.message}`));
        }
      });
    } catch (e) {
      proc.requests.delete(id);
      this.tracker.reject(id, new WorkerStoppedError(null, null, `Could not send the request to the ONNX Runtime worker: ${errorText(e)}`));
    }

    return promise.then(
      (result) => {
        this.options.log.info(`worker: request #${id} ${op} done in ${Date.now() - started} ms`);
        return result;
      },
      (error: unknown) => {
        const line = `worker: request #${id} ${op} ended after ${Date.now() - started} ms: ${errorText(error)}`;
        if (error instanceof OperationCancelledError) this.options.log.info(line);
        else this.options.log.warn(line);
        throw error;
      },
    ).finally(() => {
      subscription?.dispose();
      proc.requests.delete(id);
      this.armIdleTimer();
    });
  }

  /** True while a worker process is running. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Requests waiting for a reply. */
  get pendingCount(): number {
    return this.tracker.size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearIdleTimer();
    const proc = this.current;
    if (proc) this.stop(proc, 'dispose');
    this.tracker.rejectAll(new OperationCancelledError('The ONNX Runtime worker was shut down.'));
  }

  private ensureStarted(): WorkerProcess {
    if (this.current) return this.current;
    const generation = ++this.generation;
    const child = fork(this.options.modulePath, [...(this.options.args ?? [])], {
      execArgv: [],
      serialization: 'advanced',
      silent: true,
      env: this.options.env ?? { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const proc: WorkerProcess = { child, generation, requests: new Set(), stopping: null, gone: false, stderrTail: '' };
    this.current = proc;
    this.options.log.info(`worker: started process ${child.pid ?? '?'} (#${generation})`);

    child.on('message', (message: unknown) => this.onMessage(proc, message));
    child.stdout?.on('data', (chunk: Buffer) => this.logOutput(proc, 'stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      proc.stderrTail = (proc.stderrTail + chunk.toString('utf8')).slice(-2000);
      this.logOutput(proc, 'stderr', chunk);
    });
    child.on('error', (err) => {
      // Also emitted when a kill fails; only a process that never started is gone.
      if (child.pid === undefined) this.onGone(proc, null, null, `Could not start the ONNX Runtime worker: ${err.message}`);
      else this.options.log.warn(`worker: ${err.message}`);
    });
    child.on('exit', (code, signal) => this.onGone(proc, code, signal));
    return proc;
  }

  private onMessage(proc: WorkerProcess, message: unknown): void {
    if (!isWorkerReply(message)) {
      this.options.log.warn(`worker: ignored a malformed message`);
      return;
    }
    if (!proc.requests.has(message.id)) return; // late reply to a cancelled request
    switch (message.kind) {
      case 'progress':
        this.tracker.progress(message.id, message);
        return;
      case 'result':
        proc.requests.delete(message.id);
        this.tracker.resolve(message.id, message.result);
        return;
      case 'error':
        proc.requests.delete(message.id);
        this.tracker.reject(message.id, new WorkerRequestError(message.error.message, message.error.type, message.error.code));
        return;
    }
  }

  /** The process ended ('exit') or could not be run ('error'); both may arrive, the first one counts. */
  private onGone(proc: WorkerProcess, code: number | null, signal: string | null, detail?: string): void {
    if (proc.gone) return;
    proc.gone = true;
    if (this.current === proc) this.current = undefined;
    const pending = [...proc.requests];
    proc.requests.clear();
    const reason = proc.stopping;
    if (reason === null) {
      const error = new WorkerStoppedError(code, signal, detail);
      const tail = proc.stderrTail.trim();
      this.options.log.error(`worker: process #${proc.generation} ended: ${error.message}${tail ? `\n${tail}` : ''}`);
      for (const id of pending) this.tracker.reject(id, error);
      const hadPending = pending.length > 0;
      if (hadPending || (code !== 0 && code !== null) || signal !== null || detail !== undefined) {
        this.options.onUnexpectedExit?.(error, hadPending);
      }
      return;
    }
    this.options.log.info(`worker: process #${proc.generation} stopped (${reason})`);
    const error =
      reason === 'cancel'
        ? new OperationCancelledError('The ONNX Runtime worker was restarted because another operation was cancelled.')
        : new OperationCancelledError('The ONNX Runtime worker was shut down.');
    for (const id of pending) this.tracker.reject(id, error);
  }

  private cancel(proc: WorkerProcess, id: number, message: string): void {
    if (!proc.requests.has(id)) return;
    proc.requests.delete(id);
    this.tracker.reject(id, new OperationCancelledError(message));
    this.options.log.info(`worker: request #${id} cancelled; stopping process #${proc.generation}`);
    this.stop(proc, 'cancel');
  }

  private stop(proc: WorkerProcess, reason: StopReason): void {
    if (proc.stopping !== null) return;
    proc.stopping = reason;
    if (this.current === proc) this.current = undefined;
    try {
      proc.child.kill(reason === 'idle' ? 'SIGTERM' : 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    const ms = this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    if (this.disposed || ms <= 0 || !this.current || this.current.requests.size > 0) return;
    const proc = this.current;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.current === proc && proc.requests.size === 0) this.stop(proc, 'idle');
    }, ms);
    this.idleTimer.unref?.();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private logOutput(proc: WorkerProcess, stream: 'stdout' | 'stderr', chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (line.trim()) this.options.log.info(`worker #${proc.generation} ${stream}: ${line}`);
    }
  }
}

function isWorkerReply(x: unknown): x is WorkerReply {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { kind?: unknown; id?: unknown; error?: unknown };
  if (typeof m.id !== 'number') return false;
  if (m.kind === 'progress' || m.kind === 'result') return true;
  if (m.kind === 'error') {
    const e = m.error as { message?: unknown } | undefined;
    return typeof e === 'object' && e !== null && typeof e.message === 'string';
  }
  return false;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
