/**
 * The one user-error type. An error the user can act on (bad file, bad data, bad option) extends `UserError`
 * and names a stable, machine-readable `category` (documented below); the CLI maps it to exit code 2 and prints
 * its message (never a stack), the worker sends it across the process boundary as a 'user' error, and the
 * extension shows it as a message, not as a crash. The finer `code` fields some subclasses carry (OnnxErrorCode,
 * DatasetErrorCode …) stay as they are; `category` says which family the error belongs to.
 *
 * Categories: ONNX (model file), QUANTIZE, PRUNE, DISTILL, DATASET (data file), OUTPUT_PLAN (model outputs vs.
 * data), METRICS, EXPLAIN, PREDICT (batch inference: output format, output file), DRIFT (reference vs current data: columns, tests, options), MONITOR (monitoring over time: chunking, request logs), RUNTIME (onnxruntime rejected the model or its inputs), REGISTRY, EXPORT, PIPELINE (pipeline file, its inputs and approvals), USAGE (CLI options), COMMAND_ARGUMENTS (scripted arguments object), CANCELLED.
 */
export abstract class UserError extends Error {
  abstract readonly category: string;
}

/** The category of a cancellation (an `AbortError` from an AbortSignal, which is not a UserError subclass). */
export const CANCELLED = 'CANCELLED';

/** Whether `e` is a cancellation raised through an AbortSignal. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** The user-error category of `e` (CANCELLED for a cancellation), or undefined when `e` is not the user's to fix. */
export function userErrorCategory(e: unknown): string | undefined {
  if (e instanceof UserError) return e.category;
  return isAbortError(e) ? CANCELLED : undefined;
}
