/**
 * The evaluation's plots: ROC and precision–recall (one curve per class for multiclass, one-vs-rest),
 * calibration (binary, with the diagonal), and for regression predicted vs true (with y = x) and residuals.
 */
import type { EvaluationCurves } from '../../src/protocol/evaluate';
import { h } from '../shared/dom';
import { chart, type XYSeries } from '../shared/chart';
import { formatMetric } from '../shared/metric-format';

const UNIT: readonly [number, number] = [0, 1];

export function classificationPlots(curves: EvaluationCurves): HTMLElement | null {
  const charts: HTMLElement[] = [];
  if (curves.roc?.length) {
    const multi = curves.roc.length > 1;
    charts.push(
      chart({
        id: 'roc',
        title: multi ? 'ROC curves (one-vs-rest)' : 'ROC curve',
        xLabel: 'False positive rate',
        yLabel: 'True positive rate',
        xRange: UNIT,
        yRange: UNIT,
        series: [
          ...curves.roc.map((c): XYSeries => ({ label: `${c.label} (AUC ${formatMetric(c.auc)})`, x: c.x, y: c.y })),
          { label: 'chance', x: [0, 1], y: [0, 1], style: 'reference' },
        ],
      }),
    );
  }
  if (curves.pr?.length) {
    const multi = curves.pr.length > 1;
    charts.push(
      chart({
        id: 'pr',
        title: multi ? 'Precision–recall curves (one-vs-rest)' : 'Precision–recall curve',
        xLabel: 'Recall',
        yLabel: 'Precision',
        xRange: UNIT,
        yRange: UNIT,
        series: curves.pr.map((c): XYSeries => ({ label: `${c.label} (AP ${formatMetric(c.ap)})`, x: c.x, y: c.y })),
      }),
    );
  }
  if (curves.calibration?.length) {
    charts.push(
      chart({
        id: 'calibration',
        title: 'Calibration (reliability) curve',
        xLabel: 'Mean predicted probability',
        yLabel: 'Fraction of positives',
        xRange: UNIT,
        yRange: UNIT,
        series: [
          ...curves.calibration.map((c): XYSeries => ({ label: `class ${c.label}`, x: c.x, y: c.y, style: 'line-points' })),
          { label: 'perfectly calibrated', x: [0, 1], y: [0, 1], style: 'reference' },
        ],
      }),
    );
  }
  return charts.length ? h('div', { class: 'chart-grid' }, ...charts) : null;
}

export function regressionPlots(curves: EvaluationCurves): HTMLElement | null {
  const pv = curves.predicted_vs_true;
  if (!pv || pv.true.length === 0) return null;
  const all = [...pv.true, ...pv.predicted];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = (hi - lo) * 0.04 || 1;
  const range: [number, number] = [lo - pad, hi + pad];
  const residuals = pv.true.map((t, i) => t - pv.predicted[i]!);
  const pLo = Math.min(...pv.predicted);
  const pHi = Math.max(...pv.predicted);
  return h(
    'div',
    { class: 'chart-grid' },
    chart({
      id: 'predicted-vs-true',
      title: `Predicted vs true (${pv.true.length} rows)`,
      xLabel: 'True value',
      yLabel: 'Predicted value',
      xRange: range,
      yRange: range,
      series: [
        { label: 'rows', x: pv.true, y: pv.predicted, style: 'points' },
        { label: 'y = x', x: range, y: range, style: 'reference' },
      ],
    }),
    chart({
      id: 'residuals',
      title: 'Residuals (true − predicted) vs predicted',
      xLabel: 'Predicted value',
      yLabel: 'Residual',
      series: [
        { label: 'rows', x: pv.predicted, y: residuals, style: 'points' },
        { label: 'zero', x: [pLo, pHi], y: [0, 0], style: 'reference' },
      ],
    }),
  );
}
