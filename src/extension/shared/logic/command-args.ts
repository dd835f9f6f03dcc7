/** The arguments object a script or test passes to a command instead of using the pickers. No vscode. */

import { UserError } from '../../../core/user-error';

/** A bad arguments object passed to a command by a script or test. */
export class CommandArgumentsError extends UserError {
  readonly category = 'COMMAND_ARGUMENTS';
  constructor(command: string, detail: string) {
    super(`${command}: ${detail}`);
    this.name = 'CommandArgumentsError';
  }
}

/** True for a plain arguments object (not a Uri, not the Explorer's array of selected Uris). */
export function isArgsObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
