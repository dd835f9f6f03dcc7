import { UserError } from '../../core/user-error';

export type ExportErrorCode = 'unsupported-type' | 'bad-name' | 'bad-option' | 'output-exists' | 'bad-output';

/** An export the target platform could not load (a type it cannot express), or a bad option / output folder. */
export class ExportError extends UserError {
  readonly category = 'EXPORT';
  override name = 'ExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
