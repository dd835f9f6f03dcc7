/**
 * Robustness: the headline metric under Gaussian noise (vs σ) and feature dropout (vs rate) as a table and two
 * degradation plots, and the per-feature corruptions that hurt most as a bar list.
 */
import type { RobustnessReport, RobustnessRow } from '../../src/protocol/evaluate';
import { h } from '../shared/dom';
import { dataGrid, type Column } from '../shared/grid';
import { chart, type XYSeries } from '../shared/chart';
import { exactMetric, formatDelta, formatMetric } from '../shared/metric-format';

const MAX_BARS = 12;

const COLUMNS: readonly Column[] = [
  { title: 'Perturbation', min: '10em', grow: 1.2 },
  { title: 'Level', min: '6em', numeric: true },
  { title: 'Metric', min: '7em', numeric: true },
  { title: 'Change', min: '7em', numeric: true },
];

const NAMES: Record<RobustnessRow['perturbation'], string> = {
  none: 'none (baseline)',
  gaussian_noise: 'Gaussian noise σ',
  feature_dropout: 'feature dropout rate',
  feature_corruption: 'corrupted feature',
};

function levelsOf(report: RobustnessReport, kind: RobustnessRow['perturbation']): RobustnessRow[] {
  return report.results.filter((r) => r.perturbation === kind && typeof r.level === 'number').sort((a, b) => (a.level as number) - (b.level as number));
}

function degradation(report: RobustnessReport, kind: 'gaussian_noise' | 'feature_dropout', xLabel: string, colorIndex: number): HTMLElement | null {
  const rows = levelsOf(report, kind);
  if (rows.length === 0) return null;
  const xs = [0, ...rows.map((r) => r.level as number)];
  const ys = [report.baseline, ...rows.map((r) => r.metric)];
  const series: XYSeries[] = [
    { label: report.metric, x: xs, y: ys, style: 'line-points', colorIndex },
    { label: 'baseline', x: [0, xs[xs.length - 1]!], y: [report.baseline, report.baseline], style: 'reference' },
  ];
  return chart({ id: `robustness-${kind}`, title: `${report.metric} vs ${xLabel}`, xLabel, yLabel: report.metric, series, height: 220 });
}

function corruptionBars(report: RobustnessReport): HTMLElement {
  const rows = report.results.filter((r) => r.perturbation === 'feature_corruption').sort((a, b) => a.delta - b.delta);
  const damaging = rows.filter((r) => r.delta < 0).slice(0, MAX_BARS);
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No per-feature corruption runs.');
  if (damaging.length === 0) return h('p', { class: 'muted' }, `Corrupting any single one of the ${rows.length} features tested did not lower ${report.metric}.`);
  const worst = Math.abs(damaging[0]!.delta) || 1;
  return h(
    'ol',
    { class: 'bars', 'aria-label': 'Most damaging per-feature corruptions' },
    ...damaging.map((r) => {
      const bar = h('span', { class: 'bar' });
      bar.style.setProperty('--share', (Math.abs(r.delta) / worst).toFixed(4));
      return h(
        'li',
        { title: `${String(r.level)}: ${report.metric} ${exactMetric(r.metric)} (change ${exactMetric(r.delta)})` },
        h('span', { class: 'bar-label name' }, String(r.level)),
        h('span', { class: 'bar-track' }, bar),
        h('span', { class: 'bar-value num' }, `${formatDelta(r.delta)} → ${formatMetric(r.metric)}`),
      );
    }),
  );
}

export function robustnessContent(report: RobustnessReport): HTMLElement[] {
  const table = report.results
    .filter((r) => r.perturbation !== 'feature_corruption')
    .map((r) => [NAMES[r.perturbation], typeof r.level === 'number' ? formatMetric(r.level) : String(r.level), formatMetric(r.metric), formatDelta(r.delta)]);
  const plots = [degradation(report, 'gaussian_noise', 'noise σ (× feature std)', 0), degradation(report, 'feature_dropout', 'dropout rate', 1)].filter(
    (x): x is HTMLElement => x !== null,
  );
  return [
    h('p', { class: 'muted' }, `${report.metric} on the first ${report.rows} rows; baseline ${formatMetric(report.baseline)}.`),
    plots.length ? h('div', { class: 'chart-grid' }, ...plots) : h('span'),
    dataGrid('Robustness', COLUMNS, table),
    h('h3', null, 'Most damaging single-feature corruptions'),
    corruptionBars(report),
  ];
}
