/**
 * Entry of the Monitoring dashboard (ptp.monitor): ready → snapshot; re-rendered when the host pushes a re-run
 * (watch mode, Refresh) and when the colour theme changes. The open sections, the metric, the heatmap filter and
 * the selected cell live in the webview state.
 */
import '../shared/base.css';
import 'uplot/dist/uPlot.min.css';
import '../shared/report.css';
import '../shared/report-table.css';
import './monitor.css';
import type { MonitorChannel, MonitorSnapshot } from '../../src/protocol/monitor-panel';
import { destroyCharts } from '../shared/chart';
import { h, replaceChildren } from '../shared/dom';
import { startReportApp } from '../shared/report-app';
import { showFailure, watchTheme } from '../shared/report-shell';
import { renderDashboard, watchText, type DashboardActions } from './dashboard-view';
import { DEFAULT_MONITOR_STATE, type MonitorViewState } from './view-state';

const app = startReportApp<MonitorViewState, MonitorChannel>(DEFAULT_MONITOR_STATE);
const { store, client, failureSlot } = app;
let current: MonitorSnapshot | undefined;
const watchLabel = h('div', { class: 'subtitle muted watch-state', 'data-testid': 'watch', role: 'status' });

const actions: DashboardActions = {
  copyJson: () => client.request('copyJson', null),
  saveHtml: () => client.request('saveHtml', null),
  toggleWatch: () => client.request('toggleWatch', null),
  refresh: () => client.request('refresh', null),
  runRetraining: () => client.request('runRetraining', null),
};

function render(snapshot: MonitorSnapshot): void {
  current = snapshot;
  watchLabel.textContent = watchText(snapshot.watch);
  document.body.dataset.watch = String(snapshot.watch.on);
  app.show(() => {
    destroyCharts();
    replaceChildren(failureSlot);
    return [failureSlot, ...renderDashboard(snapshot, store, actions, watchLabel)];
  });
}

client.on('snapshot', render);
client.on('failure', (e) => showFailure(failureSlot, e, 'The last monitoring run failed'));
client.on('watch', (w) => {
  if (current) current = { ...current, watch: w };
  watchLabel.textContent = watchText(w);
  document.body.dataset.watch = String(w.on);
  const b = document.querySelector('[data-action="toggle-watch"]');
  if (b) b.textContent = w.on ? 'Stop Watching' : 'Watch';
});
watchTheme(() => {
  if (current) render(current);
});

app.ready(render, 'The monitoring result could not be shown');
