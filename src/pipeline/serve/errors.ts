import { UserError } from '../../core/user-error';

export type ServeErrorCode = 'bad-config' | 'bad-request' | 'not-found' | 'too-large' | 'unavailable' | 'forbidden' | 'failed';

const STATUS: Readonly<Record<ServeErrorCode, number>> = {
  'bad-config': 400,
  'bad-request': 400,
  'not-found': 404,
  'too-large': 413,
  unavailable: 503,
  forbidden: 403,
  failed: 500,
};

/**
 * A request the server refuses (its HTTP status: 400 malformed, 404 unknown model/version, 413 too large, 503 queue
 * full or not ready) or a server configuration the user must fix. The REST layer answers `{"error": message}` with
 * `status`; gRPC maps it to the matching status code; the CLI prints it (exit 2).
 */
export class ServeError extends UserError {
  readonly category = 'SERVE';
  override name = 'ServeError';
  readonly status: number;
  constructor(
    readonly code: ServeErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const badRequest = (message: string): ServeError => new ServeError('bad-request', message);
