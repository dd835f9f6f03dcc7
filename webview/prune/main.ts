/**
 * Entry of the Pruning report panel (ptp.pruning): ready → snapshot; re-rendered when the host pushes a new run or
 * a sensitivity analysis, and when the colour theme changes. The buttons ask the host to open the pruned model, to
 * show the sparsity overlay on the source model's graph, to run the sensitivity analysis (busy while it runs) and to
 * prune again with fine-tuning.
 * Open sections, the layer table's sort and the scroll position live in the webview state.
 */
import '../shared/base.css';
import 'uplot/dist/uPlot.min.css';
import '../shared/report.css';
import '../shared/report-table.css';
import '../shared/report-compare.css';
import './prune.css';
import type { PruneReportChannel, PruneReportSnapshot } from '../../src/protocol/prune-panel';
import { h, replaceChildren } from '../shared/dom';
import { startReportApp } from '../shared/report-app';
import { errorInfoOf, showFailure, watchTheme } from '../shared/report-shell';
import { destroyCharts } from '../shared/chart';
import { renderPrune, type PruneActions } from './prune-view';
import { DEFAULT_VIEW_STATE, type PruneViewState } from './view-state';

const app = startReportApp<PruneViewState, PruneReportChannel>(DEFAULT_VIEW_STATE);
const { store, client, failureSlot } = app;
const busySlot = h('div', { class: 'busy-slot' });
let current: PruneReportSnapshot | undefined;
let busy = false;

const fail = (what: string) => (e: unknown) => showFailure(failureSlot, errorInfoOf(e), what);

const actions: PruneActions = {
  copyJson: () => client.request('copyJson', null),
  saveJson: () => client.request('saveJson', null),
  openOutput: () => void client.request('openOutput', null).catch(fail('Could not open the pruned model')),
  showOverlay: () => void client.request('showOverlay', null).catch(fail('Could not show the sparsity in the graph')),
  runSensitivity: () => {
    if (busy) return;
    replaceChildren(failureSlot);
    client.request('runSensitivity', null).catch(fail('The sensitivity analysis failed'));
  },
  finetune: () => {
    replaceChildren(failureSlot);
    client.request('finetune', null).catch(fail('The fine-tuning failed'));
  },
};

function render(snapshot: PruneReportSnapshot): void {
  current = snapshot;
  document.body.dataset.method = snapshot.result.method;
  document.body.dataset.sensitivity = snapshot.sensitivity ? 'ready' : 'none';
  document.body.dataset.finetune = snapshot.result.finetune ? 'ready' : 'none';
  app.show(() => {
    destroyCharts();
    return [busySlot, failureSlot, ...renderPrune(snapshot, store, actions, { busy }, () => render(snapshot))];
  });
}

function showBusy(on: boolean): void {
  busy = on;
  document.body.dataset.busy = on ? 'true' : 'false';
  if (on) replaceChildren(busySlot, h('div', { class: 'notice info busy' }, h('vscode-progress-ring', null), h('span', null, 'Running the sensitivity analysis…')));
  else replaceChildren(busySlot);
  if (current) render(current);
}

client.on('snapshot', (s) => {
  replaceChildren(failureSlot);
  render(s);
});
client.on('sensitivity', (result) => {
  if (!current) return;
  store.update({ open: { ...store.get().open, sensitivity: true } });
  render({ ...current, sensitivity: result });
  requestAnimationFrame(() => document.querySelector('[data-section="sensitivity"]')?.scrollIntoView({ block: 'start' }));
});
client.on('busy', showBusy);
client.on('failure', (e) => showFailure(failureSlot, e));
watchTheme(() => {
  if (current) render(current);
});

app.ready(render);
