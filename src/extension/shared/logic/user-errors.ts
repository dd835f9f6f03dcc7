/**
 * Turns any thrown value into what a user sees (ErrorInfo): the OnnxError / worker message as is, never a
 * stack trace. No vscode.
 */
import { OnnxError } from '../../../core/errors';
import { UserError } from '../../../core/user-error';
import type { ErrorInfo } from '../../../protocol/webview';
import { isCancellation, WorkerRequestError, WorkerStoppedError } from '../../worker/worker-errors';

export function toErrorInfo(e: unknown, context?: string): ErrorInfo {
  if (isCancellation(e)) return { message: messageOf(e) || 'The operation was cancelled.', cancelled: true };
  if (e instanceof OnnxError) return { message: e.message, code: e.code };
  if (e instanceof WorkerRequestError) return { message: e.message, ...(e.code ? { code: e.code } : {}) };
  if (e instanceof WorkerStoppedError) return { message: e.message, code: 'worker-stopped' };
  const message = messageOf(e) || 'Unknown error.';
  return { message: context && !message.startsWith(context) ? `${context}: ${message}` : message };
}

/** First line of an error's message (no stack). */
export function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : e === undefined ? '' : String(e);
  return text.trim();
}

/** The full text for the log (with the stack for unexpected errors). */
export function logText(e: unknown): string {
  if (e instanceof UserError || e instanceof WorkerRequestError || isCancellation(e)) return messageOf(e);
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
