/** Public types of the evaluation metrics (scikit-learn names, snake_case keys as in its reports). */

/** Any array of numbers: typed arrays (preferred, for speed) or plain arrays. */
export type NumericArray = ArrayLike<number>;

/** `roc_curve` output: FPR increasing; `thresholds[0]` is `Infinity` (scikit-learn ≥ 1.3). */
export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
}

/** `precision_recall_curve` output: `precision`/`recall` have `thresholds.length + 1` entries. */
export interface PrCurve {
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly thresholds: Float64Array;
}

/** One-vs-rest ROC curve of one class of a multiclass model. */
export interface OvrRocCurve extends RocCurve {
  readonly classIndex: number;
  readonly className: string;
  /** AUC of this curve; null when the class is absent from (or the only class of) y_true. */
  readonly auc: number | null;
}

/** `calibration_curve` output, empty bins dropped; `count` = rows in each kept bin (not in scikit-learn). */
export interface CalibrationCurve {
  readonly prob_true: Float64Array;
  readonly prob_pred: Float64Array;
  readonly count: Float64Array;
}

export interface ClassificationInput {
  /** True class index per row, 0..K-1. */
  readonly yTrue: Int32Array;
  /** n×K row-major class probabilities (rows sum to 1). */
  readonly proba: Float32Array | Float64Array;
  readonly numClasses: number;
  /** Display names, K distinct strings; default "0", "1", … */
  readonly classNames?: readonly string[];
  /** Binary models only: the positive class index (default 1). */
  readonly positiveClass?: number;
  /** Predicted class per row; default argmax of `proba` (lowest index on ties, as `np.argmax`). */
  readonly yPred?: Int32Array;
  /**
   * Per-class ranking areas computed beforehand (`ovrRanking` of the same yTrue and proba; index = class): the
   * ROC AUCs and the average precision are taken from there instead of sorting the scores again. Binary models
   * read the positive class's entry, multiclass models every class's; missing entries are computed.
   */
  readonly ranking?: readonly (RankingAreas | undefined)[];
}

/** The areas of one class's one-vs-rest curves (see metrics/ranking.ts). */
export interface RankingAreas {
  readonly positives: number;
  readonly rocAuc: number | null;
  readonly averagePrecision: number;
}

export interface PerClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows of this class in y_true. */
  readonly support: number;
}

export interface CommonClassificationMetrics {
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
  /** null when undefined (both label vectors hold one and the same single class: scikit-learn gives NaN). */
  readonly cohen_kappa: number | null;
  readonly log_loss: number;
  readonly top2_accuracy: number;
  readonly top3_accuracy: number;
  /** K×K counts, rows = true class, columns = predicted class. */
  readonly confusion_matrix: number[][];
  readonly per_class: Record<string, PerClassMetrics>;
  /** Notes on ill-defined values (scikit-learn's warnings), in plain words. */
  readonly warnings: string[];
}

export interface BinaryClassificationMetrics extends CommonClassificationMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly specificity: number;
  readonly brier_score: number;
  /** null when y_true holds a single class (scikit-learn raises). */
  readonly roc_auc: number | null;
  readonly pr_auc_average_precision: number;
}

export interface MulticlassClassificationMetrics extends CommonClassificationMetrics {
  /** null when some class is absent from y_true (scikit-learn raises). */
  readonly roc_auc_ovr_macro: number | null;
}

export type ClassificationMetrics = BinaryClassificationMetrics | MulticlassClassificationMetrics;

export interface RegressionMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly mae: number;
  /** null with fewer than 2 rows (scikit-learn returns NaN with a warning). */
  readonly r2: number | null;
  readonly explained_variance: number;
  readonly max_error: number;
  readonly median_absolute_error: number;
  readonly mape: number;
  readonly warnings: string[];
}

/** An evenly spaced, deterministic subsample of rows for residual plots. */
export interface ResidualSample {
  /** Row indices of the sample, increasing (first and last row included). */
  readonly index: Uint32Array;
  readonly yTrue: Float64Array;
  readonly yPred: Float64Array;
  /** yTrue − yPred (scikit-learn's PredictionErrorDisplay convention). */
  readonly residual: Float64Array;
  /** Rows in the full data. */
  readonly total: number;
}
