/**
 * The metrics the Evaluation panel lists, in display order, with the scikit-learn function each one matches.
 * Keys are the exact names of the result JSON (scikit-learn's). Pure: no DOM.
 */
import type { EvaluationTask } from '../../src/protocol/evaluate';

export interface MetricInfo {
  readonly key: string;
  /** The scikit-learn call that gives the same number. */
  readonly sklearn: string;
}

const m = (key: string, sklearn: string): MetricInfo => ({ key, sklearn });

export const CLASSIFICATION_METRICS: readonly MetricInfo[] = [
  m('accuracy', 'accuracy_score'),
  m('balanced_accuracy', 'balanced_accuracy_score'),
  m('precision', 'precision_score (binary, positive class)'),
  m('recall', 'recall_score (binary, positive class)'),
  m('f1', 'f1_score (binary, positive class)'),
  m('specificity', 'recall_score of the negative class'),
  m('precision_macro', "precision_score(average='macro')"),
  m('recall_macro', "recall_score(average='macro')"),
  m('f1_macro', "f1_score(average='macro')"),
  m('precision_weighted', "precision_score(average='weighted')"),
  m('recall_weighted', "recall_score(average='weighted')"),
  m('f1_weighted', "f1_score(average='weighted')"),
  m('f1_micro', "f1_score(average='micro')"),
  m('mcc', 'matthews_corrcoef'),
  m('cohen_kappa', 'cohen_kappa_score'),
  m('log_loss', 'log_loss'),
  m('brier_score', 'brier_score_loss'),
  m('roc_auc', 'roc_auc_score'),
  m('roc_auc_ovr_macro', "roc_auc_score(multi_class='ovr', average='macro')"),
  m('pr_auc_average_precision', 'average_precision_score'),
  m('top2_accuracy', 'top_k_accuracy_score(k=2)'),
  m('top3_accuracy', 'top_k_accuracy_score(k=3)'),
];

export const REGRESSION_METRICS: readonly MetricInfo[] = [
  m('mse', 'mean_squared_error'),
  m('rmse', 'root_mean_squared_error'),
  m('mae', 'mean_absolute_error'),
  m('r2', 'r2_score'),
  m('explained_variance', 'explained_variance_score'),
  m('max_error', 'max_error'),
  m('median_absolute_error', 'median_absolute_error'),
  m('mape', 'mean_absolute_percentage_error'),
];

/** Keys of a metrics object that hold structures, not single numbers. */
const NOT_SCALAR = new Set(['confusion_matrix', 'per_class', 'warnings']);

export interface MetricRow {
  readonly key: string;
  readonly value: number | null;
  readonly sklearn: string;
}

/**
 * The scalar metrics of `metrics` in display order: the known ones first (only those present), then any other
 * number-or-null entry (a metric added later still shows up).
 */
export function metricRows(task: EvaluationTask, metrics: object): MetricRow[] {
  const values = metrics as Readonly<Record<string, unknown>>;
  const known = task === 'classification' ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
  const rows: MetricRow[] = [];
  const listed = new Set<string>();
  for (const info of known) {
    if (!(info.key in values)) continue;
    const v = values[info.key];
    if (typeof v !== 'number' && v !== null) continue;
    rows.push({ key: info.key, value: v, sklearn: info.sklearn });
    listed.add(info.key);
  }
  for (const [key, v] of Object.entries(values)) {
    if (listed.has(key) || NOT_SCALAR.has(key) || (typeof v !== 'number' && v !== null)) continue;
    rows.push({ key, value: v, sklearn: '' });
  }
  return rows;
}

/** The scikit-learn call for a metric key ('' when unknown). */
export function sklearnName(key: string): string {
  return [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS].find((i) => i.key === key)?.sklearn ?? '';
}
