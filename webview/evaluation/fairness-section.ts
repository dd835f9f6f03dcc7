/**
 * Fairness per sensitive column (fairlearn's definitions): a per-group table (n, selection rate, TPR, FPR,
 * accuracy, each with its bootstrap interval when present) and the four aggregate metrics with intervals.
 */
import type { AggregateMetricName, FairnessReport, GroupMetrics, Interval } from '../../src/protocol/report-types';
import { h, type Child } from '../shared/dom';
import { formatCount } from '../shared/format';
import { dataGrid, type Column } from '../shared/grid';
import { exactMetric, formatInterval, formatMetric } from '../shared/metric-format';

const RATES = ['selection_rate', 'tpr', 'fpr', 'accuracy'] as const;
type Rate = (typeof RATES)[number];

const AGGREGATES: readonly { key: AggregateMetricName; fairlearn: string }[] = [
  { key: 'demographic_parity_difference', fairlearn: 'max − min selection rate' },
  { key: 'demographic_parity_ratio', fairlearn: 'min / max selection rate' },
  { key: 'equalized_odds_difference', fairlearn: 'max of the TPR and FPR differences' },
  { key: 'equalized_odds_ratio', fairlearn: 'min of the TPR and FPR ratios' },
];

const GROUP_COLUMNS: readonly Column[] = [
  { title: 'Group', min: '8em', grow: 1.2 },
  { title: 'n', min: '5em', grow: 0.5, numeric: true },
  ...RATES.map((r): Column => ({ title: r, min: '10em', numeric: true })),
];

function withInterval(value: number | null, ci: Interval | null | undefined, hasCi: boolean): Child[] {
  const v = h('span', { title: exactMetric(value) }, formatMetric(value));
  return hasCi ? [v, ' ', h('span', { class: 'ci muted', title: '95% bootstrap interval' }, formatInterval(ci))] : [v];
}

function groupRow(name: Child, g: GroupMetrics, ci: Partial<Record<Rate, Interval | null>> | undefined, hasCi: boolean): Child[][] {
  return [[name], [formatCount(g.n)], ...RATES.map((r) => withInterval(g[r], ci?.[r], hasCi))];
}

export function fairnessBlock(column: string, report: FairnessReport): HTMLElement {
  const hasCi = report.ci_by_group !== undefined;
  const groups = Object.keys(report.by_group);
  const rows = [
    ...groups.map((g) => groupRow(h('span', { class: 'name' }, g), report.by_group[g]!, report.ci_by_group?.[g], hasCi)),
    groupRow(h('strong', null, 'overall'), report.overall, undefined, false),
  ];
  const aggregates = AGGREGATES.map(({ key, fairlearn }) =>
    h(
      'div',
      { class: 'fact' },
      h('dt', null, h('span', { class: 'mono' }, key)),
      h(
        'dd',
        null,
        h('span', { 'data-fairness': `${column}.${key}`, title: exactMetric(report[key]) }, formatMetric(report[key])),
        report.ci ? h('span', { class: 'ci muted', title: '95% bootstrap interval' }, ' ', formatInterval(report.ci[key])) : null,
        h('div', { class: 'muted small' }, fairlearn),
      ),
    ),
  );
  return h(
    'div',
    { class: 'fairness-block', 'data-sensitive': column },
    h('h3', null, 'Sensitive attribute ', h('span', { class: 'mono' }, column), h('span', { class: 'muted' }, ` · ${groups.length} groups`)),
    h('dl', { class: 'facts aggregates' }, ...aggregates),
    dataGrid(`Fairness by group of ${column}`, GROUP_COLUMNS, rows),
    ...report.warnings.map((w) => h('p', { class: 'notice warn' }, w)),
  );
}

export function fairnessContent(fairness: Readonly<Record<string, FairnessReport>>): HTMLElement[] {
  return Object.entries(fairness).map(([column, report]) => fairnessBlock(column, report));
}
