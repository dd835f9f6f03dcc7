import { UserError } from './user-error';

/** Typed errors of the ONNX core. Every message names the file (when known) and says what is wrong. */

export type OnnxErrorCode =
  | 'not-found'
  | 'empty-file'
  | 'not-onnx'
  | 'truncated'
  | 'malformed'
  | 'too-deep'
  | 'external-data'
  | 'tensor-data'
  | 'unsupported'
  | 'write-failed';

/** Base class for all problems with a model file the user can act on (exit code 2 in the CLI). */
export class OnnxError extends UserError {
  readonly category: string = 'ONNX';
  constructor(
    readonly code: OnnxErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'OnnxError';
  }
}

/** The bytes are not a well-formed onnx.ModelProto. */
export class OnnxFormatError extends OnnxError {
  constructor(code: OnnxErrorCode, message: string, file?: string) {
    super(code, message, file);
    this.name = 'OnnxFormatError';
  }
}

/** The file system refused a write (a full disk, a read-only folder, no permission); `errno` is its code. */
export class WriteError extends OnnxError {
  constructor(
    readonly errno: string,
    message: string,
    file?: string,
  ) {
    super('write-failed', message, file);
    this.name = 'WriteError';
  }
}

/** An external-data reference is unsafe, missing or too short. */
export class ExternalDataError extends OnnxError {
  constructor(message: string, file?: string) {
    super('external-data', message, file);
    this.name = 'ExternalDataError';
  }
}

/** A tensor's declared type/shape does not match the data it holds, or cannot be decoded. */
export class TensorDataError extends OnnxError {
  constructor(message: string, file?: string) {
    super('tensor-data', message, file);
    this.name = 'TensorDataError';
  }
}

export function isOnnxError(e: unknown): e is OnnxError {
  return e instanceof OnnxError;
}
