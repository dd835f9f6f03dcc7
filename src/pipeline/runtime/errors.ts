/** Errors of the runtime layer (everything that talks to onnxruntime). */

export type RuntimeErrorCode =
  /** onnxruntime refused to create a session for the model (its message is kept verbatim). */
  | 'ort-refused'
  /** onnxruntime failed while running the model. */
  | 'ort-run'
  /** An element type onnxruntime-node cannot exchange (bfloat16, float8, int4, complex …). */
  | 'unsupported-dtype'
  /** A value kind onnxruntime-node cannot exchange (sequence, map …). */
  | 'unsupported-kind'
  /** An option of the request is out of range. */
  | 'invalid-params'
  /** The onnxruntime-node package or its native binding could not be loaded. */
  | 'ort-unavailable';

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    /** onnxruntime's own message, when the error comes from onnxruntime. */
    readonly ortMessage?: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }

  /** Whether the user can act on it (a model/input problem) rather than an installation/internal failure. */
  get isUserError(): boolean {
    return this.code !== 'ort-unavailable';
  }
}

export function isRuntimeError(e: unknown): e is RuntimeError {
  return e instanceof RuntimeError;
}
