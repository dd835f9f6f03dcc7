import { UserError } from '../../core/user-error';

export type PredictErrorCode = 'unknown-format' | 'bad-output' | 'bad-option';

/** A batch-inference problem the user can fix: an output format we do not write, an output that cannot be written, a bad option. The message starts with the file. */
export class PredictError extends UserError {
  readonly category = 'PREDICT';
  override name = 'PredictError';
  constructor(
    readonly file: string,
    readonly code: PredictErrorCode,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}
