/**
 * Evaluation: what the worker op `evaluate` / `ptp evaluate` takes and returns (the JSON the CLI prints, the
 * Evaluation panel shows and `.ptp/runs/*.json` stores). Metric names are scikit-learn's / fairlearn's.
 */
import type { ClassificationMetrics, RegressionMetrics } from '../pipeline/evaluate/metrics/types';
import type { FairnessReport } from '../pipeline/evaluate/fairness/types';
import type { DataSelection } from './data';
import type { RuntimeOptions } from './worker';

export type EvaluationTask = 'classification' | 'regression';

export interface RobustnessOptions {
  /** Gaussian noise levels, σ relative to each feature's std (default [0.05, 0.1, 0.25, 0.5, 1]). */
  readonly noiseLevels?: readonly number[];
  /** Fractions of features set to their column mean per row (default [0.1, 0.25, 0.5]). */
  readonly dropoutRates?: readonly number[];
  /** Rows used for the robustness runs (default 2000, the first rows of the data). */
  readonly rows?: number;
  /** Features for per-feature corruption, at most (default 64). */
  readonly maxFeatures?: number;
}

/** Data: `label` null = predictions only; `sensitive` = fairness groups; `maxRows` = stop after this many rows. */
export interface EvaluateParams extends RuntimeOptions, DataSelection {
  readonly model: string;
  readonly task?: EvaluationTask | 'auto';
  readonly robustness?: boolean | RobustnessOptions;
  readonly batchSize?: number;
  /** Binary/one-vs-rest positive class for fairness and binary metrics (class name or index). */
  readonly positiveClass?: string | number;
  /** Bootstrap resamples for fairness confidence intervals (0 = none; default 200). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Write per-row predictions (CSV) here. */
  readonly outputsFile?: string;
}

export interface CurveData {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly label: string;
}

export interface EvaluationCurves {
  /** Binary: one ROC curve; multiclass: one-vs-rest per class. */
  readonly roc?: readonly (CurveData & { readonly auc: number | null })[];
  readonly pr?: readonly (CurveData & { readonly ap: number | null })[];
  readonly calibration?: readonly (CurveData & { readonly count: readonly number[] })[];
  /** Regression: predicted vs true and residuals (downsampled). */
  readonly predicted_vs_true?: { readonly true: readonly number[]; readonly predicted: readonly number[] };
}

export interface RobustnessRow {
  readonly perturbation: 'none' | 'gaussian_noise' | 'feature_dropout' | 'feature_corruption';
  /** σ (noise), rate (dropout), or the feature name (corruption). */
  readonly level: number | string;
  /** The headline metric (accuracy or r2) under this perturbation. */
  readonly metric: number;
  readonly delta: number;
}

export interface RobustnessReport {
  readonly metric: 'accuracy' | 'r2';
  readonly rows: number;
  readonly baseline: number;
  readonly results: readonly RobustnessRow[];
}

export interface LatencyReport {
  readonly batch_size: number;
  readonly batches: number;
  /** session.run time per batch, ms. */
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  /** Rows per second of the whole evaluation (load + infer + metrics) and of inference alone. */
  readonly rows_per_s: number;
  readonly inference_rows_per_s: number;
  readonly threads: number | null;
}

export interface EvaluateResult {
  readonly model: string;
  readonly data: string;
  readonly task: EvaluationTask;
  readonly samples: number;
  readonly metrics: ClassificationMetrics | RegressionMetrics | null;
  readonly fairness?: Readonly<Record<string, FairnessReport>>;
  readonly robustness?: RobustnessReport;
  readonly latency: LatencyReport;
  readonly outputs_file?: string;
  /** Class names in class-index order (classification). */
  readonly class_names?: readonly string[];
  readonly curves?: EvaluationCurves;
  /** How columns were mapped to inputs, which output was read and how (text lines). */
  readonly plan: readonly string[];
  readonly nan_feature_cells: number;
  readonly warnings: readonly string[];
  readonly created: string;
  /** Where the run was saved (`.ptp/runs/…json` next to the model), when it was. */
  readonly saved_to?: string;
}

export interface BenchParams extends RuntimeOptions {
  readonly model: string;
  readonly batchSizes?: readonly number[];
  readonly threads?: readonly number[];
  /** Timed runs per configuration (default 50) after `warmup` (default 5). */
  readonly runs?: number;
  readonly warmup?: number;
}

export interface BenchRow {
  readonly batch_size: number;
  readonly threads: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly rows_per_s: number;
}

export interface BenchResult {
  readonly model: string;
  readonly results: readonly BenchRow[];
  readonly ort_version: string;
}

export interface CompareParams extends Omit<EvaluateParams, 'model' | 'robustness' | 'outputsFile'> {
  readonly models: readonly string[];
}

export interface CompareResult {
  readonly models: readonly string[];
  readonly data: string;
  readonly task: EvaluationTask;
  readonly samples: number;
  /** Per model, in order. */
  readonly evaluations: readonly EvaluateResult[];
  /** Metric name → value per model and delta against the first model. */
  readonly table: readonly { readonly metric: string; readonly values: readonly (number | null)[]; readonly deltas: readonly (number | null)[] }[];
  /** Fraction of rows where each model's prediction equals the first model's. */
  readonly agreement: readonly number[];
  /** Max |output difference| against the first model (scores or regression values). */
  readonly max_abs_diff: readonly number[];
}

export interface ProfileParams extends RuntimeOptions {
  readonly model: string;
  /** Timed runs (default 10) after one warm-up run. */
  readonly runs?: number;
  /** Value for symbolic dims of the generated inputs (default 1). */
  readonly symbolicDimValue?: number;
  /** onnxruntime graph optimizations while profiling (default 'disabled': node names map 1:1 to the model). */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Where to write the onnxruntime trace (default `<model>.profile.json` next to the model). */
  readonly outputFile?: string;
}

export interface NodeTiming {
  /** Node name as onnxruntime reports it (the model's node name; `#<index>` style names for unnamed nodes). */
  readonly name: string;
  readonly op_type: string;
  /** Median over runs of the node's summed kernel time in one run, µs. */
  readonly p50_us: number;
  /** Share of the summed node time (0..1). */
  readonly share: number;
  /** Kernel executions per run (more than 1 inside loops). */
  readonly calls: number;
}

export interface ProfileResult {
  readonly model: string;
  readonly runs: number;
  /** Median wall time of a whole run, ms. */
  readonly run_p50_ms: number;
  readonly nodes: readonly NodeTiming[];
  readonly profile_file: string;
  readonly graph_optimization_level: string;
  readonly ort_version: string;
}

/** Latency of one model of a comparison: benchModel on generated inputs, same threads and batch sizes for both. */
export interface LatencyRows {
  readonly rows: readonly BenchRow[];
}

/**
 * A source model and the model an operation wrote (quantized, pruned …), evaluated on the same data (present when
 * data was given) and timed the same way.
 */
export interface BeforeAfterComparison {
  readonly data?: string;
  readonly samples?: number;
  readonly task?: 'classification' | 'regression';
  readonly metrics_before?: ClassificationMetrics | RegressionMetrics | null;
  readonly metrics_after?: ClassificationMetrics | RegressionMetrics | null;
  /** Fraction of rows where both models predict the same class (classification). */
  readonly agreement?: number;
  /** Largest |output difference| between the two models. */
  readonly max_abs_diff?: number;
  readonly latency_before?: LatencyRows;
  readonly latency_after?: LatencyRows;
}
