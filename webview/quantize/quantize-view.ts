/**
 * One quantization (worker op `quantize`): header, size before/after, metrics before/after with deltas,
 * prediction agreement, latency before/after, the per-node error table with the closed loop (exclude →
 * Re-quantize), skipped nodes and warnings.
 */
import type { QuantizeResult } from '../../src/protocol/quantize';
import { h, type Child } from '../shared/dom';
import { dataGrid, type Column } from '../shared/grid';
import { formatBytes, formatCount } from '../shared/format';
import { pageHeader, type HeaderActions } from '../shared/report-header';
import { exactMetric, formatDate, formatDelta, formatMetric, formatPercent } from '../shared/metric-format';
import { metricRows } from '../shared/metric-names';
import { facts } from '../shared/run-details';
import { section } from '../shared/section';
import type { EvaluationStore } from '../shared/report-view-state';
import { latencyTable, listContent, type Sides } from '../shared/compare-tables';
import { nodesTable, type NodeTableActions } from './nodes-table';
import { deltaClass, formatRatio } from '../shared/report-format';
import type { ReportStore } from './view-state';

export interface QuantizeActions extends HeaderActions, NodeTableActions {}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

const MODE_NAMES: Readonly<Record<QuantizeResult['mode'], string>> = {
  dynamic: 'dynamic int8',
  static: 'static int8 (QDQ)',
  fp16: 'float16',
  int4: 'int4 weight-only',
};

/** The headline metric (accuracy, or r2 for regression) before → after with its change, for the top facts. */
function headlineFact(r: QuantizeResult): [string, HTMLElement] | null {
  const key = r.task === 'regression' ? 'r2' : 'accuracy';
  const b = (r.metrics_before as unknown as Record<string, unknown> | null | undefined)?.[key];
  const a = (r.metrics_after as unknown as Record<string, unknown> | null | undefined)?.[key];
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  const d = a - b;
  return [
    key === 'r2' ? 'R² before → after' : 'Accuracy before → after',
    h(
      'strong',
      { 'data-testid': `headline-${key}` },
      `${formatMetric(b)} → ${formatMetric(a)} `,
      h('span', { class: `delta ${deltaClass(key, d)}`, 'data-testid': `headline-delta-${key}` }, `(${formatDelta(d)})`),
    ),
  ];
}

function sizeFacts(r: QuantizeResult): HTMLElement {
  const headline = headlineFact(r);
  return facts(
    [
      ...(headline ? [headline] : []),
      ['File size before', h('span', { 'data-testid': 'size-before', title: `${formatCount(r.size_bytes_before)} bytes` }, formatBytes(r.size_bytes_before))],
      ['File size after', h('span', { 'data-testid': 'size-after', title: `${formatCount(r.size_bytes_after)} bytes` }, formatBytes(r.size_bytes_after))],
      ['Size ratio', h('strong', { 'data-testid': 'size-ratio' }, formatRatio(r.size_bytes_before, r.size_bytes_after))],
      ['Replaced weights', `${formatBytes(r.weight_bytes_before)} → ${formatBytes(r.weight_bytes_after)} (${formatRatio(r.weight_bytes_before, r.weight_bytes_after)})`],
      ['Quantized nodes', h('span', { 'data-testid': 'quantized-nodes' }, formatCount(r.quantized_nodes))],
      ['Skipped', formatCount(r.skipped.length)],
    ],
    { 'data-testid': 'size-facts' },
  );
}

const METRIC_COLUMNS: readonly Column[] = [
  { title: 'Metric', min: '14em', grow: 1.2 },
  { title: 'Before', min: '7em', numeric: true },
  { title: 'After', min: '7em', numeric: true },
  { title: 'Change', min: '7em', numeric: true },
  { title: 'scikit-learn', min: '12em', grow: 1.4 },
];

function metricsContent(r: QuantizeResult): Child[] {
  const out: Child[] = [];
  const agreement =
    r.agreement !== undefined
      ? facts(
          [
            [r.task === 'regression' ? 'Max |difference| of outputs' : 'Prediction agreement', h('strong', { 'data-testid': 'agreement' }, r.task === 'regression' ? formatMetric(r.max_abs_diff ?? r.agreement) : formatPercent(r.agreement, 2))],
            ['Rows', formatCount(r.samples ?? 0)],
            ['Data', h('span', { class: 'path' }, r.data ?? '')],
          ],
          { 'data-testid': 'agreement-facts' },
        )
      : null;
  if (agreement) out.push(agreement);
  if (!r.metrics_before || !r.metrics_after || !r.task) {
    out.push(h('p', { class: 'muted' }, r.data ? 'No metrics: the data has no labels (agreement only).' : 'No evaluation data was given: run Quantize Model… with evaluation data for the before/after report.'));
    return out;
  }
  const before = r.metrics_before as unknown as Readonly<Record<string, unknown>>;
  const after = r.metrics_after as unknown as Readonly<Record<string, unknown>>;
  const rows = metricRows(r.task, r.metrics_before).map((row) => {
    const a = typeof after[row.key] === 'number' ? (after[row.key] as number) : null;
    const b = typeof before[row.key] === 'number' ? (before[row.key] as number) : null;
    const delta = a !== null && b !== null ? a - b : null;
    const headline = row.key === 'accuracy' || row.key === 'r2';
    return [
      h('span', { class: `mono${headline ? ' headline' : ''}` }, row.key),
      h('span', { 'data-metric': row.key, 'data-when': 'before', title: `${row.key} = ${exactMetric(b)}` }, formatMetric(b)),
      h('span', { 'data-metric': row.key, 'data-when': 'after', title: `${row.key} = ${exactMetric(a)}`, class: headline ? 'headline' : null }, formatMetric(a)),
      h('span', { class: `delta ${deltaClass(row.key, delta)}`, 'data-testid': `delta-${row.key}`, title: exactMetric(delta) }, formatDelta(delta)),
      row.sklearn ? h('span', { class: 'mono muted' }, row.sklearn) : '',
    ];
  });
  out.push(h('div', { 'data-testid': 'metrics-table' }, dataGrid('Metrics before and after', METRIC_COLUMNS, rows)));
  return out;
}

const SIDES: Sides = { titles: ['Before', 'After'], when: ['before', 'after'] };

export function renderQuantize(r: QuantizeResult, store: ReportStore, actions: QuantizeActions, excluded: Set<string>, rerender: () => void): Child[] {
  const s = store as unknown as EvaluationStore;
  const recipe = r.recipe;
  const settings: [string, string | HTMLElement][] = [
    ['Mode', MODE_NAMES[r.mode]],
    ['Output', h('span', { class: 'path', 'data-testid': 'output' }, r.output)],
  ];
  if (r.mode === 'static') settings.push(['Calibration', r.calibration ? `${recipe.method}, ${formatCount(r.calibration.rows)} rows of ${baseName(r.calibration.file)}` : recipe.method]);
  if (r.mode === 'static' || r.mode === 'dynamic') settings.push(['Weight scales', recipe.per_channel ? 'per channel' : 'per tensor']);
  if (r.mode === 'int4') settings.push(['Block size', String(recipe.block_size)]);
  settings.push(['Excluded nodes', recipe.exclude.length ? recipe.exclude.join(', ') : 'none']);
  if (r.recipe_file) settings.push(['Recipe', h('span', { class: 'path' }, r.recipe_file)]);
  settings.push(['SQNR rows', formatCount(r.sqnr_rows)], ['ONNX Runtime', r.ort_version], ['Date', formatDate(r.created)]);
  const warnings = r.warnings.length;
  return [
    pageHeader(`Quantization: ${baseName(r.model)}`, h('span', { class: 'path' }, `${MODE_NAMES[r.mode]} → ${baseName(r.output)}`), actions),
    sizeFacts(r),
    section(s, 'metrics', 'Before and after', metricsContent(r)),
    section(s, 'nodes', `Per-node error (${r.nodes.length})`, [nodesTable(r.nodes, recipe.exclude, excluded, store, actions, rerender)]),
    section(s, 'latency', 'Latency', latencyTable(r.latency_before?.rows, r.latency_after?.rows, SIDES, 'Latency before and after')),
    section(s, 'settings', 'Settings', [facts(settings)], false),
    section(s, 'skipped', `Skipped nodes (${r.skipped.length})`, r.skipped.length ? [h('ul', { class: 'plan' }, ...r.skipped.map((n) => h('li', null, h('span', { class: 'mono' }, `${n.node} (${n.op_type})`), `: ${n.reason}`)))] : [h('p', { class: 'muted' }, 'None.')], false),
    section(s, 'warnings', `Warnings (${warnings})`, listContent(r.warnings, 'None.'), warnings > 0),
  ];
}
