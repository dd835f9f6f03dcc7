/** The metrics table (scikit-learn names, values, the matching scikit-learn call) and the per-class table. */
import type { EvaluateResult } from '../../src/protocol/evaluate';
import type { PerClassMetrics } from '../../src/protocol/report-types';
import { h } from '../shared/dom';
import { formatCount } from '../shared/format';
import { dataGrid, type Column } from '../shared/grid';
import { exactMetric, formatMetric } from '../shared/metric-format';
import { metricRows } from '../shared/metric-names';

const METRIC_COLUMNS: readonly Column[] = [
  { title: 'Metric', min: '16em', grow: 1.2 },
  { title: 'Value', min: '7em', grow: 0.6, numeric: true },
  { title: 'scikit-learn', min: '14em', grow: 1.6 },
];

/** A metric value cell with its stable hook: `<span data-metric="accuracy">0.98222</span>`. */
export function metricValue(key: string, value: number | null, extra: Record<string, string> = {}): HTMLElement {
  return h('span', { 'data-metric': key, title: `${key} = ${exactMetric(value)}`, ...extra }, formatMetric(value));
}

export function metricsTable(result: EvaluateResult): HTMLElement {
  if (!result.metrics) return h('p', { class: 'muted' }, 'No metrics: the data has no labels (predictions only).');
  const rows = metricRows(result.task, result.metrics).map((r) => [
    h('span', { class: 'mono' }, r.key),
    metricValue(r.key, r.value),
    r.sklearn ? h('span', { class: 'mono muted' }, r.sklearn) : '',
  ]);
  return dataGrid('Metrics', METRIC_COLUMNS, rows);
}

const PER_CLASS_COLUMNS: readonly Column[] = [
  { title: 'Class', min: '8em', grow: 1.2 },
  { title: 'precision', min: '7em', numeric: true },
  { title: 'recall', min: '7em', numeric: true },
  { title: 'f1', min: '7em', numeric: true },
  { title: 'support', min: '6em', numeric: true },
];

export function perClassTable(perClass: Readonly<Record<string, PerClassMetrics>>, classNames: readonly string[]): HTMLElement {
  const order = [...classNames.filter((n) => n in perClass), ...Object.keys(perClass).filter((n) => !classNames.includes(n))];
  const rows = order.map((name) => {
    const c = perClass[name]!;
    return [
      h('span', { class: 'name' }, name),
      h('span', { title: exactMetric(c.precision) }, formatMetric(c.precision)),
      h('span', { title: exactMetric(c.recall) }, formatMetric(c.recall)),
      h('span', { title: exactMetric(c.f1) }, formatMetric(c.f1)),
      formatCount(c.support),
    ];
  });
  return dataGrid('Per-class metrics', PER_CLASS_COLUMNS, rows);
}
