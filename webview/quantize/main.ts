/**
 * Entry of the Quantization / Optimization report panel (ptp.quantization): ready → snapshot; re-rendered when
 * the host pushes a re-run (Re-quantize, the graph's "Exclude from quantization"); a busy bar while a re-run
 * goes; failures of re-runs as a dismissible notice above the last result. Open sections, the node table's
 * sort and the scroll position live in the webview state.
 */
import '../shared/base.css';
import '../evaluation/evaluation.css';
import './quantize.css';
import type { QuantizeReportChannel, QuantizeReportSnapshot } from '../../src/protocol/quantize-panel';
import type { ErrorInfo } from '../../src/protocol/webview';
import { h, replaceChildren, type Child } from '../shared/dom';
import { HostClient } from '../shared/host-client';
import { registerToolkit } from '../shared/toolkit';
import { trackScroll, ViewStateStore } from '../shared/view-state';
import { vscodeApi } from '../shared/vscode-api';
import { renderOptimize } from './optimize-view';
import { renderQuantize, type QuantizeActions } from './quantize-view';
import { DEFAULT_VIEW_STATE, type ReportViewState } from './view-state';

registerToolkit();

const api = vscodeApi<ReportViewState>();
const store = new ViewStateStore(api, DEFAULT_VIEW_STATE);
const client = new HostClient<QuantizeReportChannel>(api);
const root = document.getElementById('app')!;
const failureSlot = h('div', { class: 'failure-slot' });
const busySlot = h('div', { class: 'busy-slot' });
let current: QuantizeReportSnapshot | undefined;
/** The node table's checked exclusions; reset to the result's exclusions whenever a new result arrives. */
let excluded = new Set<string>();
let restoredScroll = false;

const actions: QuantizeActions = {
  copyJson: () => client.request('copyJson', null),
  saveJson: () => client.request('saveJson', null),
  requantize: (exclude) => client.request('requantize', { exclude: [...exclude] }),
};

function content(snapshot: QuantizeReportSnapshot): Child[] {
  return snapshot.kind === 'quantize' ? renderQuantize(snapshot.result, store, actions, excluded, () => render(snapshot, false)) : renderOptimize(snapshot.result, store, actions);
}

function render(snapshot: QuantizeReportSnapshot, fresh = true): void {
  if (fresh || snapshot !== current) {
    excluded = new Set(snapshot.kind === 'quantize' ? snapshot.result.recipe.exclude : []);
    if (fresh) replaceChildren(failureSlot);
  }
  current = snapshot;
  const scrollY = window.scrollY;
  replaceChildren(root, busySlot, failureSlot, ...content(snapshot));
  root.removeAttribute('aria-busy');
  document.body.dataset.mode = snapshot.kind;
  document.body.dataset.viewState = 'ready';
  if (!restoredScroll) {
    restoredScroll = true;
    const y = store.get().scrollY;
    if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
  } else if (scrollY > 0) {
    requestAnimationFrame(() => window.scrollTo(0, scrollY));
  }
}

function showFailure(error: ErrorInfo): void {
  const close = h('vscode-button', { appearance: 'icon', 'aria-label': 'Dismiss' }, '✕');
  close.addEventListener('click', () => replaceChildren(failureSlot));
  replaceChildren(
    failureSlot,
    h('div', { class: `notice ${error.cancelled ? 'info' : 'error'} failure`, role: 'alert', 'data-testid': 'failure' }, h('span', null, error.cancelled ? error.message : `The last run failed: ${error.message}`), close),
  );
}

function showBusy(on: boolean): void {
  document.body.dataset.busy = on ? 'true' : 'false';
  if (on) replaceChildren(busySlot, h('div', { class: 'notice info busy' }, h('vscode-progress-ring', null), h('span', null, 'Quantizing again…')));
  else replaceChildren(busySlot);
}

client.on('snapshot', (s) => render(s));
client.on('failure', showFailure);
client.on('busy', showBusy);
trackScroll((scrollY) => store.update({ scrollY }));

client.request('ready', null).then(
  (s) => render(s),
  (e: unknown) => {
    replaceChildren(root, h('section', { class: 'error-view', role: 'alert' }, h('h2', null, 'The report could not be shown'), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))));
    document.body.dataset.viewState = 'error';
  },
);
