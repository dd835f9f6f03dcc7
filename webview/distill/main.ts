/**
 * Entry of the Distillation report panel (ptp.distillation): ready → snapshot; re-rendered when the host pushes a
 * new run and when the colour theme changes. Open sections and the scroll position live in the webview state.
 */
import '../shared/base.css';
import 'uplot/dist/uPlot.min.css';
import '../shared/report.css';
import '../shared/report-compare.css';
import type { DistillReportChannel, DistillReportSnapshot } from '../../src/protocol/distill-panel';
import { replaceChildren } from '../shared/dom';
import { startReportApp } from '../shared/report-app';
import { errorInfoOf, showFailure, watchTheme } from '../shared/report-shell';
import { destroyCharts } from '../shared/chart';
import { renderDistill, type DistillActions } from './distill-view';
import { DEFAULT_VIEW_STATE, type DistillViewState } from './view-state';

const app = startReportApp<DistillViewState, DistillReportChannel>(DEFAULT_VIEW_STATE);
const { store, client, failureSlot } = app;
let current: DistillReportSnapshot | undefined;

const actions: DistillActions = {
  copyJson: () => client.request('copyJson', null),
  saveJson: () => client.request('saveJson', null),
  openStudent: () => void client.request('openStudent', null).catch((e: unknown) => showFailure(failureSlot, errorInfoOf(e), 'Could not open the student model')),
};

function render(snapshot: DistillReportSnapshot): void {
  current = snapshot;
  document.body.dataset.task = snapshot.result.task;
  app.show(() => {
    destroyCharts();
    return [failureSlot, ...renderDistill(snapshot.result, store, actions)];
  });
}

client.on('snapshot', (s) => {
  replaceChildren(failureSlot);
  render(s);
});
watchTheme(() => {
  if (current) render(current);
});

app.ready(render);
