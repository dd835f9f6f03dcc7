/**
 * Client side of the worker IPC contract (src/protocol/worker.ts). Workers (`node dist/cli.js worker`) run
 * onnxruntime outside the extension host, whose thread a blocking `session.run` would freeze.
 *
 * A small pool of processes, one request per process at a time (a blocking `session.run` would make two
 * requests in one process wait for each other anyway):
 * - A request takes an idle process, or starts one while fewer than `maxProcesses` are busy; beyond that it
 *   waits in a FIFO queue (a queued request can be cancelled before any process is started for it).
 * - `dedicated: true` (a model server, a pipeline run: work that holds a process for long) always gets a
 *   fresh process of its own, outside the cap, which is stopped when the request ends and never reused.
 * - A finished process goes back to the idle set; an idle one is stopped after `idleTimeoutMs`.
 * - Cancelling a request kills its process only (the one way to stop `session.run`): the other requests go on.
 * - A process that ends on its own rejects its request with a WorkerStoppedError and `onUnexpectedExit` is
 *   told; the next request starts a fresh process.
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
  /** Node options of the worker (default none; tests pass `--import tsx` to run a TypeScript entry). */
  readonly execArgv?: readonly string[];
  /** Environment of the worker (default: this process's plus ELECTRON_RUN_AS_NODE=1). */
  readonly env?: NodeJS.ProcessEnv;
  readonly log: WorkerLogger;
  /** Told when a worker ended on its own (not after cancel, idle stop or dispose). */
  readonly onUnexpectedExit?: (error: WorkerStoppedError, hadPendingRequests: boolean) => void;
  /** Stop a process after it has been idle this many ms (0 = keep it). Default 5 minutes. */
  readonly idleTimeoutMs?: number;
  /** Processes that may run shared (non-dedicated) requests at once; more wait in a queue. Default 3. */
  readonly maxProcesses?: number;
}

export interface RequestOptions {
  readonly token?: CancellationSignal;
  readonly onProgress?: (progress: WorkerProgress) => void;
  /** Message of the OperationCancelledError the request rejects with when cancelled. */
  readonly cancelMessage?: string;
  /** A process of its own, outside the pool's cap, stopped when the request ends (long-running work). */
  readonly dedicated?: boolean;
}

type StopReason = 'cancel' | 'idle' | 'dispose' | 'done';

/** One worker process and the request it serves (at most one). */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly generation: number;
  readonly dedicated: boolean;
  request: number | undefined;
  stopping: StopReason | null;
  gone: boolean;
  stderrTail: string;
  idleTimer: NodeJS.Timeout | undefined;
}

/** A request: waiting in the queue until `proc` is set, then sent. */
interface Job {
  readonly id: number;
  readonly message: WorkerRequest;
  readonly dedicated: boolean;
  proc: WorkerProcess | undefined;
}

const DEFAULT_IDLE_MS = 5 * 60_000;
const DEFAULT_MAX_PROCESSES = 3;

export class WorkerClient {
  private readonly tracker = new RequestTracker<WorkerProgress>();
  private readonly processes = new Set<WorkerProcess>();
  private readonly idle: WorkerProcess[] = [];
  private readonly queue: Job[] = [];
  private readonly jobs = new Map<number, Job>();
  private generation = 0;
  private disposed = false;

  constructor(private readonly options: WorkerClientOptions) {}

  /** Sends `op` to a worker (starting one if needed, or queueing) and resolves with its result. */
  request<K extends WorkerOp>(op: K, params: WorkerOps[K]['params'], options: RequestOptions = {}): Promise<WorkerOps[K]['result']> {
    if (this.disposed) return Promise.reject(new Error('The ONNX Runtime worker has been shut down.'));
    const cancelMessage = options.cancelMessage ?? 'The operation was cancelled.';
    if (options.token?.isCancellationRequested) return Promise.reject(new OperationCancelledError(cancelMessage));

    const started = Date.now();
    const { id, promise } = this.tracker.create<WorkerOps[K]['result']>(op, options.onProgress);
    const job: Job = { id, message: { kind: 'request', id, op, params } as WorkerRequest, dedicated: options.dedicated === true, proc: undefined };
    this.jobs.set(id, job);
    this.options.log.info(`worker: request #${id} ${op}${job.dedicated ? ' (dedicated process)' : ''}`);
    const subscription = options.token?.onCancellationRequested(() => this.cancel(id, cancelMessage));
    this.queue.push(job);
    this.pump();

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
      this.finish(job);
    });
  }

  /** True while at least one worker process is running. */
  get running(): boolean {
    return this.processes.size > 0;
  }

  /** Worker processes running now (busy or idle). */
  get processCount(): number {
    return this.processes.size;
  }

  /** The pids of the worker processes serving a request now (for diagnostics and the host-survival tests). */
  /** The running requests: the process and the op of each. */
  get busy(): { readonly pid: number; readonly op: WorkerOp }[] {
    return [...this.processes].flatMap((p) => {
      const op = p.request !== undefined ? this.jobs.get(p.request)?.message.op : undefined;
      return op !== undefined && !p.gone && p.child.pid !== undefined ? [{ pid: p.child.pid, op }] : [];
    });
  }

  /** Requests waiting for a reply (queued or sent). */
  get pendingCount(): number {
    return this.tracker.size;
  }

  /** Requests waiting for a process. */
  get queuedCount(): number {
    return this.queue.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue.length = 0;
    for (const proc of [...this.processes]) this.stop(proc, 'dispose');
    this.tracker.rejectAll(new OperationCancelledError('The ONNX Runtime worker was shut down.'));
  }

  /** Starts what can start: queued jobs in order, each on an idle process, a new one, or (dedicated) its own. */
  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i]!;
      const proc = job.dedicated ? this.tryStart(job, true) : this.takeIdle() ?? (this.sharedBusy() < this.maxProcesses() ? this.tryStart(job, false) : undefined);
      if (!proc) {
        if (!this.tracker.has(job.id)) this.queue.splice(i, 1); // failed to start: already rejected
        else i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.send(job, proc);
    }
  }

  private maxProcesses(): number {
    return Math.max(1, this.options.maxProcesses ?? DEFAULT_MAX_PROCESSES);
  }

  private sharedBusy(): number {
    let n = 0;
    for (const p of this.processes) if (!p.dedicated && p.request !== undefined) n++;
    return n;
  }

  private takeIdle(): WorkerProcess | undefined {
    const proc = this.idle.pop();
    if (proc) clearTimeout(proc.idleTimer);
    return proc;
  }

  private tryStart(job: Job, dedicated: boolean): WorkerProcess | undefined {
    try {
      return this.start(dedicated);
    } catch (e) {
      this.tracker.reject(job.id, new WorkerStoppedError(null, null, `Could not start the ONNX Runtime worker: ${errorText(e)}`));
      return undefined;
    }
  }

  private send(job: Job, proc: WorkerProcess): void {
    job.proc = proc;
    proc.request = job.id;
    const fail = (e: unknown) => {
      if (proc.request !== job.id) return;
      proc.request = undefined;
      this.tracker.reject(job.id, new WorkerStoppedError(null, null, `Could not send the request to the ONNX Runtime worker: ${errorText(e)}`));
    };
    try {
      proc.child.send(job.message, (err) => {
        if (err) fail(err);
      });
    } catch (e) {
      fail(e);
    }
  }

  /** A request settled: its process goes back to the pool (or is stopped if dedicated), the queue moves. */
  private finish(job: Job): void {
    this.jobs.delete(job.id);
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const proc = job.proc;
    if (proc && proc.request === job.id) proc.request = undefined;
    if (proc && !proc.gone && proc.stopping === null && proc.request === undefined) {
      if (proc.dedicated || this.disposed) this.stop(proc, 'done');
      else this.park(proc);
    }
    if (!this.disposed) this.pump();
  }

  private park(proc: WorkerProcess): void {
    this.idle.push(proc);
    const ms = this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    if (ms <= 0) return;
    proc.idleTimer = setTimeout(() => {
      const at = this.idle.indexOf(proc);
      if (at < 0) return;
      this.idle.splice(at, 1);
      this.stop(proc, 'idle');
    }, ms);
    proc.idleTimer.unref?.();
  }

  private start(dedicated: boolean): WorkerProcess {
    const generation = ++this.generation;
    const child = fork(this.options.modulePath, [...(this.options.args ?? [])], {
      execArgv: [...(this.options.execArgv ?? [])],
      serialization: 'advanced',
      silent: true,
      env: this.options.env ?? { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const proc: WorkerProcess = { child, generation, dedicated, request: undefined, stopping: null, gone: false, stderrTail: '', idleTimer: undefined };
    this.processes.add(proc);
    this.options.log.info(`worker: started process ${child.pid ?? '?'} (#${generation}${dedicated ? ', dedicated' : ''})`);

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
    if (proc.request !== message.id) return; // late reply to a cancelled request
    switch (message.kind) {
      case 'progress':
        this.tracker.progress(message.id, message);
        return;
      case 'result':
        this.tracker.resolve(message.id, message.result);
        return;
      case 'error':
        this.tracker.reject(message.id, new WorkerRequestError(message.error.message, message.error.type, message.error.code));
        return;
    }
  }

  /** The process ended ('exit') or could not be run ('error'); both may arrive, the first one counts. */
  private onGone(proc: WorkerProcess, code: number | null, signal: string | null, detail?: string): void {
    if (proc.gone) return;
    proc.gone = true;
    clearTimeout(proc.idleTimer);
    this.processes.delete(proc);
    const at = this.idle.indexOf(proc);
    if (at >= 0) this.idle.splice(at, 1);
    const pending = proc.request;
    proc.request = undefined;
    const reason = proc.stopping;
    if (reason === null) {
      const error = new WorkerStoppedError(code, signal, detail);
      const tail = proc.stderrTail.trim();
      this.options.log.error(`worker: process #${proc.generation} ended: ${error.message}${tail ? `\n${tail}` : ''}`);
      if (pending !== undefined) this.tracker.reject(pending, error);
      const hadPending = pending !== undefined;
      if (hadPending || (code !== 0 && code !== null) || signal !== null || detail !== undefined) {
        this.options.onUnexpectedExit?.(error, hadPending);
      }
    } else {
      this.options.log.info(`worker: process #${proc.generation} stopped (${reason})`);
      if (pending !== undefined) this.tracker.reject(pending, new OperationCancelledError('The ONNX Runtime worker was shut down.'));
    }
    if (!this.disposed) this.pump();
  }

  /** Cancels request `id`: a queued one leaves the queue; a running one takes its process down with it. */
  private cancel(id: number, message: string): void {
    const job = this.jobs.get(id);
    if (!job || !this.tracker.has(id)) return;
    const proc = job.proc;
    this.tracker.reject(id, new OperationCancelledError(message));
    if (proc && proc.request === id) {
      proc.request = undefined;
      this.options.log.info(`worker: request #${id} cancelled; stopping process #${proc.generation}`);
      this.stop(proc, 'cancel');
    } else {
      this.options.log.info(`worker: queued request #${id} cancelled`);
    }
  }

  private stop(proc: WorkerProcess, reason: StopReason): void {
    if (proc.stopping !== null || proc.gone) return;
    proc.stopping = reason;
    clearTimeout(proc.idleTimer);
    const at = this.idle.indexOf(proc);
    if (at >= 0) this.idle.splice(at, 1);
    // Not counted as running from here on; 'exit' completes the bookkeeping.
    this.processes.delete(proc);
    try {
      proc.child.kill(reason === 'idle' || reason === 'done' ? 'SIGTERM' : 'SIGKILL');
    } catch {
      // Already gone.
    }
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
