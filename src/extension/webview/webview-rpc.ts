/**
 * Host side of a webview channel (src/protocol/webview.ts): dispatches the webview's requests to typed
 * handlers and answers every one of them — with the result, or with an error reply when the handler throws
 * or the method is unknown. Pushes events. On dispose, in-flight handlers are cancelled and nothing more
 * is posted (the webview is gone).
 */
import * as vscode from 'vscode';
import {
  isViewMessage,
  type Channel,
  type EventOf,
  type HostMessage,
  type MethodOf,
  type ParamsOf,
  type ReplyMessage,
  type ResultOf,
} from '../../protocol/webview';
import { isCancellation } from '../worker/worker-errors';
import { logText, toErrorInfo } from '../shared/logic/user-errors';

export type RequestHandlers<C extends Channel> = {
  readonly [K in MethodOf<C>]: (params: ParamsOf<C, K>, token: vscode.CancellationToken) => Promise<ResultOf<C, K>> | ResultOf<C, K>;
};

type AnyHandler = (params: unknown, token: vscode.CancellationToken) => unknown;

export class WebviewRpc<C extends Channel> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private readonly inFlight = new Set<vscode.CancellationTokenSource>();
  private disposed = false;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly handlers: RequestHandlers<C>,
    private readonly log: vscode.LogOutputChannel,
    /** Names the view in log lines, e.g. `overview model.onnx`. */
    private readonly label: string,
  ) {
    this.subscription = webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message));
  }

  /** Pushes an event to the webview (dropped once disposed). */
  post<K extends EventOf<C>>(event: K, data: C['events'][K]): void {
    this.send({ type: 'event', event, data } as HostMessage<C>);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    for (const cts of this.inFlight) cts.cancel();
    this.inFlight.clear();
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isViewMessage(message)) {
      this.log.warn(`${this.label}: ignored a malformed message from the webview`);
      return;
    }
    if (message.type === 'log') {
      this.log[message.level](`${this.label} (webview): ${message.message}`);
      return;
    }
    const { requestId, method } = message;
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, method)
      ? ((this.handlers as unknown as Record<string, AnyHandler>)[method] as AnyHandler)
      : undefined;
    if (!handler) {
      this.reply({ type: 'reply', inReplyTo: requestId, ok: false, error: { message: `Unknown request '${method}'.` } });
      return;
    }
    const cts = new vscode.CancellationTokenSource();
    this.inFlight.add(cts);
    try {
      const result = await handler(message.params, cts.token);
      this.reply({ type: 'reply', inReplyTo: requestId, ok: true, result });
    } catch (e) {
      if (!isCancellation(e)) this.log.error(`${this.label}: request '${method}' failed: ${logText(e)}`);
      this.reply({ type: 'reply', inReplyTo: requestId, ok: false, error: toErrorInfo(e) });
    } finally {
      this.inFlight.delete(cts);
      cts.dispose();
    }
  }

  private reply(message: ReplyMessage): void {
    this.send(message);
  }

  private send(message: HostMessage<C>): void {
    if (this.disposed) return;
    try {
      this.webview.postMessage(message).then(undefined, () => undefined);
    } catch {
      // The webview was disposed between the check and the call.
    }
  }
}
