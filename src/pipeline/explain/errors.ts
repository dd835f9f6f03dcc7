import { UserError } from '../../core/user-error';
/** The user errors of explanation: options that cannot work for this model or data (CLI exit code 2). */

export type ExplainErrorCode =
  /** Exact Shapley values would take too many coalitions. */
  | 'too-many-features'
  /** An option is out of range or names something that does not exist. */
  | 'invalid-option'
  /** The model or its inputs cannot be explained this way (label-only outputs, string inputs, no image input …). */
  | 'unsupported';

export class ExplainError extends UserError {
  readonly category = 'EXPLAIN';
  override name = 'ExplainError';
  constructor(
    readonly code: ExplainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isExplainError(e: unknown): e is ExplainError {
  return e instanceof ExplainError;
}
