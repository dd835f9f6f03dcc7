/** One evaluation (worker op `evaluate`): header, metrics, confusion matrix, plots, fairness, robustness, latency, plan. */
import type { EvaluateResult } from '../../src/protocol/evaluate';
import type { ClassificationMetrics } from '../../src/protocol/report-types';
import { h, type Child } from '../shared/dom';
import { formatCount } from '../shared/format';
import { confusionMatrix } from './confusion-matrix';
import { classificationPlots, regressionPlots } from './curve-plots';
import { fairnessContent } from './fairness-section';
import { button, pageHeader, type HeaderActions } from '../shared/report-header';
import { formatDate } from '../shared/metric-format';
import { metricsTable, perClassTable } from './metrics-table';
import { robustnessContent } from './robustness-section';
import { facts, latencyContent, planContent, warningsContent } from '../shared/run-details';
import { section } from '../shared/section';
import type { EvaluationStore } from '../shared/report-view-state';

export interface EvaluationActions extends HeaderActions {
  revealSaved(): Promise<unknown>;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function savedFact(result: EvaluateResult, actions: EvaluationActions): HTMLElement | string {
  if (!result.saved_to) return 'not saved';
  return h(
    'span',
    { class: 'saved' },
    h('span', { class: 'path', 'data-testid': 'saved-to' }, result.saved_to),
    ' ',
    button('Reveal', 'reveal-saved', () => void actions.revealSaved().catch(() => undefined)),
  );
}

export function renderEvaluation(result: EvaluateResult, store: EvaluationStore, actions: EvaluationActions): Child[] {
  const classification = result.task === 'classification' && result.metrics !== null ? (result.metrics as ClassificationMetrics) : null;
  const classNames = result.class_names ?? [];
  const warnings = result.warnings.length;
  const sections: Child[] = [
    section(store, 'metrics', 'Metrics', [metricsTable(result)]),
  ];
  if (classification) {
    sections.push(section(store, 'confusion', 'Confusion matrix', [confusionMatrix(classification.confusion_matrix, classNames, store)]));
    sections.push(section(store, 'per-class', 'Per class', [perClassTable(classification.per_class, classNames)]));
  }
  const plots = result.curves ? (result.task === 'classification' ? classificationPlots(result.curves) : regressionPlots(result.curves)) : null;
  if (plots) sections.push(section(store, 'plots', 'Plots', [plots]));
  if (result.fairness && Object.keys(result.fairness).length) sections.push(section(store, 'fairness', 'Fairness', fairnessContent(result.fairness)));
  if (result.robustness) sections.push(section(store, 'robustness', 'Robustness', robustnessContent(result.robustness)));
  sections.push(section(store, 'latency', 'Latency', [latencyContent(result.latency)]));
  sections.push(section(store, 'plan', 'How the data was fed', [planContent(result.plan)], false));
  sections.push(section(store, 'warnings', `Warnings (${warnings})`, warningsContent(result.warnings), warnings > 0));

  return [
    pageHeader(`Evaluation: ${baseName(result.model)}`, h('span', { class: 'path' }, `on ${result.data}`), actions),
    facts(
      [
        ['Model', h('span', { class: 'path' }, result.model)],
        ['Data', h('span', { class: 'path' }, result.data)],
        ['Task', result.task],
        ['Rows', formatCount(result.samples)],
        ['Date', formatDate(result.created)],
        ['Saved run', savedFact(result, actions)],
        ...(result.outputs_file ? ([['Predictions', h('span', { class: 'path' }, result.outputs_file)]] as const) : []),
      ],
      { 'data-testid': 'run-facts' },
    ),
    ...sections,
  ];
}
