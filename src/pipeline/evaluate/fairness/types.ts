/** Public types of the fairness report (fairlearn's definitions, snake_case keys). */

export interface GroupMetrics {
  /** Rows in the group. */
  readonly n: number;
  /** P(ŷ = 1). */
  readonly selection_rate: number;
  /** P(ŷ = 1 | y = 1); 0 when the group has no positive rows (fairlearn: confusion_matrix normalize="true" + nan_to_num). */
  readonly tpr: number;
  /** P(ŷ = 1 | y = 0); 0 when the group has no negative rows (same rule). */
  readonly fpr: number;
  readonly accuracy: number;
}

export interface BootstrapOptions {
  /** Resamples (default 200). */
  readonly samples?: number;
  /** PRNG seed (default 0). */
  readonly seed?: number;
  /** Central coverage of the percentile interval (default 0.95). */
  readonly confidence?: number;
}

export interface FairnessInput {
  /** True labels, 0/1 after choosing the positive class (see `binarize`). */
  readonly yTrue: Int32Array | Uint8Array;
  /** Predicted labels, 0/1. */
  readonly yPred: Uint8Array;
  /** Sensitive-feature value of each row. */
  readonly groups: readonly string[];
  /** Percentile bootstrap confidence intervals when given. */
  readonly bootstrap?: BootstrapOptions;
}

export type Interval = readonly [number, number];

export type AggregateMetricName =
  | 'demographic_parity_difference'
  | 'demographic_parity_ratio'
  | 'equalized_odds_difference'
  | 'equalized_odds_ratio';

export interface FairnessReport {
  /** Per group, keys in ascending order of the group value. */
  readonly by_group: Record<string, GroupMetrics>;
  /** max − min selection rate over groups. */
  readonly demographic_parity_difference: number;
  /** min / max selection rate; null when every group's selection rate is 0 (fairlearn: NaN). */
  readonly demographic_parity_ratio: number | null;
  /** max(TPR max − min, FPR max − min). */
  readonly equalized_odds_difference: number;
  /** min(TPR min/max, FPR min/max) over the ratios that are defined; null when neither is. */
  readonly equalized_odds_ratio: number | null;
  readonly overall: GroupMetrics;
  /** Percentile bootstrap intervals of the aggregate metrics (null: undefined in every resample). */
  readonly ci?: Record<AggregateMetricName, Interval | null>;
  /** Percentile bootstrap intervals of each group's rates (null: no resample defined it). */
  readonly ci_by_group?: Record<string, Record<'selection_rate' | 'tpr' | 'fpr' | 'accuracy', Interval | null>>;
  readonly warnings: string[];
}
