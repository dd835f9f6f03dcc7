/**
 * Pruning: what the worker ops `prune` / `prune-sensitivity` (and `ptp prune`) take and return — the JSON the CLI
 * prints and the pruning report panel, its sensitivity curves and the graph's sparsity overlay read.
 *
 * - `magnitude`: unstructured; the weights of smallest |w| of Conv / Gemm / MatMul weights are set to 0, per layer
 *   (each layer reaches `sparsity`) or global (one threshold over all selected weights, as torch's
 *   `global_unstructured`). Biases are never touched.
 * - `nm`: semi-structured N:M; in every group of M consecutive weights along the reduction (input-channel) axis
 *   the N of largest |w| are kept (2:4 = NVIDIA sparse tensor cores' pattern).
 * - `structured`: whole output channels / neurons are removed by L1 or L2 norm and the graph is rewritten so the
 *   tensors shrink: the producer's weight and bias, BatchNormalization parameters, per-channel constants of
 *   elementwise ops in between, depthwise convolutions, and the consumers' input channels. Channels joined by a
 *   residual Add are removed in every layer of the group alike, or the group is left alone.
 */
import type { Lineage } from './lineage';
import type { DistillEpoch } from './distill';
import type { BeforeAfterComparison, LatencyRows } from './evaluate';
import type { DataSelection, OptionalDataSelection } from './data';
import type { RuntimeOptions } from './worker';

export type PruneMethod = 'magnitude' | 'nm' | 'structured';
export type PruneScope = 'layer' | 'global';
/** Channel importance of structured pruning: L1 or L2 norm of the channel's weights (summed over a residual group). */
export type ChannelCriterion = 'l1' | 'l2';

/** Data (optional): both models are evaluated on it (metrics before/after, agreement; `label` null = agreement only). */
export interface PruneParams extends RuntimeOptions, Omit<OptionalDataSelection, 'maxRows'> {
  readonly model: string;
  readonly method: PruneMethod;
  /**
   * In (0, 1). magnitude: fraction of each selected weight set to 0 (default 0.5); structured: fraction of the
   * channels of each selected layer (or residual group) removed (default 0.25). Ignored by `nm`.
   */
  readonly sparsity?: number;
  /** magnitude only (default 'layer'). */
  readonly scope?: PruneScope;
  /** nm: keep `n` of every `m` (default 2:4); 0 < n < m. */
  readonly n?: number;
  readonly m?: number;
  /** structured (default 'l1'). */
  readonly criterion?: ChannelCriterion;
  /** Node names to prune (default: every prunable node). Structured: a named layer that cannot be pruned is an error. */
  readonly layers?: readonly string[];
  /** Node names left alone. */
  readonly excludeNodes?: readonly string[];
  /** Per-node sparsity overriding `sparsity` (e.g. chosen from a sensitivity analysis); values in (0, 1). */
  readonly layerSparsity?: Readonly<Record<string, number>>;
  /** structured: the number of channels kept is rounded up to a multiple of this (default 1). */
  readonly roundTo?: number;
  /** Output file (default `<model>.pruned.onnx` next to the model); never the model itself. */
  readonly output?: string;
  readonly batchSize?: number;
  /** Latency of both models (benchModel settings), or false to skip it. */
  readonly latency?: false | { readonly batchSizes?: readonly number[]; readonly runs?: number; readonly warmup?: number };
  /**
   * Fine-tune the pruned model before it is evaluated: it is trained to mimic the source model (knowledge
   * distillation, the `distill` trainer with the pruned model as a `model` student) on `finetune.data`. Magnitude and
   * N:M keep every zero weight at 0, so the sparsity is unchanged; structured keeps its smaller tensors.
   * metrics_after / latency_after are then the fine-tuned model's.
   */
  readonly finetune?: PruneFinetuneParams;
}

/** Fine-tuning settings of a pruning run (defaults: 10 epochs, patience 3, the distill defaults otherwise). */
export interface PruneFinetuneParams {
  /** Training data (the evaluation stays on `data`; use different rows). */
  readonly data: string;
  /** Label column of the training data (undefined = auto-detect; null = none: the source model's outputs only). */
  readonly label?: string | null;
  /** Most epochs (default 10). */
  readonly epochs?: number;
  /** Adam learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Epochs without validation-loss improvement before stopping (default 3); the best epoch's weights are kept. */
  readonly patience?: number;
  /** Seed of the train / validation split and the batch order (default 0). */
  readonly seed?: number;
  /** Softmax temperature of the source model's soft targets (default 4). */
  readonly temperature?: number;
  /** Weight of the source model's soft targets against the labels, in [0, 1] (default 0.7). */
  readonly alpha?: number;
}

/** What fine-tuning did: the training history on `data` (a share of its rows held out for early stopping). */
export interface PruneFinetuneResult {
  readonly data: string;
  readonly epochs_run: number;
  readonly best_epoch: number;
  readonly stopped_early: boolean;
  readonly train_rows: number;
  readonly validation_rows: number;
  readonly history: readonly DistillEpoch[];
  readonly ms: number;
}

/** One pruned (or excluded) node of the main graph. */
export interface PrunedLayer {
  /** Node name (unnamed nodes: `<op_type>_<index>`). */
  readonly name: string;
  readonly op_type: string;
  /** The weight initializer. */
  readonly weight: string;
  /** Achieved fraction of zero weights after pruning (structured: of the weights left; 0 when only shrunk). */
  readonly sparsity: number;
  /** Elements of the layer's weight (and bias) before / after; structured pruning lowers params_after. */
  readonly params_before: number;
  readonly params_after: number;
  /** structured: output channels before and after (consumers shrink on their input side only). */
  readonly channels_before?: number;
  readonly channels_after?: number;
  /** structured: the residual group this layer's channels were pruned with (same id = same channels removed). */
  readonly group?: number;
  readonly status: 'pruned' | 'shrunk' | 'excluded';
}

export interface PruneSkipped {
  readonly node: string;
  readonly op_type: string;
  readonly reason: string;
}

export type PruneLatency = LatencyRows;

export interface PruneResult extends BeforeAfterComparison {
  readonly model: string;
  readonly output: string;
  readonly method: PruneMethod;
  /** The settings used, defaults filled in. */
  readonly settings: {
    readonly sparsity: number;
    readonly scope: PruneScope;
    readonly n: number;
    readonly m: number;
    readonly criterion: ChannelCriterion;
    readonly round_to: number;
    readonly exclude: readonly string[];
    readonly layers?: readonly string[];
    readonly layer_sparsity?: Readonly<Record<string, number>>;
  };
  /** Zero weights / all weights of the prunable layers, after pruning (magnitude, nm). structured: removed / before. */
  readonly achieved_weight_sparsity: number;
  readonly layers: readonly PrunedLayer[];
  readonly skipped: readonly PruneSkipped[];
  /** Elements of all initializers of the model, before and after. */
  readonly params_before: number;
  readonly params_after: number;
  readonly size_bytes_before: number;
  readonly size_bytes_after: number;
  /**
   * Sparse-friendly storage note: the output's size gzip-compressed (zeros compress; what a zipped artifact or a
   * sparse format would gain), against the source's; absent for files over 512 MB.
   */
  readonly compressed_bytes_before?: number;
  readonly compressed_bytes_after?: number;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  /** Present when the pruned model was fine-tuned (PruneParams.finetune); the `*_after` fields are the fine-tuned model's. */
  readonly finetune?: PruneFinetuneResult;
  readonly timings: Readonly<Record<string, number>>;
  readonly ort_version: string;
  readonly created: string;
  /** What the output model carries in its `metadata_props` under `ptp.lineage` (params: { method, settings, finetune? }). */
  readonly lineage: Lineage;
}

/** Per-layer sparsity sweep: each layer pruned alone at each sparsity, the model evaluated on the data each time. */
/** Data: the rows each pruned model is evaluated on; `maxRows` at most (default 2000), to keep layers × sparsities evaluations quick. */
export interface PruneSensitivityParams extends RuntimeOptions, DataSelection {
  readonly model: string;
  /** 'magnitude' (default) or 'structured'. */
  readonly method?: 'magnitude' | 'structured';
  readonly criterion?: ChannelCriterion;
  /** Sparsities tried, each in (0, 1) (default 0.1, 0.3, 0.5, 0.7, 0.9). */
  readonly sparsities?: readonly number[];
  readonly layers?: readonly string[];
  /** Node names left alone. */
  readonly excludeNodes?: readonly string[];
  readonly batchSize?: number;
}

export interface SensitivityCurve {
  readonly name: string;
  readonly op_type: string;
  readonly params: number;
  readonly points: readonly { readonly sparsity: number; readonly value: number | null; readonly agreement: number | null }[];
  /**
   * structured: this layer's channels are removed together with those of the named layer (a residual group), so
   * pruning either gives the same model and this curve is that layer's (measured once).
   */
  readonly same_as?: string;
}

export interface PruneSensitivityResult {
  readonly model: string;
  readonly method: 'magnitude' | 'structured';
  readonly data: string;
  readonly samples: number;
  readonly task: 'classification' | 'regression';
  /** The metric of the curves: accuracy (classification) or r2 (regression); agreement with the unpruned model too. */
  readonly metric: 'accuracy' | 'r2';
  readonly baseline: number | null;
  readonly layers: readonly SensitivityCurve[];
  readonly skipped: readonly PruneSkipped[];
  readonly ms: number;
}
