/**
 * What a failed pruning run rejects with after it has been reported: the user's message only (no stack), and
 * still a cancellation when the user cancelled, so a report panel that started the run (Fine-tune…, Sensitivity
 * analysis…) shows it as a neutral notice rather than as a failure. No vscode.
 */
import { messageOf, toErrorInfo } from '../../shared/logic/user-errors';
import { isCancellation, OperationCancelledError } from '../../worker/worker-errors';

/** The error to rethrow for `e`: an OperationCancelledError for a cancellation, else an Error with the user's message. */
export function rejectionFor(e: unknown): Error {
  const { message } = toErrorInfo(e);
  return isCancellation(e) ? new OperationCancelledError(messageOf(e) || message) : new Error(message);
}
