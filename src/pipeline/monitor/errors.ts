import { UserError } from '../../core/user-error';

export type DriftErrorCode = 'bad-output' | 'column-mismatch' | 'missing-column' | 'bad-option' | 'no-columns' | 'no-rows' | 'bad-test';

/** A drift problem the user can fix: files with different columns, an unknown column or test, a bad option. The message starts with the file. */
export class DriftError extends UserError {
  readonly category = 'DRIFT';
  override name = 'DriftError';
  constructor(
    readonly file: string,
    readonly code: DriftErrorCode,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}
