/**
 * Optimize Graph… (`ptp optimize`, worker op `optimize`): our own graph passes run to a fixpoint, each checked
 * against the original model on sample inputs, optionally followed by onnxruntime's offline optimization.
 */
import type { Lineage } from './lineage';
import type { RuntimeOptions } from './worker';

/** onnxruntime's offline graph optimization levels (`extended`/`all` may emit com.microsoft ops, CPU-EP specific). */
export type OrtOptimizationLevel = 'basic' | 'extended' | 'all';

export interface OptimizeParams extends RuntimeOptions {
  readonly model: string;
  /** Output file (default `<model>.opt.onnx` next to the model); never the source model. */
  readonly output?: string;
  /** Our passes: 'all' (default), 'none', or pass names (see OPTIMIZATION_PASSES; `_` and `-` are equivalent). */
  readonly passes?: 'all' | 'none' | readonly string[];
  /** Also run onnxruntime's offline optimization at this level, after our passes. */
  readonly ortLevel?: OrtOptimizationLevel;
  /** Value for symbolic dims of the sample inputs (default 2, falling back to 1 when the model refuses 2). */
  readonly symbolicDimValue?: number;
  /** Seed of the sample inputs (default 0). */
  readonly seed?: number;
  /** Tolerance of the output comparison: |a − b| ≤ atol + rtol·|a| per element (defaults 1e-4 and 1e-5). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Most rounds over all passes before giving up on a fixpoint (default 10). */
  readonly maxRounds?: number;
}

/** What one of our passes did, summed over the fixpoint rounds. */
export interface PassReport {
  readonly name: string;
  /** Changes kept (nodes removed/rewritten, initializers removed …, as the pass counts them). */
  readonly changes: number;
  /** Every kept change was checked on sample inputs (vacuously true for no changes); false when unverifiable or rejected. */
  readonly verified: boolean;
  /** Largest |output difference| against the original model after this pass's changes (null: not measured). */
  readonly max_abs_diff: number | null;
  /** The pass changed outputs beyond tolerance (or failed) and its last application was undone. */
  readonly rejected: boolean;
  /** Why it was rejected. */
  readonly message?: string;
}

/** What onnxruntime's offline optimization did. */
export interface OrtStageReport {
  readonly level: OrtOptimizationLevel;
  /** Its output replaced the model (false: rejected or failed, our passes' model was written instead). */
  readonly applied: boolean;
  readonly verified: boolean;
  readonly max_abs_diff: number | null;
  readonly message?: string;
}

/** How outputs were compared. */
export interface VerificationInfo {
  /** Whether the original model could be run on sample inputs at all. */
  readonly available: boolean;
  readonly symbolic_dim_value: number;
  readonly seed: number;
  readonly rtol: number;
  readonly atol: number;
  /** Tensor outputs compared (non-tensor outputs such as ZipMap's sequences cannot be fetched by onnxruntime-node). */
  readonly outputs: readonly string[];
}

export interface OptimizeResult {
  readonly model: string;
  readonly output: string;
  /** onnxruntime's level, or null when onnxruntime's offline optimization was not asked for. */
  readonly level: OrtOptimizationLevel | null;
  readonly passes: readonly PassReport[];
  readonly ort: OrtStageReport | null;
  readonly node_count_before: number;
  readonly node_count_after: number;
  readonly op_histogram_before: Readonly<Record<string, number>>;
  readonly op_histogram_after: Readonly<Record<string, number>>;
  readonly size_bytes_before: number;
  readonly size_bytes_after: number;
  /** Final model vs original on the sample inputs (null when outputs could not be compared). */
  readonly max_abs_diff: number | null;
  readonly verification: VerificationInfo;
  readonly rounds: number;
  readonly warnings: readonly string[];
  /**
   * What the output model carries in its `metadata_props` under `ptp.lineage`; params:
   * { passes, level, max_rounds, seed, symbolic_dim_value, rtol, atol } (the last four as `verification` reports them).
   */
  readonly lineage: Lineage;
}
