/**
 * What a failed operation rejects with after it has been reported: the user's message only (no stack), and
 * still a cancellation when the user cancelled, so a report panel that started the run (Fine-tune…, Sensitivity
 * analysis…) shows it as a neutral notice rather than as a failure. No vscode.
 */
import { messageOf, toErrorInfo } from './user-errors';
import { isCancellation, OperationCancelledError } from '../../worker/worker-errors';

/**
 * The error to rethrow for `e`: an OperationCancelledError for a cancellation, else an Error with the user's
 * message (`message`, when the caller rewrote it).
 */
export function rejectionFor(e: unknown, message?: string): Error {
  const text = message ?? toErrorInfo(e).message;
  return isCancellation(e) ? new OperationCancelledError(message ?? (messageOf(e) || text)) : new Error(text);
}
