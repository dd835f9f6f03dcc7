/**
 * Webview side of a channel (src/protocol/webview.ts): typed requests with ids, replies routed back to
 * their promise (error replies reject with HostRequestError), host events to listeners. Pending requests
 * are rejected when the page goes away.
 */
import { RequestTracker } from '../../src/protocol/request-tracker';
import {
  isHostMessage,
  type Channel,
  type ErrorInfo,
  type EventOf,
  type LogMessage,
  type MethodOf,
  type ParamsOf,
  type RequestMessage,
  type ResultOf,
} from '../../src/protocol/webview';
import type { VsCodeApi } from './vscode-api';

export class HostRequestError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'HostRequestError';
  }

  get cancelled(): boolean {
    return this.info.cancelled === true;
  }
}

type Listener = (data: unknown) => void;

export class HostClient<C extends Channel> {
  private readonly tracker = new RequestTracker();
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly api: VsCodeApi<unknown>) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.onMessage(event.data));
    window.addEventListener('pagehide', () => this.tracker.rejectAll(new HostRequestError({ message: 'The view was closed.', cancelled: true })));
    window.addEventListener('error', (event) => this.log('error', `${event.message} (${event.filename}:${event.lineno})`));
    window.addEventListener('unhandledrejection', (event) => this.log('error', `Unhandled rejection: ${String((event.reason as Error)?.message ?? event.reason)}`));
  }

  request<K extends MethodOf<C>>(method: K, params: ParamsOf<C, K>): Promise<ResultOf<C, K>> {
    const { id, promise } = this.tracker.create<ResultOf<C, K>>(method);
    const message = { type: 'request', requestId: id, method, params } as RequestMessage<C>;
    this.api.postMessage(message);
    return promise;
  }

  on<K extends EventOf<C>>(event: K, listener: (data: C['events'][K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  log(level: LogMessage['level'], message: string): void {
    const msg: LogMessage = { type: 'log', level, message };
    this.api.postMessage(msg);
  }

  private onMessage(message: unknown): void {
    if (!isHostMessage(message)) return;
    if (message.type === 'reply') {
      if (message.ok) this.tracker.resolve(message.inReplyTo, message.result);
      else this.tracker.reject(message.inReplyTo, new HostRequestError(message.error));
      return;
    }
    for (const listener of this.listeners.get(message.event) ?? []) {
      try {
        listener(message.data);
      } catch (e) {
        this.log('error', `Handling event '${message.event}' failed: ${(e as Error)?.message ?? String(e)}`);
      }
    }
  }
}
