/**
 * The Monitoring dashboard: header (what is monitored, Copy JSON, Save HTML…, Watch, Refresh, Run Retraining),
 * dataset drift over time, the per-feature drift heatmap with the distribution of a clicked cell, realized vs
 * estimated performance (metric picker; reference band; sampling-error whiskers), latency and error rate when the
 * current data is a request log, the alerts and the assumptions/warnings. Everything from the data is text.
 */
import { MONITOR_METRICS, type MonitorMetric, type MonitorResult } from '../../src/protocol/monitor';
import type { MonitorSnapshot, WatchState } from '../../src/protocol/monitor-panel';
import type { ExportOutcome } from '../../src/protocol/webview';
import { chart, type XYSeries } from '../shared/chart';
import { h, replaceChildren, type Child } from '../shared/dom';
import { button } from '../shared/report-header';
import { section } from '../shared/section';
import { heatmap } from './heatmap';
import { chunkTitle } from './heatmap-rows';
import type { MonitorStore } from './view-state';

export interface DashboardActions {
  copyJson(): Promise<ExportOutcome>;
  saveHtml(): Promise<ExportOutcome>;
  toggleWatch(): Promise<WatchState>;
  refresh(): Promise<null>;
  runRetraining(): Promise<{ readonly started: string }>;
}

export function watchText(w: WatchState): string {
  return w.on ? `Watching: every ${w.seconds} s (last run ${new Date(w.lastRun).toLocaleTimeString()})` : `Last run ${new Date(w.lastRun).toLocaleTimeString()}`;
}

function header(s: MonitorSnapshot, actions: DashboardActions, watchLabel: HTMLElement): HTMLElement {
  const status = h('span', { class: 'export-status muted', role: 'status', 'aria-live': 'polite' });
  const run = <T>(what: () => Promise<T>, done: (o: T) => string) => {
    status.textContent = '';
    what().then(
      (o) => (status.textContent = done(o)),
      (e: unknown) => (status.textContent = `Failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const watch = button(s.watch.on ? 'Stop Watching' : 'Watch', 'toggle-watch', () =>
    run(actions.toggleWatch, (w) => {
      watch.textContent = w.on ? 'Stop Watching' : 'Watch';
      watchLabel.textContent = watchText(w);
      return w.on ? `Watching every ${w.seconds} s` : 'Watch stopped';
    }),
  );
  const retrain = button('Run Retraining', 'run-retraining', () => run(actions.runRetraining, (r) => `Started ${r.started}`));
  if (!s.retraining) {
    retrain.setAttribute('disabled', '');
    retrain.setAttribute('title', 'Set ptp.monitor.onAlert to a task name or "shell: <command>"');
  } else retrain.setAttribute('title', `Runs ${s.retraining}`);
  const r = s.result;
  return h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      { class: 'title' },
      h('h1', null, 'Monitoring'),
      h('div', { class: 'subtitle muted' }, s.label),
      h('div', { class: 'subtitle muted' }, `reference ${r.reference.file} (${r.reference.rows} rows) · current ${r.current.file} (${r.current.kind === 'request-log' ? 'request log, ' : ''}${r.current.rows} rows) · ${r.chunks.length} chunks`),
      watchLabel,
    ),
    h(
      'div',
      { class: 'actions' },
      status,
      watch,
      button('Refresh', 'refresh', () => run(actions.refresh, () => 'Refreshed')),
      retrain,
      button('Copy JSON', 'copy-json', () => run(actions.copyJson, () => 'Copied to the clipboard')),
      button('Save HTML…', 'save-html', () => run(actions.saveHtml, (o) => (o.done ? `Saved ${o.file ?? ''}` : ''))),
    ),
  );
}

const xs = (r: MonitorResult) => r.chunks.map((c) => c.index + 1);

function driftOverTime(r: MonitorResult): Child[] {
  const drifted = r.chunks.filter((c) => c.drift.dataset_drift);
  const series: XYSeries[] = [
    { label: 'share of drifted columns', x: xs(r), y: r.chunks.map((c) => c.drift.share_of_drifted_columns), style: 'line-points', colorIndex: 0 },
    { label: 'dataset drift at', x: xs(r), y: r.chunks.map((c) => c.drift.drift_share), style: 'reference' },
  ];
  if (drifted.length) series.push({ label: 'chunks with dataset drift', x: drifted.map((c) => c.index + 1), y: drifted.map((c) => c.drift.share_of_drifted_columns), style: 'points', colorIndex: 3 });
  const marks = h(
    'ol',
    { class: 'chunk-marks', 'data-testid': 'dataset-drift' },
    ...r.chunks.map((c) => h('li', { class: c.drift.dataset_drift ? 'drift' : 'ok', title: chunkTitle(c), 'data-chunk': c.index, 'data-dataset-drift': c.drift.dataset_drift }, `${c.index + 1}: ${c.drift.drifted_columns}/${c.drift.columns.length}${c.drift.dataset_drift ? ' — dataset drift' : ''}`)),
  );
  return [chart({ id: 'dataset-drift', title: 'Share of drifted columns per chunk', xLabel: 'chunk', yLabel: 'share', series, yRange: [0, 1], height: 220 }), marks];
}

function availableMetrics(r: MonitorResult): MonitorMetric[] {
  return MONITOR_METRICS.filter((m) => r.chunks.some((c) => (c.realized?.[m] ?? null) !== null || (c.estimated?.[m] ?? null) !== null));
}

function performance(r: MonitorResult, store: MonitorStore): Child[] {
  const metrics = availableMetrics(r);
  if (!metrics.length) return [h('p', { class: 'muted' }, r.model ? 'No labels in the current data and no estimate (CBPE needs a classifier and a labelled reference).' : 'Give a model to see the performance.')];
  const saved = store.get().metric;
  const metric = metrics.includes(saved) ? saved : metrics.includes('accuracy') ? 'accuracy' : metrics[0]!;
  const box = h('div', { class: 'performance-chart' });
  const select = h('select', { 'aria-label': 'Metric', class: 'metric-picker' }, ...metrics.map((m) => h('option', { value: m, selected: m === metric }, m)));
  const draw = (m: MonitorMetric) => {
    const pick = (get: (c: MonitorResult['chunks'][number]) => number | null | undefined) => {
      const pts = r.chunks.map((c) => ({ x: c.index + 1, y: get(c) })).filter((p): p is { x: number; y: number } => typeof p.y === 'number' && Number.isFinite(p.y));
      return pts;
    };
    const series: XYSeries[] = [];
    const realized = pick((c) => c.realized?.[m]);
    if (realized.length) series.push({ label: `realized ${m}`, x: realized.map((p) => p.x), y: realized.map((p) => p.y), style: 'line-points', colorIndex: 0 });
    const est = r.chunks.filter((c) => typeof c.estimated?.[m] === 'number');
    if (est.length) {
      series.push({
        label: `estimated ${m} (CBPE) ± sampling error`,
        x: est.map((c) => c.index + 1),
        y: est.map((c) => c.estimated![m] as number),
        errors: est.map((c) => c.estimated!.sampling_error[m] ?? 0),
        style: 'line-points',
        colorIndex: 1,
      });
    }
    const band = r.reference.bands[m];
    const all = xs(r);
    if (band) {
      series.push({ label: 'reference mean', x: all, y: all.map(() => band.mean), style: 'reference' });
      if (band.lower !== null) series.push({ label: 'lower bound', x: all, y: all.map(() => band.lower as number), style: 'reference' });
      if (band.upper !== null) series.push({ label: 'upper bound', x: all, y: all.map(() => band.upper as number), style: 'reference' });
    }
    replaceChildren(box, chart({ id: 'performance', title: `${m} per chunk`, xLabel: 'chunk', yLabel: m, series, height: 240 }));
  };
  select.addEventListener('change', () => {
    const m = select.value as MonitorMetric;
    store.update({ metric: m });
    draw(m);
  });
  draw(metric);
  return [h('label', { class: 'metric-label' }, 'Metric ', select), box];
}

function latency(r: MonitorResult): Child[] | null {
  const chunks = r.chunks.filter((c) => c.latency);
  if (!chunks.length) return null;
  const x = chunks.map((c) => c.index + 1);
  return [
    chart({
      id: 'latency',
      title: 'Latency per chunk (ms)',
      xLabel: 'chunk',
      yLabel: 'ms',
      series: [
        { label: 'p50', x, y: chunks.map((c) => c.latency!.p50_ms), style: 'line-points', colorIndex: 0 },
        { label: 'p99', x, y: chunks.map((c) => c.latency!.p99_ms), style: 'line-points', colorIndex: 1 },
      ],
      height: 200,
    }),
    chart({ id: 'error-rate', title: 'Error rate per chunk', xLabel: 'chunk', yLabel: 'share of failed requests', series: [{ label: 'error rate', x, y: chunks.map((c) => c.latency!.error_rate), style: 'line-points', colorIndex: 3 }], yRange: [0, 1], height: 180 }),
  ];
}

function alerts(r: MonitorResult): Child[] {
  const items = r.chunks.flatMap((c) => c.alerts.map((a) => ({ c, a })));
  if (!items.length) return [h('p', { class: 'muted', 'data-testid': 'no-alerts' }, 'No alerts.')];
  return [
    h(
      'table',
      { class: 'report-table alerts', 'data-testid': 'alerts' },
      h('thead', null, h('tr', null, h('th', null, 'chunk'), h('th', null, 'kind'), h('th', null, 'metric'), h('th', null, 'value'), h('th', null, 'message'))),
      h(
        'tbody',
        null,
        ...items.map(({ c, a }) =>
          h(
            'tr',
            { 'data-kind': a.kind, 'data-metric': a.metric },
            h('td', { title: chunkTitle(c) }, String(c.index + 1)),
            h('td', null, a.kind),
            h('td', null, a.metric),
            h('td', { class: 'num' }, typeof a.value === 'number' ? String(Number(a.value.toPrecision(4))) : String(a.value)),
            h('td', null, a.message),
          ),
        ),
      ),
    ),
  ];
}

function notes(r: MonitorResult): Child[] {
  const list = (items: readonly string[]) => h('ul', null, ...items.map((t) => h('li', null, t)));
  const extra: string[] = [];
  if (r.current.skipped_lines) extra.push(`${r.current.skipped_lines} lines of the request log were not records and were skipped.`);
  if (r.current.requests_without_features) extra.push(`${r.current.requests_without_features} requests had no logged inputs.`);
  return [
    r.assumptions.length ? h('div', { 'data-testid': 'assumptions' }, h('h3', null, 'Assumptions'), list(r.assumptions)) : null,
    r.warnings.length || extra.length ? h('div', { 'data-testid': 'warnings' }, h('h3', null, 'Warnings'), list([...r.warnings, ...extra])) : null,
    !r.assumptions.length && !r.warnings.length && !extra.length ? h('p', { class: 'muted' }, 'None.') : null,
  ];
}

export function renderDashboard(s: MonitorSnapshot, store: MonitorStore, actions: DashboardActions, watchLabel: HTMLElement): Child[] {
  const r = s.result;
  const lat = latency(r);
  return [
    header(s, actions, watchLabel),
    h('p', { class: `summary ${r.alerts ? 'alerting' : ''}`, 'data-testid': 'summary' }, r.alerts ? `${r.alerts} alert${r.alerts === 1 ? '' : 's'} over ${r.chunks.length} chunks` : `No alerts over ${r.chunks.length} chunks`),
    section(store, 'dataset-drift', 'Dataset drift over time', driftOverTime(r)),
    section(store, 'heatmap', 'Drift per feature', [heatmap(r, store)]),
    section(store, 'performance', 'Performance: realized and estimated', performance(r, store)),
    lat ? section(store, 'latency', 'Latency and errors', lat) : null,
    section(store, 'alerts', `Alerts (${r.alerts})`, alerts(r)),
    section(store, 'notes', 'Assumptions and warnings', notes(r)),
  ];
}
