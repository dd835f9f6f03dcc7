/**
 * Models compared on the same rows (worker op `compare`): the metrics side by side with the change against the
 * first model, prediction agreement and the largest output difference.
 */
import type { CompareResult } from '../../src/protocol/evaluate';
import { h, type Child } from '../shared/dom';
import { formatCount } from '../shared/format';
import { dataGrid, type Column } from '../shared/grid';
import { pageHeader, type HeaderActions } from '../shared/report-header';
import { exactMetric, formatDelta, formatMetric, formatPercent } from '../shared/metric-format';
import { sklearnName } from '../shared/metric-names';
import { facts } from '../shared/run-details';
import { section } from '../shared/section';
import type { EvaluationStore } from '../shared/report-view-state';

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Headers do not wrap: a column is at least as wide as its title (about 0.62em a character), and `floor` em. */
function headerMin(title: string, floor: number): string {
  return `${Math.max(floor, Math.ceil(title.length * 0.62) + 2)}em`;
}

function deltaClass(d: number | null): string {
  return d === null || d === 0 ? 'delta muted' : 'delta';
}

export function renderCompare(result: CompareResult, store: EvaluationStore, actions: HeaderActions): Child[] {
  const names = result.models.map(baseName);
  const metricColumns: Column[] = [
    { title: 'Metric', min: '16em', grow: 1.2 },
    ...names.map((n, i): Column => {
      const title = i === 0 ? `${n} (reference)` : n;
      return { title, min: headerMin(title, i === 0 ? 8 : 14), numeric: true };
    }),
  ];
  const metricRows = result.table.map((row) => [
    h('span', { class: 'mono', title: sklearnName(row.metric) }, row.metric),
    ...row.values.map((v, i): Child[] => {
      const value = h('span', { 'data-metric': row.metric, 'data-model': String(i), title: exactMetric(v) }, formatMetric(v));
      if (i === 0) return [value];
      const d = row.deltas[i] ?? null;
      return [value, ' ', h('span', { class: deltaClass(d), title: `change against ${names[0]}: ${exactMetric(d)}` }, `(${formatDelta(d)})`)];
    }),
  ]);
  const agreementColumns: Column[] = [
    { title: 'Model', min: '12em', grow: 1.5 },
    { title: `Predictions equal to ${names[0]}'s`, min: headerMin(`Predictions equal to ${names[0]}'s`, 12), numeric: true },
    { title: 'Max |output difference|', min: headerMin('Max |output difference|', 12), numeric: true },
  ];
  const agreementRows = names.map((n, i) => [
    h('span', { class: 'name', title: result.models[i] }, n),
    h('span', { 'data-agreement': String(i), title: exactMetric(result.agreement[i]) }, formatPercent(result.agreement[i] ?? NaN, 2)),
    h('span', { 'data-max-diff': String(i), title: exactMetric(result.max_abs_diff[i]) }, formatMetric(result.max_abs_diff[i])),
  ]);
  return [
    pageHeader(`Compare: ${names.join(' vs ')}`, h('span', { class: 'path' }, `on ${result.data}`), actions),
    facts([
      ['Data', h('span', { class: 'path' }, result.data)],
      ['Task', result.task],
      ['Rows', formatCount(result.samples)],
      ['Models', String(result.models.length)],
    ]),
    section(store, 'compare-metrics', 'Metrics side by side', [dataGrid('Metrics side by side', metricColumns, metricRows)]),
    section(store, 'compare-agreement', 'Agreement', [dataGrid('Agreement', agreementColumns, agreementRows)]),
  ];
}
