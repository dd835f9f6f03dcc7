import { UserError, userErrorCategory } from '../core/user-error';
import { isRuntimeError } from '../pipeline/runtime/errors';

/**
 * Exit codes of `ptp`: 0 ok, 2 bad input or usage (one clear line on stderr), 3 internal error; `ptp pipeline run`
 * also 1 (a gate failed or an approval was rejected: the result is printed, later stages did not run) and 4 (the run
 * waits for an approval).
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USER = 2;
export const EXIT_INTERNAL = 3;
export const EXIT_AWAITING_APPROVAL = 4;

/** A problem the user can fix: printed as one line, exit code 2. */
export class UsageError extends UserError {
  readonly category = 'USAGE';
  override name = 'UsageError';
}

/** Whether an error is the user's to fix (bad file, bad option) rather than a bug. */
export function isUserError(e: unknown): boolean {
  if (userErrorCategory(e) !== undefined) return true;
  return isRuntimeError(e) && e.isUserError;
}

/** Progress/notes go to stderr so that stdout holds exactly the JSON document with --json. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A command's result on stdout: the JSON document with --json, else its human-readable `text`. */
export function printResult<T>(result: T, json: boolean | undefined, text: (result: T) => string): void {
  if (json) printJson(result);
  else console.log(text(result));
}

/**
 * The error as JSON (`ptp … --json` writes it on stderr): `message`, `category` (core/user-error.ts, or
 * INTERNAL for a bug) and, when the error has one, its finer `code` (OnnxErrorCode, DatasetErrorCode …).
 */
export function errorJson(e: unknown): { message: string; category: string; code?: string } {
  const code = (e as { code?: unknown } | null)?.code;
  const category = userErrorCategory(e) ?? (isRuntimeError(e) && e.isUserError ? 'RUNTIME' : 'INTERNAL');
  return { message: errorLine(e), category, ...(typeof code === 'string' ? { code } : {}) };
}

/** One line for the user: the error's message, never a stack. */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}
