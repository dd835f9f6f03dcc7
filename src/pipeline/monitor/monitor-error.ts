import { UserError } from '../../core/user-error';

/** A monitoring input the user can fix: a bad chunking option, a request log that cannot be used (category MONITOR). */
export class MonitorError extends UserError {
  readonly category = 'MONITOR';
  override name = 'MonitorError';
  constructor(
    /** The file the problem is in, when there is one. */
    readonly file: string | null,
    message: string,
  ) {
    super(file ? `${file}: ${message}` : message);
  }
}
