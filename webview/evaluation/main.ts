/**
 * Entry of the Evaluation panel (ptp.evaluation): ready → snapshot (evaluate, compare or bench mode);
 * re-rendered when the host pushes a re-run, and when the colour theme changes (charts take their colours
 * from the theme when drawn). Which sections are open, the matrix mode and the scroll position live in the
 * webview state.
 */
import '../shared/base.css';
import 'uplot/dist/uPlot.min.css';
import './evaluation.css';
import type { EvaluationChannel, EvaluationSnapshot } from '../../src/protocol/evaluation-panel';
import type { ErrorInfo } from '../../src/protocol/webview';
import { h, replaceChildren, type Child } from '../shared/dom';
import { HostClient } from '../shared/host-client';
import { registerToolkit } from '../shared/toolkit';
import { trackScroll, ViewStateStore } from '../shared/view-state';
import { vscodeApi } from '../shared/vscode-api';
import { renderBench } from './bench-view';
import { destroyCharts } from './chart';
import { renderCompare } from './compare-view';
import { renderEvaluation, type EvaluationActions } from './evaluation-view';
import { DEFAULT_VIEW_STATE, type EvaluationViewState } from './view-state';

registerToolkit();

const api = vscodeApi<EvaluationViewState>();
const store = new ViewStateStore(api, DEFAULT_VIEW_STATE);
const client = new HostClient<EvaluationChannel>(api);
const root = document.getElementById('app')!;
const failureSlot = h('div', { class: 'failure-slot' });
let current: EvaluationSnapshot | undefined;
let restoredScroll = false;

const actions: EvaluationActions = {
  copyJson: () => client.request('copyJson', null),
  saveJson: () => client.request('saveJson', null),
  revealSaved: () => client.request('revealSaved', null),
};

function content(snapshot: EvaluationSnapshot): Child[] {
  switch (snapshot.kind) {
    case 'evaluate':
      return renderEvaluation(snapshot.result, store, actions);
    case 'compare':
      return renderCompare(snapshot.result, store, actions);
    case 'bench':
      return renderBench(snapshot.result, store, actions);
  }
}

function render(snapshot: EvaluationSnapshot): void {
  current = snapshot;
  const scrollY = window.scrollY;
  destroyCharts();
  replaceChildren(failureSlot);
  replaceChildren(root, failureSlot, ...content(snapshot));
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
    h(
      'div',
      { class: `notice ${error.cancelled ? 'info' : 'error'} failure`, role: 'alert' },
      h('span', null, error.cancelled ? error.message : `The last run failed: ${error.message}`),
      close,
    ),
  );
}

/** Charts read the theme's colours when drawn: redraw when VS Code switches themes. */
function watchTheme(): void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled || !current) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      if (current) render(current);
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

client.on('snapshot', render);
client.on('failure', showFailure);
trackScroll((scrollY) => store.update({ scrollY }));
watchTheme();

client.request('ready', null).then(render, (e: unknown) => {
  replaceChildren(root, h('section', { class: 'error-view', role: 'alert' }, h('h2', null, 'The result could not be shown'), h('p', { class: 'message' }, e instanceof Error ? e.message : String(e))));
  document.body.dataset.viewState = 'error';
});
