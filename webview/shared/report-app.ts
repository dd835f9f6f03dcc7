/**
 * The start every report panel app shares (evaluation, quantization, pruning, distillation, attributions): the
 * toolkit registered, the view state store, the host client, the #app root with its failure slot, the scroll
 * position saved as it changes, re-renders that keep the scroll position (the saved one on the first render), and
 * the ready → snapshot handshake with an error view when the snapshot cannot be had.
 */
import type { Channel, RequestSpec } from '../../src/protocol/webview';
import { h, replaceChildren, type Child } from './dom';
import { HostClient } from './host-client';
import { showErrorView } from './report-shell';
import { registerToolkit } from './toolkit';
import { trackScroll, ViewStateStore } from './view-state';
import { vscodeApi } from './vscode-api';

/** A channel whose `ready` request answers with the panel's snapshot. */
export interface ReadyChannel extends Channel {
  readonly requests: Channel['requests'] & { readonly ready: RequestSpec<null, unknown> };
}

/** What `ready` answers on channel `C`. */
export type SnapshotOf<C extends ReadyChannel> = C['requests']['ready']['result'];

export interface ReportApp<S extends { readonly scrollY: number }, C extends ReadyChannel> {
  readonly store: ViewStateStore<S>;
  readonly client: HostClient<C>;
  readonly root: HTMLElement;
  /** Holds the notice of a failed action or re-run; apps place it in their content. */
  readonly failureSlot: HTMLElement;
  /**
   * Replaces the page with what `content` builds (called after the scroll position is read), marks the view
   * ready and scrolls back: to the saved position on the first call, to where the page was on later ones.
   */
  show(content: () => Child[]): void;
  /** Asks the host for the snapshot and renders it; shows the error view under `title` when that fails. */
  ready(render: (snapshot: SnapshotOf<C>) => void, title?: string): void;
}

/** Starts a report app with view state `defaults` (merged with what VS Code kept) on channel `C`. */
export function startReportApp<S extends { readonly scrollY: number }, C extends ReadyChannel>(defaults: S): ReportApp<S, C> {
  registerToolkit();
  const api = vscodeApi<S>();
  const store = new ViewStateStore(api, defaults);
  const client = new HostClient<C>(api);
  const root = document.getElementById('app')!;
  const failureSlot = h('div', { class: 'failure-slot' });
  let restoredScroll = false;
  trackScroll((scrollY) => store.update({ scrollY } as Partial<S>));

  return {
    store,
    client,
    root,
    failureSlot,
    show(content) {
      const scrollY = window.scrollY;
      replaceChildren(root, ...content());
      root.removeAttribute('aria-busy');
      document.body.dataset.viewState = 'ready';
      const y = restoredScroll ? scrollY : store.get().scrollY;
      restoredScroll = true;
      if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
    },
    ready(render, title) {
      const request = client.request as (method: 'ready', params: null) => Promise<SnapshotOf<C>>;
      request.call(client, 'ready', null).then(render, (e: unknown) => showErrorView(root, e, title));
    },
  };
}
