/**
 * Interpretability: what the worker op `explain` / `ptp explain` takes and returns. SHAP values under the
 * interventional definition — v(S) = Σ_b w_b · f(x_S, b_rest) over the background rows b — for the model's
 * outputs (class probabilities as evaluation reads them: logits → softmax; or the regression value).
 * The result holds everything the plots need (bar, beeswarm, waterfall, force, heatmap, dependence, image).
 */
import type { DataSelection } from './data';
import type { RuntimeOptions } from './worker';

export type ExplainMethod = 'exact' | 'kernel' | 'permutation' | 'occlusion';

/**
 * The background rows that stand in for "feature unknown":
 * - a string: a data file, every row used as-is (weights equal);
 * - `{ sample: n }`: n rows drawn without replacement (seeded) from `file`, default the data file;
 * - `{ kmeans: k }`: k weighted centroids of `file` (default the data file), each value snapped to the nearest
 *   value the feature takes in the data, weights = cluster sizes (as `shap.kmeans`).
 * Default: `{ sample: 100 }` of the data file.
 */
export type ExplainBackground = string | { readonly file?: string; readonly sample: number } | { readonly file?: string; readonly kmeans: number };

/**
 * Data: the rows to explain; `label`, `sensitive` and `excludeColumns` are never features; `maxRows`: explain the
 * first N rows (default 100) when `rows` is not given.
 */
export interface ExplainParams extends RuntimeOptions, DataSelection {
  readonly model: string;
  /** 0-based data-row indices to explain (in this order); default: the first `maxRows` rows. */
  readonly rows?: readonly number[];
  readonly background?: ExplainBackground;
  /**
   * Which output column(s) to explain: a class index, a class name, or 'all' (default: every class
   * probability, or the one regression value — one model pass serves all outputs, so 'all' costs no extra
   * model calls; the panel picks e.g. each row's predicted class from `f_x`).
   */
  readonly output?: number | string | 'all';
  /** Default: 'occlusion' for image inputs ([N,C,H,W] / [N,H,W,C]), else 'exact' when features ≤ 14, else 'kernel'. */
  readonly method?: ExplainMethod;
  /** Kernel SHAP: coalitions sampled (default 2·M + 2048, capped at 2^M − 2). */
  readonly nsamples?: number;
  /** Kernel SHAP: keep only the k features with the largest |φ| of a first solve, re-solve on them (default: all). */
  readonly topK?: number;
  /** Permutation / occlusion: budget of v(S) evaluations (default 500, at least 2·M + 1; occlusion: ≥ 10 antithetic pairs). */
  readonly maxEvals?: number;
  /** Occlusion: patch side in pixels (default ⌈max(H, W) / 8⌉). */
  readonly patch?: number;
  /** Occlusion: replace patches by the background's mean image (default) or by each background row (interventional). */
  readonly baseline?: 'mean' | 'background';
  /**
   * Permutation / Kernel without an explicit maxEvals / nsamples: the estimated relative error each row's budget
   * grows to (expected Σ_j |φ̂_j − φ_j| ÷ Σ_j |φ̂_j| ≈ √(2/π)·Σ SE ÷ Σ|φ̂|, as the bench measures error; default 0.02).
   */
  readonly targetError?: number;
  /**
   * The adaptive budget's cap: coalitions evaluated per explained row, over all rounds (default 16,384). Rows still
   * above the target then stop, and the notes say how many. A count, not a time, so a seed repeats the result.
   */
  readonly maxCoalitions?: number;
  /**
   * Optional wall-clock cap of the adaptive budget: seconds of estimation per explained row, over the run as a whole
   * (no default). With it, the values depend on the machine's speed and load, not only on the seed.
   */
  readonly timeCap?: number;
  readonly seed?: number;
  readonly task?: 'auto' | 'classification' | 'regression';
  /** Masked rows per onnxruntime call, at most (default 65,536; also capped at 2^24 values per call). */
  readonly batchSize?: number;
}

export interface ExplainImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly layout: 'NCHW' | 'NHWC';
  /** Patch side in pixels; features are the patches, row-major over the grid. */
  readonly patch: number;
  readonly grid_rows: number;
  readonly grid_cols: number;
  /** How the patch Shapley values were computed. */
  readonly shapley: 'exact' | 'permutation';
  readonly baseline: 'mean' | 'background';
  /**
   * [row][i] → H×W values, row-major: each pixel holds its patch's φ divided by the patch's pixel count (the map
   * sums to Σφ). Map i is of output `heatmap_outputs[row][i]` (an index into `output_names`): normally every
   * explained output; when that would exceed 4 million values (many classes), only each row's largest output.
   */
  readonly heatmaps: readonly (readonly (readonly number[])[])[];
  readonly heatmap_outputs: readonly (readonly number[])[];
  /** [row] → the explained image as H×W×C values (HWC order, as the model saw them), for the overlay. */
  readonly pixels: readonly (readonly number[])[];
}

/**
 * How far the sampled φ may be from the exact Shapley values. Permutation: the standard error of the mean over
 * antithetic pairs (σ_j / √pairs). Kernel: the sandwich (delta-method) standard error of the weighted least-squares
 * fit over its sampled coalitions. Over the reported outputs.
 */
export interface ExplainErrorEstimate {
  /** [row] the largest standard error of any φ of the row. */
  readonly max_std_error: readonly number[];
  /**
   * [row] the expected relative L1 error √(2/π)·Σ_jk SE_jk ÷ Σ_jk |φ_jk| over the reported outputs (0: exact;
   * NaN: unknown, e.g. a single antithetic pair).
   */
  readonly relative: readonly number[];
  /** [row][feature][output] the standard error of each φ. */
  readonly std_errors: readonly (readonly (readonly number[])[])[];
  /** Rows whose relative error is above 2% (or the adaptive target). */
  readonly above_target: number;
}

export interface ExplainResult {
  readonly model: string;
  readonly data: string;
  readonly method: ExplainMethod;
  readonly task: 'classification' | 'regression';
  /** M names: data columns, `X[i]` for array elements, or patch names for images. */
  readonly feature_names: readonly string[];
  /** The explained outputs: class names (or indices as text), or the regression output's name. */
  readonly output_names: readonly string[];
  /** Index of each explained output among the model's outputs/classes. */
  readonly output_indices: readonly number[];
  /** E_b f(b) per output (weighted mean over the background). */
  readonly base_value: readonly number[];
  /** [row][output] model value of each explained row. */
  readonly f_x: readonly (readonly number[])[];
  /** [row][feature][output]. */
  readonly shap_values: readonly (readonly (readonly number[])[])[];
  /** max over rows, outputs of |Σφ − (f(x) − base)| divided by the scale max(|f(x)|, |base|) (≥ 1e-12). */
  readonly efficiency_max_error: number;
  /** [row][feature]: the explained rows' feature values (patches: the patch's mean value). */
  readonly feature_values: readonly (readonly number[])[];
  /** 0-based data-row index of each explained row. */
  readonly rows: readonly number[];
  /** The explained rows' labels, when the data has a label column. */
  readonly labels?: readonly (number | string)[];
  /** Background rows used and how they were chosen. */
  readonly background: { readonly rows: number; readonly source: string; readonly how: 'all' | 'sample' | 'kmeans' | 'mean' };
  /**
   * Distinct coalitions evaluated for each explained row besides ∅ and the full set (each costs one model row per
   * background row). Features whose value equals every background row's are left out (φ = 0 exactly). Adaptive
   * budgets: the sum over their rounds.
   */
  readonly coalitions_per_row: readonly number[];
  /** Features that vary against the background, per explained row (the M the estimator worked with). */
  readonly varying_features: readonly number[];
  /** The budget settings in effect (Kernel: nsamples; permutation/occlusion: max_evals and antithetic pairs). */
  readonly settings: {
    readonly seed: number;
    readonly nsamples?: number;
    readonly top_k?: number;
    readonly max_evals?: number;
    readonly permutation_pairs?: number;
    /** Adaptive budget (no explicit nsamples / maxEvals): the target relative error, the coalition cap per row, the time cap (s/row) if one was set. */
    readonly target_error?: number;
    readonly max_coalitions?: number;
    readonly time_cap?: number;
  };
  /** The estimated sampling error (Permutation, Kernel, occlusion by permutation; absent for exact values). */
  readonly error?: ExplainErrorEstimate;
  /** onnxruntime calls and model rows evaluated (all rows, background included). */
  readonly model_calls: number;
  readonly model_rows: number;
  readonly seconds: number;
  readonly image?: ExplainImage;
  readonly notes: readonly string[];
  readonly created: string;
}
