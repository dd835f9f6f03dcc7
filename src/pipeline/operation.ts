/** What every pipeline operation takes besides its own inputs: cancellation and progress. */
export interface OperationContext {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: { message?: string; fraction?: number }) => void;
}

/** Throws an AbortError-like error when the signal was aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    const e = new Error('The operation was cancelled.');
    e.name = 'AbortError';
    throw e;
  }
}
