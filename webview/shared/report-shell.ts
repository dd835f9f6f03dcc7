/**
 * What the report panel apps share around their content: the failure notice (dismissible,
 * information for a cancellation), the error view when the snapshot cannot be had, and redrawing when VS Code
 * switches colour themes (charts read the theme's colours when drawn).
 */
import type { ErrorInfo } from '../../src/protocol/webview';
import { h, replaceChildren } from './dom';

/** Shows `error` in `slot`: "The last action failed: …", or the cancellation message as information. */
export function showFailure(slot: HTMLElement, error: ErrorInfo, what = 'The last action failed'): void {
  const close = h('vscode-button', { appearance: 'icon', 'aria-label': 'Dismiss' }, '✕');
  close.addEventListener('click', () => replaceChildren(slot));
  replaceChildren(
    slot,
    h('div', { class: `notice ${error.cancelled ? 'info' : 'error'} failure`, role: 'alert', 'data-testid': 'failure' }, h('span', null, error.cancelled ? error.message : `${what}: ${error.message}`), close),
  );
}

/** The page when the report could not be shown at all, under `title`. */
export function showErrorView(root: HTMLElement, e: unknown, title = 'The report could not be shown'): void {
  replaceChildren(root, h('section', { class: 'error-view', role: 'alert' }, h('h2', null, title), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))));
  document.body.dataset.viewState = 'error';
}

/** Calls `redraw` (once per frame) when the body's theme class changes. */
export function watchTheme(redraw: () => void): void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      redraw();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** An ErrorInfo from a rejected host request (HostRequestError carries one). */
export function errorInfoOf(e: unknown): ErrorInfo {
  const info = (e as { info?: ErrorInfo } | null)?.info;
  if (info && typeof info.message === 'string') return info;
  return { message: e instanceof Error ? e.message : String(e) };
}
