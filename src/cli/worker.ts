/**
 * `ptp worker`: the process that runs onnxruntime-backed operations for the extension host (which forks it with an
 * IPC channel). Requests and replies are the messages of src/protocol/worker.ts. onnxruntime's `session.run`
 * blocks this process's thread, so cancellation is done by the client killing the process.
 */
import { isOnnxError } from '../core/errors';
import { CANCELLED, UserError, isAbortError } from '../core/user-error';
import type { WorkerErrorReply, WorkerOp, WorkerOps, WorkerReply, WorkerRequest } from '../protocol/worker';
import { checkRuntime } from '../pipeline/runtime/check';
import { isRuntimeError } from '../pipeline/runtime/errors';
import { runSample } from '../pipeline/sample/run';
import { benchModel } from '../pipeline/evaluate/bench';
import { compare, evaluate } from '../pipeline/evaluate/run';
import { predict } from '../pipeline/predict';
import { profileModel } from '../pipeline/profile';
import { quantize } from '../pipeline/quantize';
import { optimizeModel } from '../pipeline/optimize/optimize';
import { explain } from '../pipeline/explain';
import { prune, pruneSensitivity } from '../pipeline/prune';
import { distill } from '../pipeline/distill';
import { drift, monitor } from '../pipeline/monitor';
import type { OperationContext } from '../pipeline/operation';
import { pipelineApprove, pipelineRun } from '../pipeline/pipeline/worker-ops';

type OpHandler<K extends WorkerOp> = (params: WorkerOps[K]['params'], ctx: OperationContext) => Promise<WorkerOps[K]['result']>;

/** The operations served, one handler per op of the protocol. */
export const WORKER_HANDLERS: { readonly [K in WorkerOp]: OpHandler<K> } = {
  'runtime-check': checkRuntime,
  sample: runSample,
  evaluate,
  bench: benchModel,
  compare,
  predict,
  profile: profileModel,
  quantize,
  optimize: optimizeModel,
  explain,
  prune,
  'prune-sensitivity': pruneSensitivity,
  distill,
  drift,
  monitor,
  'pipeline-run': pipelineRun,
  'pipeline-approve': pipelineApprove,
};

/** The error reply for a failed request: model/input problems are 'user' errors, everything else 'internal'. */
export function errorReply(id: number, e: unknown): WorkerErrorReply {
  if (isOnnxError(e)) {
    const reason = (e as { reason?: string }).reason;
    return { kind: 'error', id, error: { type: 'user', code: reason ?? e.code, category: e.category, message: e.message } };
  }
  if (isRuntimeError(e)) {
    return { kind: 'error', id, error: { type: e.isUserError ? 'user' : 'internal', code: e.code, ...(e.isUserError ? { category: 'RUNTIME' } : {}), message: e.message } };
  }
  if (isAbortError(e)) {
    return { kind: 'error', id, error: { type: 'user', code: 'cancelled', category: CANCELLED, message: (e as Error).message } };
  }
  // Every other user error (bad data, column, label, option …) is recognised by its class, not by its name.
  if (e instanceof UserError) {
    const code = (e as { code?: unknown }).code;
    return { kind: 'error', id, error: { type: 'user', code: typeof code === 'string' ? code : e.name, category: e.category, message: e.message } };
  }
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `non-error thrown: ${String(e)}`;
  return { kind: 'error', id, error: { type: 'internal', message } };
}

function isRequest(m: unknown): m is WorkerRequest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return r.kind === 'request' && typeof r.id === 'number' && typeof r.op === 'string';
}

/** Handles one request, sending progress and exactly one result or error reply through `send`. */
export async function handleRequest(req: WorkerRequest, send: (m: WorkerReply) => void): Promise<void> {
  const { id } = req;
  try {
    if (!Object.prototype.hasOwnProperty.call(WORKER_HANDLERS, req.op)) {
      send({ kind: 'error', id, error: { type: 'internal', code: 'unknown-op', message: `unknown worker operation '${String(req.op)}'` } });
      return;
    }
    if (typeof req.params !== 'object' || req.params === null) {
      send({ kind: 'error', id, error: { type: 'internal', code: 'bad-request', message: `request ${id} (${req.op}) has no params` } });
      return;
    }
    const ctx: OperationContext = {
      onProgress: (p) => send({ kind: 'progress', id, ...(p.message !== undefined ? { message: p.message } : {}), ...(p.fraction !== undefined ? { fraction: p.fraction } : {}) }),
    };
    const handler = WORKER_HANDLERS[req.op] as OpHandler<WorkerOp>;
    const result = await handler(req.params as never, ctx);
    send({ kind: 'result', id, result });
  } catch (e) {
    const reply = errorReply(id, e);
    if (reply.error.type === 'internal' && e instanceof Error && e.stack) process.stderr.write(`ptp worker: request ${id} (${req.op}) failed\n${e.stack}\n`);
    send(reply);
  }
}

/**
 * Serves requests arriving on the IPC channel until it disconnects, then exits. Returns once listening.
 * Without an IPC channel (started by hand) it reports that and exits with code 2.
 */
export async function runWorker(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('ptp worker: no IPC channel; this command is started by the VS Code extension (child_process.fork)\n');
    process.exitCode = 2;
    return;
  }
  const reply = (m: WorkerReply) => {
    if (!process.connected) return;
    try {
      send(m, undefined, undefined, (err: Error | null) => {
        if (err) process.stderr.write(`ptp worker: could not send a reply: ${err.message}\n`);
      });
    } catch (err) {
      process.stderr.write(`ptp worker: could not send a reply: ${(err as Error).message}\n`);
    }
  };
  process.on('message', (m: unknown) => {
    if (!isRequest(m)) {
      const id = typeof m === 'object' && m !== null && typeof (m as { id?: unknown }).id === 'number' ? (m as { id: number }).id : -1;
      reply({ kind: 'error', id, error: { type: 'internal', code: 'bad-request', message: 'malformed worker request' } });
      return;
    }
    handleRequest(m, reply).catch((e: unknown) => {
      // handleRequest replies to every failure itself; this only catches a failure to build the reply.
      process.stderr.write(`ptp worker: ${(e as Error)?.stack ?? String(e)}\n`);
    });
  });
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (e) => {
    process.stderr.write(`ptp worker: uncaught exception\n${e.stack ?? String(e)}\n`);
  });
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`ptp worker: unhandled rejection\n${(e as Error)?.stack ?? String(e)}\n`);
  });
}
