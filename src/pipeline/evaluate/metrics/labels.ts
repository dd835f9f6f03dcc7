/**
 * Metrics of predicted labels, from the confusion matrix, as scikit-learn defines them with its defaults:
 * `zero_division="warn"` (an undefined precision/recall/F1 counts as 0), averages over the labels present in
 * y_true ∪ y_pred (`labels=None`), `balanced_accuracy_score` over the classes present in y_true,
 * `matthews_corrcoef` with the multiclass (Gorodkin) formula, `cohen_kappa_score` unweighted.
 */
import { MetricsError } from './errors';
import { pairwiseSum } from './reductions';

/** A K×K confusion matrix, row-major: `counts[t*K + p]` = rows of true class t predicted p. */
export interface ConfusionCounts {
  readonly k: number;
  readonly counts: Float64Array;
}

export function confusionCounts(yTrue: Int32Array, yPred: Int32Array, k: number): ConfusionCounts {
  if (yTrue.length !== yPred.length) {
    throw new MetricsError('length-mismatch', `y_true has ${yTrue.length} rows but y_pred has ${yPred.length}.`);
  }
  const counts = new Float64Array(k * k);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < k)) throw new MetricsError('invalid-labels', `y_true[${i}] = ${t} is not a class index in 0..${k - 1}.`);
    if (!(p >= 0 && p < k)) throw new MetricsError('invalid-labels', `y_pred[${i}] = ${p} is not a class index in 0..${k - 1}.`);
    counts[t * k + p]++;
  }
  return { k, counts };
}

/** `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(K))` as nested arrays. */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, k: number): number[][] {
  const { counts } = confusionCounts(yTrue, yPred, k);
  return Array.from({ length: k }, (_, t) => Array.from(counts.subarray(t * k, (t + 1) * k)));
}

export interface LabelMetrics {
  readonly accuracy: number;
  readonly balanced_accuracy: number;
  readonly precision_macro: number;
  readonly recall_macro: number;
  readonly f1_macro: number;
  readonly precision_weighted: number;
  readonly recall_weighted: number;
  readonly f1_weighted: number;
  readonly f1_micro: number;
  readonly mcc: number;
  readonly cohen_kappa: number | null;
  /** Per class 0..K-1 (every class, present or not). */
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f1: Float64Array;
  readonly support: Float64Array;
  readonly warnings: string[];
}

/** Named for warnings: `names[c]`. */
export function labelMetrics(cm: ConfusionCounts, names: readonly string[]): LabelMetrics {
  const { k, counts } = cm;
  const warnings: string[] = [];
  const rowSum = new Float64Array(k);
  const colSum = new Float64Array(k);
  const tp = new Float64Array(k);
  let n = 0;
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const c = counts[t * k + p];
      rowSum[t] += c;
      colSum[p] += c;
      n += c;
    }
    tp[t] = counts[t * k + t];
    correct += tp[t];
  }
  if (n === 0) throw new MetricsError('empty', 'No rows to compute metrics from.');

  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  const noPred: string[] = [];
  const noTrue: string[] = [];
  const present: number[] = []; // labels in y_true ∪ y_pred, ascending (scikit-learn's unique_labels)
  for (let c = 0; c < k; c++) {
    precision[c] = colSum[c] > 0 ? tp[c] / colSum[c] : 0;
    recall[c] = rowSum[c] > 0 ? tp[c] / rowSum[c] : 0;
    const denom = rowSum[c] + colSum[c];
    f1[c] = denom > 0 ? (2 * tp[c]) / denom : 0;
    if (rowSum[c] > 0 || colSum[c] > 0) {
      present.push(c);
      if (colSum[c] === 0) noPred.push(names[c]);
      if (rowSum[c] === 0) noTrue.push(names[c]);
    }
  }
  if (noPred.length > 0) {
    warnings.push(`Precision is ill-defined for classes never predicted (${noPred.join(', ')}); set to 0 (zero_division).`);
  }
  if (noTrue.length > 0) {
    warnings.push(`Recall is ill-defined for classes absent from y_true (${noTrue.join(', ')}); set to 0 (zero_division).`);
  }

  const pick = (a: Float64Array) => Float64Array.from(present, (c) => a[c]);
  const macro = (a: Float64Array) => pairwiseSum(pick(a)) / present.length;
  const weights = pick(rowSum);
  const weightSum = pairwiseSum(weights);
  const weighted = (a: Float64Array) => {
    const v = pick(a);
    for (let i = 0; i < v.length; i++) v[i] *= weights[i];
    return pairwiseSum(v) / weightSum;
  };

  // balanced_accuracy_score: mean recall over the classes present in y_true.
  const perClassRecall: number[] = [];
  for (let c = 0; c < k; c++) if (rowSum[c] > 0) perClassRecall.push(tp[c] / rowSum[c]);
  if (noTrue.length > 0) warnings.push('y_pred contains classes not in y_true: balanced accuracy ignores them.');
  const balanced = pairwiseSum(perClassRecall) / perClassRecall.length;

  // matthews_corrcoef (multiclass formula, also used for binary by scikit-learn).
  let tDotP = 0;
  let pDotP = 0;
  let tDotT = 0;
  for (const c of present) {
    tDotP += rowSum[c] * colSum[c];
    pDotP += colSum[c] * colSum[c];
    tDotT += rowSum[c] * rowSum[c];
  }
  const covYtYp = correct * n - tDotP;
  const covYpYp = n * n - pDotP;
  const covYtYt = n * n - tDotT;
  const mcc = covYpYp * covYtYt === 0 ? 0 : covYtYp / Math.sqrt(covYtYt * covYpYp);

  // cohen_kappa_score over the present labels (flattened sums in scikit-learn's order).
  const m = present.length;
  const offConfusion = new Float64Array(m * m);
  const offExpected = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      offConfusion[i * m + j] = counts[present[i] * k + present[j]];
      // expected = outer(column sums, row sums) / n
      offExpected[i * m + j] = (colSum[present[i]] * rowSum[present[j]]) / n;
    }
  }
  const kDen = pairwiseSum(offExpected);
  let kappa: number | null = null;
  if (kDen === 0) {
    warnings.push('Cohen kappa is undefined: y_true and y_pred hold one and the same single class (scikit-learn returns NaN).');
  } else {
    kappa = 1 - pairwiseSum(offConfusion) / kDen;
  }

  return {
    accuracy: correct / n,
    balanced_accuracy: balanced,
    precision_macro: macro(precision),
    recall_macro: macro(recall),
    f1_macro: macro(f1),
    precision_weighted: weighted(precision),
    recall_weighted: weighted(recall),
    f1_weighted: weighted(f1),
    f1_micro: (2 * correct) / (2 * n),
    mcc,
    cohen_kappa: kappa,
    precision,
    recall,
    f1,
    support: rowSum,
    warnings,
  };
}

/** Positive-class precision, recall, F1 and specificity of a binary problem (`average="binary"`). */
export function binaryLabelMetrics(
  cm: ConfusionCounts,
  positive: number,
): { precision: number; recall: number; f1: number; specificity: number } {
  const { k, counts } = cm;
  if (k !== 2) throw new MetricsError('invalid-params', `Binary metrics need 2 classes, got ${k}.`);
  const neg = 1 - positive;
  const tp = counts[positive * 2 + positive];
  const fn = counts[positive * 2 + neg];
  const fp = counts[neg * 2 + positive];
  const tn = counts[neg * 2 + neg];
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (tp + fn + (tp + fp)) : 0,
    specificity: tn + fp > 0 ? tn / (tn + fp) : 0,
  };
}
