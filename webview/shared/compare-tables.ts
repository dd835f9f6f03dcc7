/**
 * Two models side by side, as the pruning and quantization (before / after) and distillation (teacher / student)
 * reports show them: the headline metric, the metrics table with changes, and latency per batch size. Builds DOM from text only.
 */
import type { BenchRow } from '../../src/protocol/evaluate';
import { h, type Child } from './dom';
import { dataGrid, type Column } from './grid';
import { formatCount } from './format';
import { exactMetric, formatDelta, formatMetric, formatMs } from './metric-format';
import { metricRows } from './metric-names';
import { deltaClass, formatRatio } from './report-format';

/** Names of the two sides: ['Before', 'After'] or ['Teacher', 'Student']; `when` values go to `data-when`. */
export interface Sides {
  readonly titles: readonly [string, string];
  readonly when: readonly [string, string];
}

type Task = 'classification' | 'regression';

function value(metrics: object | null | undefined, key: string): number | null {
  const v = (metrics as Readonly<Record<string, unknown>> | null | undefined)?.[key];
  return typeof v === 'number' ? v : null;
}

/** The headline metric key of a task: accuracy, or r2 for regression. */
export function headlineKey(task: Task | undefined): 'accuracy' | 'r2' {
  return task === 'regression' ? 'r2' : 'accuracy';
}

/** "0.97556 → 0.97333 (−0.0022)" for the facts grid; null without both metrics. */
export function headlineFact(task: Task | undefined, a: object | null | undefined, b: object | null | undefined, sides: Sides): [string, HTMLElement] | null {
  const key = headlineKey(task);
  const first = value(a, key);
  const second = value(b, key);
  if (first === null || second === null) return null;
  const d = second - first;
  return [
    `${key === 'r2' ? 'R²' : 'Accuracy'} ${sides.titles[0].toLowerCase()} → ${sides.titles[1].toLowerCase()}`,
    h(
      'strong',
      { 'data-testid': `headline-${key}` },
      h('span', { 'data-metric': key, 'data-when': sides.when[0] }, formatMetric(first)),
      ' → ',
      h('span', { 'data-metric': key, 'data-when': sides.when[1] }, formatMetric(second)),
      ' ',
      h('span', { class: `delta ${deltaClass(key, d)}`, 'data-testid': `headline-delta-${key}` }, `(${formatDelta(d)})`),
    ),
  ];
}

/** Every scalar metric of both sides with the change; `empty` when either side has none. */
export function metricsTable(task: Task | undefined, a: object | null | undefined, b: object | null | undefined, sides: Sides, empty: string): Child[] {
  if (!task || !a || !b) return [h('p', { class: 'muted' }, empty)];
  const columns: readonly Column[] = [
    { title: 'Metric', min: '14em', grow: 1.2 },
    { title: sides.titles[0], min: '7em', numeric: true },
    { title: sides.titles[1], min: '7em', numeric: true },
    { title: 'Change', min: '7em', numeric: true },
    { title: 'scikit-learn', min: '12em', grow: 1.4 },
  ];
  const rows = metricRows(task, a).map((row) => {
    const first = value(a, row.key);
    const second = value(b, row.key);
    const delta = first !== null && second !== null ? second - first : null;
    return [
      h('span', { class: 'mono' }, row.key),
      h('span', { 'data-metric': row.key, 'data-when': sides.when[0], title: `${row.key} = ${exactMetric(first)}` }, formatMetric(first)),
      h('span', { 'data-metric': row.key, 'data-when': sides.when[1], title: `${row.key} = ${exactMetric(second)}` }, formatMetric(second)),
      h('span', { class: `delta ${deltaClass(row.key, delta)}`, 'data-testid': `delta-${row.key}`, title: exactMetric(delta) }, formatDelta(delta)),
      row.sklearn ? h('span', { class: 'mono muted' }, row.sklearn) : '',
    ];
  });
  return [h('div', { 'data-testid': 'metrics-table' }, dataGrid(`Metrics, ${sides.titles.join(' and ').toLowerCase()}`, columns, rows))];
}

/** p50 of the first measured batch size of both sides: "0.0312 ms → 0.0201 ms (1.55×)"; null when not measured. */
export function latencyFact(a: readonly BenchRow[] | undefined, b: readonly BenchRow[] | undefined): HTMLElement | null {
  const first = a?.[0];
  const second = first ? b?.find((r) => r.batch_size === first.batch_size && r.threads === first.threads) : undefined;
  if (!first || !second) return null;
  const speedup = second.p50_ms > 0 ? first.p50_ms / second.p50_ms : null;
  return h(
    'span',
    { 'data-testid': 'latency-p50', title: `batch size ${first.batch_size}` },
    `${formatMs(first.p50_ms)} → ${formatMs(second.p50_ms)}`,
    speedup === null ? '' : h('span', { class: `delta ${speedClass(speedup)}` }, ` (${speedup.toFixed(2)}×)`),
  );
}

function speedClass(speedup: number): 'better' | 'worse' | 'same' {
  return speedup >= 1.05 ? 'better' : speedup <= 0.95 ? 'worse' : 'same';
}

/** Latency per batch size of both sides, with the speed-up, in a grid labelled `title`. */
export function latencyTable(a: readonly BenchRow[] | undefined, b: readonly BenchRow[] | undefined, sides: Sides, title = 'Latency'): Child[] {
  if (!a?.length || !b?.length) return [h('p', { class: 'muted' }, 'Latency was not measured.')];
  const columns: readonly Column[] = [
    { title: 'Batch size', min: '7em', numeric: true },
    { title: 'Threads', min: '6em', numeric: true },
    { title: `p50 ${sides.titles[0].toLowerCase()}`, min: '8em', numeric: true },
    { title: `p50 ${sides.titles[1].toLowerCase()}`, min: '8em', numeric: true },
    { title: 'Speed-up', min: '7em', numeric: true },
  ];
  const rows = a.map((x) => {
    const y = b.find((r) => r.batch_size === x.batch_size && r.threads === x.threads);
    const speedup = y && y.p50_ms > 0 ? x.p50_ms / y.p50_ms : null;
    return [
      formatCount(x.batch_size),
      x.threads === 0 ? 'default' : formatCount(x.threads),
      formatMs(x.p50_ms),
      y ? formatMs(y.p50_ms) : '—',
      h('span', { class: `delta ${speedup === null ? 'same' : speedClass(speedup)}` }, speedup === null ? '—' : `${speedup.toFixed(2)}×`),
    ];
  });
  return [
    h('div', { 'data-testid': 'latency-table' }, dataGrid(title, columns, rows)),
    h('p', { class: 'muted small' }, 'session.run on generated inputs, same threads and batch sizes for both models.'),
  ];
}

/** "1.94× smaller" / "1.2× larger", or "unchanged" when both sizes are equal. */
export function sizeChange(before: number, after: number): string {
  return before === after ? 'unchanged' : formatRatio(before, after);
}

/** A list of messages, or `empty` in muted text. */
export function listContent(items: readonly string[], empty: string, cls = ''): Child[] {
  return items.length ? [h('ul', { class: `plan ${cls}`.trim() }, ...items.map((w) => h('li', null, w)))] : [h('p', { class: 'muted' }, empty)];
}
