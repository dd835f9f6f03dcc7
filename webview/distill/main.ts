/**
 * Entry of the Distillation report panel (ptp.distillation): ready → snapshot; re-rendered when the host pushes a
 * new run and when the colour theme changes. Open sections and the scroll position live in the webview state.
 */
import '../shared/base.css';
import 'uplot/dist/uPlot.min.css';
import '../evaluation/evaluation.css';
import '../quantize/quantize.css';
import '../prune/prune.css';
import type { DistillReportChannel, DistillReportSnapshot } from '../../src/protocol/distill-panel';
import { h, replaceChildren } from '../shared/dom';
import { HostClient } from '../shared/host-client';
import { registerToolkit } from '../shared/toolkit';
import { trackScroll, ViewStateStore } from '../shared/view-state';
import { vscodeApi } from '../shared/vscode-api';
import { destroyCharts } from '../evaluation/chart';
import { errorInfoOf, showErrorView, showFailure, watchTheme } from '../prune/report-shell';
import { renderDistill, type DistillActions } from './distill-view';
import { DEFAULT_VIEW_STATE, type DistillViewState } from './view-state';

registerToolkit();

const api = vscodeApi<DistillViewState>();
const store = new ViewStateStore(api, DEFAULT_VIEW_STATE);
const client = new HostClient<DistillReportChannel>(api);
const root = document.getElementById('app')!;
const failureSlot = h('div', { class: 'failure-slot' });
let current: DistillReportSnapshot | undefined;
let restoredScroll = false;

const actions: DistillActions = {
  copyJson: () => client.request('copyJson', null),
  saveJson: () => client.request('saveJson', null),
  openStudent: () => void client.request('openStudent', null).catch((e: unknown) => showFailure(failureSlot, errorInfoOf(e), 'Could not open the student model')),
};

function render(snapshot: DistillReportSnapshot): void {
  current = snapshot;
  const scrollY = window.scrollY;
  destroyCharts();
  replaceChildren(root, failureSlot, ...renderDistill(snapshot.result, store, actions));
  root.removeAttribute('aria-busy');
  document.body.dataset.task = snapshot.result.task;
  document.body.dataset.viewState = 'ready';
  if (!restoredScroll) {
    restoredScroll = true;
    const y = store.get().scrollY;
    if (y > 0) requestAnimationFrame(() => window.scrollTo(0, y));
  } else if (scrollY > 0) {
    requestAnimationFrame(() => window.scrollTo(0, scrollY));
  }
}

client.on('snapshot', (s) => {
  replaceChildren(failureSlot);
  render(s);
});
trackScroll((scrollY) => store.update({ scrollY }));
watchTheme(() => {
  if (current) render(current);
});

client.request('ready', null).then(render, (e: unknown) => showErrorView(root, e));
