/**
 * The per-layer sensitivity analysis: one curve per layer of the metric (accuracy or R²) against the sparsity that
 * layer alone was pruned to, with the unpruned model's value as a dashed reference; and the same numbers as a table
 * (agreement with the unpruned model in the tooltips). Layers whose metric drops least can be pruned hardest.
 */
import type { PruneSensitivityResult } from '../../src/protocol/prune';
import { h, type Child } from '../shared/dom';
import { formatCount, formatDuration } from '../shared/format';
import { chart, type XYSeries } from '../shared/chart';
import { formatMetric, formatPercent } from '../shared/metric-format';
import { facts } from '../shared/run-details';

export function sensitivityContent(s: PruneSensitivityResult): Child[] {
  const metricName = s.metric === 'r2' ? 'R²' : 'Accuracy';
  const sparsities = [...new Set(s.layers.flatMap((l) => l.points.map((p) => p.sparsity)))].sort((a, b) => a - b);
  const series: XYSeries[] = s.layers.map((l) => {
    const points = l.points.filter((p) => p.value !== null);
    return { label: l.name, x: points.map((p) => p.sparsity), y: points.map((p) => p.value as number), style: 'line-points' };
  });
  if (s.baseline !== null && sparsities.length > 0) {
    series.push({ label: 'unpruned', x: [0, sparsities[sparsities.length - 1]!], y: [s.baseline, s.baseline], style: 'reference' });
  }
  const header = h(
    'tr',
    null,
    h('th', { scope: 'col' }, 'Layer'),
    h('th', { scope: 'col' }, 'Op'),
    h('th', { scope: 'col', class: 'num' }, 'Params'),
    ...sparsities.map((x) => h('th', { scope: 'col', class: 'num' }, formatPercent(x, 0))),
  );
  const rows = s.layers.map((l) =>
    h(
      'tr',
      { 'data-layer': l.name },
      h('td', { class: 'mono layer-name' }, l.name),
      h('td', { class: 'mono' }, l.op_type),
      h('td', { class: 'num' }, formatCount(l.params)),
      ...sparsities.map((x) => {
        const p = l.points.find((q) => q.sparsity === x);
        const drop = p?.value !== null && p?.value !== undefined && s.baseline !== null ? s.baseline - p.value : null;
        return h(
          'td',
          {
            class: `num ${drop === null ? '' : drop > 0.05 ? 'drop-large' : drop > 0.01 ? 'drop-small' : 'drop-none'}`,
            'data-sparsity': String(x),
            title: p?.agreement !== null && p?.agreement !== undefined ? `agreement with the unpruned model ${formatPercent(p.agreement, 2)}` : '',
          },
          formatMetric(p?.value ?? null),
        );
      }),
    ),
  );
  return [
    facts(
      [
        [`${metricName} unpruned`, h('strong', { 'data-testid': 'sensitivity-baseline' }, formatMetric(s.baseline))],
        ['Method', s.method],
        ['Rows', formatCount(s.samples)],
        ['Data', h('span', { class: 'path' }, s.data)],
        ['Took', formatDuration(s.ms)],
      ],
      { 'data-testid': 'sensitivity-facts' },
    ),
    s.layers.length
      ? chart({ id: 'sensitivity', title: `${metricName} with one layer pruned`, xLabel: s.method === 'structured' ? 'channels removed' : 'sparsity', yLabel: metricName, series, height: 300 })
      : h('p', { class: 'muted' }, 'No layer could be analysed.'),
    h('div', { class: 'grid-scroll' }, h('table', { class: 'report-table layer-table sensitivity-table', 'data-testid': 'sensitivity-table' }, h('thead', null, header), h('tbody', null, ...rows))),
    h('p', { class: 'muted small' }, `Each layer pruned alone, the rest of the model untouched. Red: ${metricName.toLowerCase()} more than 0.05 below the unpruned model; amber: more than 0.01.`),
    ...(s.skipped.length ? [h('ul', { class: 'plan' }, ...s.skipped.map((k) => h('li', null, h('span', { class: 'mono' }, `${k.node} (${k.op_type})`), `: ${k.reason}`)))] : []),
  ];
}
