/** One graph optimization (worker op `optimize`): node count and size before/after, per-pass changes and verification, onnxruntime stage, op histogram. */
import type { OptimizeResult } from '../../src/protocol/optimize';
import { h, type Child } from '../shared/dom';
import { dataGrid, type Column } from '../shared/grid';
import { formatBytes, formatCount, formatNumber } from '../shared/format';
import { pageHeader, type HeaderActions } from '../shared/report-header';
import { facts } from '../shared/run-details';
import { section } from '../shared/section';
import type { EvaluationStore } from '../shared/report-view-state';
import type { ReportStore } from './view-state';

const PASS_COLUMNS: readonly Column[] = [
  { title: 'Pass', min: '16em', grow: 1.4 },
  { title: 'Changes', min: '6em', numeric: true },
  { title: 'Verified', min: '9em' },
  { title: 'Max |difference|', min: '9em', numeric: true },
  { title: 'Note', min: '12em', grow: 1.4 },
];

const HISTOGRAM_COLUMNS: readonly Column[] = [
  { title: 'Op', min: '12em', grow: 1.4 },
  { title: 'Before', min: '6em', numeric: true },
  { title: 'After', min: '6em', numeric: true },
  { title: 'Change', min: '6em', numeric: true },
];

function verdict(verified: boolean, rejected = false): HTMLElement {
  return h('span', { class: `verdict ${rejected ? 'worse' : verified ? 'better' : 'same'}` }, rejected ? '✗ rejected' : verified ? '✓ verified' : '? not verified');
}

function diff(v: number | null): string {
  return v === null ? '—' : formatNumber(v);
}

export function renderOptimize(r: OptimizeResult, store: ReportStore, actions: HeaderActions): Child[] {
  const s = store as unknown as EvaluationStore;
  const name = r.model.split(/[\\/]/).pop() ?? r.model;
  const passes = r.passes.map((p) => [
    h('span', { class: 'mono', 'data-pass': p.name }, p.name),
    formatCount(p.changes),
    verdict(p.verified, p.rejected),
    diff(p.max_abs_diff),
    p.message ? h('span', { class: 'muted' }, p.message) : '',
  ]);
  const count = (hist: Readonly<Record<string, number>>, k: string) => hist[k] ?? 0;
  const keys = [...new Set([...Object.keys(r.op_histogram_before), ...Object.keys(r.op_histogram_after)])].sort(
    (x, y) => Math.max(count(r.op_histogram_before, y), count(r.op_histogram_after, y)) - Math.max(count(r.op_histogram_before, x), count(r.op_histogram_after, x)) || x.localeCompare(y),
  );
  const histogram = keys.map((key) => {
    const b = count(r.op_histogram_before, key);
    const a = count(r.op_histogram_after, key);
    const d = a - b;
    return [
      h('span', { class: 'mono', 'data-op': key }, key.startsWith('ai.onnx::') ? key.slice('ai.onnx::'.length) : key),
      formatCount(b),
      formatCount(a),
      h('span', { class: `delta ${d < 0 ? 'better' : d > 0 ? 'worse' : 'same'}` }, d === 0 ? '0' : d > 0 ? `+${d}` : `−${-d}`),
    ];
  });
  const v = r.verification;
  const warnings = r.warnings.length;
  return [
    pageHeader(`Optimization: ${name}`, h('span', { class: 'path' }, `→ ${r.output.split(/[\\/]/).pop() ?? r.output}`), actions),
    facts(
      [
        ['Nodes', h('strong', { 'data-testid': 'node-count' }, `${formatCount(r.node_count_before)} → ${formatCount(r.node_count_after)}`)],
        ['File size', h('span', { 'data-testid': 'opt-size' }, `${formatBytes(r.size_bytes_before)} → ${formatBytes(r.size_bytes_after)}`)],
        ['Output difference', h('span', { 'data-testid': 'max-abs-diff' }, r.max_abs_diff === null ? 'not compared' : `max |Δ| ${formatNumber(r.max_abs_diff)}`)],
        ['Verification', v.available ? `${v.outputs.length} output${v.outputs.length === 1 ? '' : 's'} on sample inputs (seed ${v.seed}, symbolic dims = ${v.symbolic_dim_value}, atol ${v.atol}, rtol ${v.rtol})` : 'the model could not be run on sample inputs'],
        ['Rounds', formatCount(r.rounds)],
        ['onnxruntime level', r.level ?? 'none'],
        ['Output', h('span', { class: 'path' }, r.output)],
      ],
      { 'data-testid': 'optimize-facts' },
    ),
    section(s, 'passes', 'Passes', [h('div', { 'data-testid': 'pass-table' }, dataGrid('Passes', PASS_COLUMNS, passes))]),
    ...(r.ort
      ? [section(s, 'ort', `onnxruntime (${r.ort.level})`, [facts([
          ['Applied', r.ort.applied ? 'yes' : 'no'],
          ['Verified', verdict(r.ort.verified, !r.ort.applied)],
          ['Max |difference|', diff(r.ort.max_abs_diff)],
          ...(r.ort.message ? ([['Note', r.ort.message]] as [string, string][]) : []),
        ])])]
      : []),
    section(s, 'ops', 'Operators before and after', [h('div', { 'data-testid': 'op-histogram' }, dataGrid('Operator histogram', HISTOGRAM_COLUMNS, histogram))]),
    section(s, 'warnings', `Warnings (${warnings})`, warnings ? [h('ul', { class: 'plan' }, ...r.warnings.map((w) => h('li', null, w)))] : [h('p', { class: 'muted' }, 'None.')], warnings > 0),
  ];
}
