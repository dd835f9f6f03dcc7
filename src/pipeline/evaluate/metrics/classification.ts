/**
 * `classificationMetrics`: the scikit-learn metric set of a K-class classifier from its labels and class
 * probabilities, plus the one-vs-rest ROC curves of a multiclass model.
 */
import { MetricsError } from './errors';
import { averagePrecisionFromClfCurve, binaryClfCurveFromSplit, rocAucFromClfCurve, rocFromClfCurve } from './curves';
import { binaryLabelMetrics, confusionCounts, labelMetrics } from './labels';
import {
  FLOAT32_EPS,
  FLOAT64_EPS,
  argmaxRows,
  brierScore,
  checkProba,
  countUnnormalizedSums,
  logLoss,
  rowSums,
  topKAccuracies,
} from './probabilistic';
import { pairwiseSum } from './reductions';
import { setOwn } from './records';
import type {
  BinaryClassificationMetrics,
  ClassificationInput,
  ClassificationMetrics,
  CommonClassificationMetrics,
  MulticlassClassificationMetrics,
  NumericArray,
  OvrRocCurve,
  PerClassMetrics,
  RankingAreas,
} from './types';

/** `np.allclose`'s default relative tolerance, used by scikit-learn's multiclass ROC AUC check. */
const ALLCLOSE_RTOL = 1e-5;

export function isBinaryMetrics(m: ClassificationMetrics): m is BinaryClassificationMetrics {
  return 'roc_auc' in m;
}

export function isMulticlassMetrics(m: ClassificationMetrics): m is MulticlassClassificationMetrics {
  return 'roc_auc_ovr_macro' in m;
}

function resolveClassNames(k: number, names: readonly string[] | undefined): string[] {
  if (names === undefined) return Array.from({ length: k }, (_, i) => String(i));
  if (names.length !== k) throw new MetricsError('invalid-labels', `classNames has ${names.length} entries for ${k} classes.`);
  if (new Set(names).size !== k) throw new MetricsError('invalid-labels', 'classNames must be distinct.');
  return [...names];
}

function checkNumClasses(k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new MetricsError('invalid-labels', `numClasses must be an integer ≥ 2, got ${k}.`);
}

/** Scores of class `c` split by one-vs-rest label (`yTrue === c`). */
function splitColumn(yTrue: Int32Array, proba: NumericArray, k: number, c: number): { pos: Float64Array; neg: Float64Array } {
  const n = yTrue.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === c) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const v = proba[i * k + c];
    if (yTrue[i] === c) pos[p++] = v;
    else neg[q++] = v;
  }
  return { pos, neg };
}

/** Class `c`'s one-vs-rest ROC AUC (and, when asked, average precision), from one sort of its scores. */
function binaryAreas(yTrue: Int32Array, proba: NumericArray, k: number, c: number, withAp = true): RankingAreas {
  const { pos, neg } = splitColumn(yTrue, proba, k, c);
  const curve = binaryClfCurveFromSplit(pos, neg);
  return { positives: pos.length, rocAuc: rocAucFromClfCurve(curve), averagePrecision: withAp ? averagePrecisionFromClfCurve(curve) : NaN };
}

/** Class `c`'s areas: the precomputed entry when there is one (its positives must be the class's support), else computed. */
function areasOf(input: ClassificationInput, support: ArrayLike<number>, c: number, withAp: boolean): RankingAreas {
  const { ranking, numClasses: k } = input;
  if (ranking !== undefined && ranking.length !== k) throw new MetricsError('length-mismatch', `ranking has ${ranking.length} entries for ${k} classes.`);
  const given = ranking?.[c];
  if (given === undefined) return binaryAreas(input.yTrue, input.proba, k, c, withAp);
  if (given.positives !== support[c]) {
    throw new MetricsError('length-mismatch', `ranking of class ${c} counts ${given.positives} positive rows; y_true has ${support[c]}.`);
  }
  return given;
}

/**
 * All metrics of a K-class classifier (K ≥ 2). Binary (K = 2) adds the positive-class metrics and curves'
 * areas; multiclass adds the macro one-vs-rest ROC AUC. Undefined values are null with a `warnings` entry.
 */
export function classificationMetrics(input: ClassificationInput): ClassificationMetrics {
  const { yTrue, proba, numClasses: k } = input;
  checkNumClasses(k);
  const names = resolveClassNames(k, input.classNames);
  const n = yTrue.length;
  if (n === 0) throw new MetricsError('empty', 'No rows to compute metrics from.');
  checkProba(proba, n, k);
  const yPred = input.yPred ?? argmaxRows(proba, n, k);
  if (yPred.length !== n) throw new MetricsError('length-mismatch', `y_true has ${n} rows but y_pred has ${yPred.length}.`);

  const cm = confusionCounts(yTrue, yPred, k);
  const lm = labelMetrics(cm, names);
  const warnings = [...lm.warnings];

  const eps = proba instanceof Float32Array ? FLOAT32_EPS : FLOAT64_EPS;
  // log_loss's check: np.allclose(row_sums, 1, rtol=sqrt(eps)) with eps of the input's precision.
  const sums = rowSums(proba, n, k);
  const unnormalized = countUnnormalizedSums(sums, Math.sqrt(eps));
  if (unnormalized > 0) {
    warnings.push(`${unnormalized} row(s) of probabilities do not sum to 1; the log loss uses them as given (no renormalization).`);
  }
  for (const topK of [2, 3]) {
    if (topK >= k) warnings.push(`top${topK}_accuracy: k=${topK} ≥ ${k} classes, so the score is trivially 1.`);
  }

  const perClass: Record<string, PerClassMetrics> = {};
  for (let c = 0; c < k; c++) {
    setOwn(perClass, names[c], { precision: lm.precision[c], recall: lm.recall[c], f1: lm.f1[c], support: lm.support[c] });
  }

  const [top2, top3] = topKAccuracies(yTrue, proba, k, [2, 3]);
  const common: CommonClassificationMetrics = {
    accuracy: lm.accuracy,
    balanced_accuracy: lm.balanced_accuracy,
    precision_macro: lm.precision_macro,
    recall_macro: lm.recall_macro,
    f1_macro: lm.f1_macro,
    precision_weighted: lm.precision_weighted,
    recall_weighted: lm.recall_weighted,
    f1_weighted: lm.f1_weighted,
    f1_micro: lm.f1_micro,
    mcc: lm.mcc,
    cohen_kappa: lm.cohen_kappa,
    log_loss: logLoss(yTrue, proba, k),
    top2_accuracy: top2,
    top3_accuracy: top3,
    confusion_matrix: Array.from({ length: k }, (_, t) => Array.from(cm.counts.subarray(t * k, (t + 1) * k))),
    per_class: perClass,
    warnings,
  };

  if (k === 2) {
    const positive = input.positiveClass ?? 1;
    if (positive !== 0 && positive !== 1) throw new MetricsError('invalid-params', `positiveClass must be 0 or 1, got ${positive}.`);
    const yBin = new Uint8Array(n);
    const prob = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yBin[i] = yTrue[i] === positive ? 1 : 0;
      prob[i] = proba[i * 2 + positive];
    }
    const areas = areasOf(input, lm.support, positive, true);
    if (areas.rocAuc === null) warnings.push('ROC AUC is undefined: only one class is present in y_true.');
    if (areas.positives === 0) warnings.push('Average precision: no positive rows in y_true, so recall is 1 everywhere and the score is 0.');
    const binary: BinaryClassificationMetrics = {
      ...common,
      ...binaryLabelMetrics(cm, positive),
      brier_score: brierScore(yBin, prob),
      roc_auc: areas.rocAuc,
      pr_auc_average_precision: areas.averagePrecision,
    };
    return binary;
  }

  if (input.positiveClass !== undefined) warnings.push('positiveClass is ignored for a multiclass model.');
  const aucs: number[] = [];
  const absent: string[] = [];
  for (let c = 0; c < k; c++) {
    const auc = areasOf(input, lm.support, c, false).rocAuc;
    if (auc === null) absent.push(names[c]);
    else aucs.push(auc);
  }
  let ovr: number | null = null;
  const notProba = countUnnormalizedSums(sums, ALLCLOSE_RTOL, 1e-8, true);
  if (notProba > 0) {
    warnings.push(
      `ROC AUC (one-vs-rest) is undefined: ${notProba} row(s) of probabilities do not sum to 1 (scikit-learn requires np.allclose(row sums, 1)).`,
    );
  } else if (absent.length > 0) {
    warnings.push(`ROC AUC (one-vs-rest) is undefined: class(es) ${absent.join(', ')} absent from y_true (or the only class present).`);
  } else {
    ovr = pairwiseSum(aucs) / aucs.length;
  }
  const multi: MulticlassClassificationMetrics = { ...common, roc_auc_ovr_macro: ovr };
  return multi;
}

/**
 * One-vs-rest ROC curve of every class (`roc_curve(y_true == c, proba[:, c])`, drop_intermediate as
 * scikit-learn), with its AUC (null when the class is absent from y_true or is its only class).
 */
export function rocCurvesOvr(
  yTrue: Int32Array,
  proba: Float32Array | Float64Array,
  numClasses: number,
  options: { classNames?: readonly string[]; dropIntermediate?: boolean } = {},
): OvrRocCurve[] {
  checkNumClasses(numClasses);
  const names = resolveClassNames(numClasses, options.classNames);
  const n = yTrue.length;
  if (n === 0) throw new MetricsError('empty', 'No rows to compute ROC curves from.');
  checkProba(proba, n, numClasses);
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    if (!(t >= 0 && t < numClasses)) throw new MetricsError('invalid-labels', `y_true[${i}] = ${t} is not a class index in 0..${numClasses - 1}.`);
  }
  const out: OvrRocCurve[] = [];
  for (let c = 0; c < numClasses; c++) {
    const { pos, neg } = splitColumn(yTrue, proba, numClasses, c);
    const curve = binaryClfCurveFromSplit(pos, neg);
    const roc = rocFromClfCurve(curve, options.dropIntermediate ?? true);
    out.push({ classIndex: c, className: names[c], auc: rocAucFromClfCurve(curve), ...roc });
  }
  return out;
}
