/**
 * Entry of the Quantization / Optimization report panel (ptp.quantization): ready → snapshot; re-rendered when
 * the host pushes a re-run (Re-quantize, the graph's "Exclude from quantization"); a busy bar while a re-run
 * goes; failures of re-runs as a dismissible notice above the last result. Open sections, the node table's
 * sort and the scroll position live in the webview state.
 */
import '../shared/base.css';
import '../shared/report.css';
import '../shared/report-table.css';
import '../shared/report-compare.css';
import './quantize.css';
import type { QuantizeReportChannel, QuantizeReportSnapshot } from '../../src/protocol/quantize-panel';
import { h, replaceChildren, type Child } from '../shared/dom';
import { startReportApp } from '../shared/report-app';
import { showFailure } from '../shared/report-shell';
import { renderOptimize } from './optimize-view';
import { renderQuantize, type QuantizeActions } from './quantize-view';
import { DEFAULT_VIEW_STATE, type ReportViewState } from './view-state';

const app = startReportApp<ReportViewState, QuantizeReportChannel>(DEFAULT_VIEW_STATE);
const { store, client, failureSlot } = app;
const busySlot = h('div', { class: 'busy-slot' });
let current: QuantizeReportSnapshot | undefined;
/** The node table's checked exclusions; reset to the result's exclusions whenever a new result arrives. */
let excluded = new Set<string>();

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
  document.body.dataset.mode = snapshot.kind;
  app.show(() => [busySlot, failureSlot, ...content(snapshot)]);
}

function showBusy(on: boolean): void {
  document.body.dataset.busy = on ? 'true' : 'false';
  if (on) replaceChildren(busySlot, h('div', { class: 'notice info busy' }, h('vscode-progress-ring', null), h('span', null, 'Quantizing again…')));
  else replaceChildren(busySlot);
}

client.on('snapshot', (s) => render(s));
client.on('failure', (e) => showFailure(failureSlot, e, 'The last run failed'));
client.on('busy', showBusy);

app.ready((s) => render(s));
