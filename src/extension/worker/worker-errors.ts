/** Errors the worker client produces. No vscode: unit tests use them directly. */

/** The user (or the extension shutting down a view) cancelled the operation. Shown as information. */
export class OperationCancelledError extends Error {
  constructor(message = 'The operation was cancelled.') {
    super(message);
    this.name = 'OperationCancelledError';
  }
}

/** The worker process ended while requests were pending (crash, kill from outside, failed start). */
export class WorkerStoppedError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
    detail?: string,
  ) {
    super(
      detail ??
        `The ONNX Runtime worker stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${exitCode ?? 'unknown'}`}).`,
    );
    this.name = 'WorkerStoppedError';
  }
}

/** The worker answered a request with an error reply. */
export class WorkerRequestError extends Error {
  constructor(
    message: string,
    /** 'user' = a problem with the input the user can fix; 'internal' otherwise. */
    readonly type: 'user' | 'internal',
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WorkerRequestError';
  }
}

/** True for our cancellation error and for vscode.CancellationError (name `Canceled`). */
export function isCancellation(e: unknown): boolean {
  return e instanceof OperationCancelledError || (e instanceof Error && e.name === 'Canceled');
}
