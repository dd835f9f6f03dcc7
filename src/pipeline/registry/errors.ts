import { UserError } from '../../core/user-error';

export type RegistryErrorCode =
  | 'bad-name'
  | 'bad-ref'
  | 'unknown-model'
  | 'unknown-version'
  | 'unknown-alias'
  | 'alias-in-use'
  | 'not-a-model'
  | 'locked'
  | 'corrupt';

/** A registry problem the user can act on (unknown name, alias in use, a record that does not parse …). */
export class RegistryError extends UserError {
  readonly category = 'REGISTRY';
  override name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
