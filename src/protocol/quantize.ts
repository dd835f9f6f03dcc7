/**
 * Quantization: what the worker op `quantize` / `ptp quantize` takes and returns (the JSON the CLI prints and
 * the quantization report panel, graph overlay and "Exclude from quantization / Re-quantize" actions read).
 * Settings follow onnxruntime's Python quantizer (`quantize_dynamic`, `quantize_static`, `MatMulNBitsQuantizer`,
 * float16 conversion) and its names where one exists.
 */
import type { Lineage } from './lineage';
import type { BeforeAfterComparison, LatencyRows } from './evaluate';
import type { OptionalDataSelection } from './data';
import type { RuntimeOptions } from './worker';

/**
 * - `dynamic`: int8 weights, activations quantized at run time (DynamicQuantizeLinear → MatMulInteger/ConvInteger).
 * - `static`: int8 weights and activations in QDQ format (QuantizeLinear/DequantizeLinear), ranges from calibration data.
 * - `fp16`: float16 weights and compute, float32 graph inputs/outputs.
 * - `int4`: 4-bit block-wise weight-only MatMul (com.microsoft MatMulNBits), and embedding tables
 *   (GatherBlockQuantized) when `op_types` lists Gather.
 */
export type QuantizeMode = 'dynamic' | 'static' | 'fp16' | 'int4';

/** How activation ranges are found from calibration data (onnxruntime's CalibrationMethod). */
export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

/** Element type of quantized activations in static mode: int8 = S8S8 (onnxruntime's first choice on x86-64), uint8 = U8S8. */
export type ActivationType = 'int8' | 'uint8';

/**
 * The settings of one run, complete (defaults filled in): what the output model's `ptp.lineage` holds as `params`,
 * what a `--save-recipe FILE` recipe file holds, and what `quantize({ recipe })` repeats. Fields that do not apply to the mode are still present with their defaults.
 */
export interface QuantizeRecipe {
  /** Format version of this object. */
  readonly version: 1;
  readonly mode: QuantizeMode;
  /** Static: how activation ranges are computed. */
  readonly method: CalibrationMethod;
  /** Percentile method: the percentile kept (default 99.999). */
  readonly percentile: number;
  /**
   * Histogram bins of the percentile / entropy methods (default 2048, onnxruntime's percentile default). onnxruntime's
   * entropy default is 128 bins over 128 quantized bins, which leaves a single candidate threshold (the full range,
   * i.e. MinMax); 2048 gives the KL search room, as TensorRT's entropy calibrator does. Set 128 for onnxruntime's.
   */
  readonly num_bins: number;
  /** Entropy method: bins of the quantized distribution the KL divergence is measured against (default 128). */
  readonly num_quantized_bins: number;
  /**
   * int8 modes: one scale per output channel (axis 0 of Conv / Gemm-transB weights, axis 1 of ConvTranspose weights,
   * the last axis of MatMul weights) and one per row of Gather embedding tables.
   */
  readonly per_channel: boolean;
  /** int8 modes: 7-bit weights (onnxruntime's reduce_range). */
  readonly reduce_range: boolean;
  /** Static: activation element type. */
  readonly activation_type: ActivationType;
  /** Static: symmetric activation ranges (zero point at the middle of the type). */
  readonly activation_symmetric: boolean;
  /** int4: symmetric blocks (no zero points). int8 weights are always symmetric (onnxruntime's default). */
  readonly weight_symmetric: boolean;
  /** Op types considered; empty = the mode's default list. */
  readonly op_types: readonly string[];
  /** Node names left in float (fp16: kept in float32). */
  readonly exclude: readonly string[];
  /** int4: elements per quantization block along K (16, 32, 64, 128, 256; default 128). */
  readonly block_size: number;
  /** int4: MatMulNBits accuracy_level (0 = unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 compute; default 4, onnxruntime-genai's CPU choice). */
  readonly accuracy_level: number;
  /** fp16: op types kept in float32 (with Casts around them); empty = the default block list. */
  readonly fp16_block_list: readonly string[];
  /** Static: rows of calibration data used at most. */
  readonly calibration_rows: number;
  /** Static: the calibration data file, when one was given apart from the evaluation data. */
  readonly calibration?: string;
}

/**
 * Settings a caller may give; anything missing comes from `recipe`, then the defaults. Its keys are the recipe's, i.e. the
 * keys of a recipe file, of the output's `ptp.lineage` params and of the `recipe` object in `ptp quantize --json` (a file contract, snake_case;
 * `exclude` there = node names, the `excludeNodes` of the extension's arguments object).
 */
export type QuantizeSettings = Partial<Omit<QuantizeRecipe, 'version' | 'mode'>>;

/**
 * Data (optional): both models are evaluated on it (metrics, agreement; `label` null = agreement only) and, without
 * `calibration`, it calibrates static mode. `sensitive` / `excludeColumns` are never fed to the model.
 */
export interface QuantizeParams extends RuntimeOptions, OptionalDataSelection {
  readonly model: string;
  /** Mode; may come from `recipe` instead. */
  readonly mode?: QuantizeMode;
  /** The output file (default `<model>.int8.onnx` / `.fp16.onnx` / `.int4.onnx` next to the model). Never the model itself. */
  readonly output?: string;
  /**
   * A recipe to repeat (object, or the path of a recipe JSON file or of a quantized model whose `ptp.lineage` holds
   * one); explicit settings override it.
   */
  readonly recipe?: QuantizeRecipe | string;
  readonly settings?: QuantizeSettings;
  /** Calibration data for static mode (read like evaluation data: label, sensitive and id columns are not fed). */
  readonly calibration?: string;
  /** Rows of data used for activation SQNR (default 64; 0 = skip activation SQNR). */
  readonly sqnrRows?: number;
  /** Evaluation batch size (default 1024). */
  readonly batchSize?: number;
  /** Latency measurement of both models (benchModel settings), or false to skip it. */
  readonly latency?: false | { readonly batchSizes?: readonly number[]; readonly runs?: number; readonly warmup?: number };
  /** Also write the recipe to this JSON file after a successful run (nothing is written beside the source model). */
  readonly saveRecipe?: string;
}

/** One node of the source model's main graph the run quantized (or converted, or left in float on request). */
export interface QuantizedNodeReport {
  /** The node's name (unnamed nodes get `<op_type>_<index>`, the name they carry in the output model). */
  readonly name: string;
  readonly op_type: string;
  /** Index in the source model's main graph. */
  readonly index: number;
  /** `quantized` (int8/int4), `converted` (fp16), `excluded` (left float by request). */
  readonly status: 'quantized' | 'converted' | 'excluded';
  /** Precision of the node's weight or compute: int8, int4, fp16, or float (excluded). */
  readonly precision: 'int8' | 'int4' | 'fp16' | 'float';
  /** The weight initializer quantized for this node, if any. */
  readonly weight?: string;
  /** The node's (first) output tensor whose activation SQNR is reported. */
  readonly output?: string;
  /** SQNR of the weight: float vs dequantized, dB (capped at ±200 for identical / all-zero tensors). */
  readonly weight_sqnr_db?: number;
  /**
   * SQNR of the node's output on data rows: float model vs quantized model, dB. Compared tensors: the float
   * model's `output` against the quantized model's `<output>_dequantized` (QDQ: what consumers read) or, when
   * that does not exist, the tensor of the same name (dynamic, int4, fp16 keep the node's output name).
   */
  readonly activation_sqnr_db?: number;
  /** The op types that replaced the node in the output model, in order. */
  readonly replaced_by?: readonly string[];
}

export interface SkippedNode {
  readonly node: string;
  readonly op_type: string;
  readonly reason: string;
}

export type QuantizeLatency = LatencyRows;

/** The comparison fields (metrics, agreement, latency before/after) are present when `data` was given / latency measured. */
export interface QuantizeResult extends BeforeAfterComparison {
  readonly model: string;
  readonly output: string;
  readonly mode: QuantizeMode;
  /** The settings used (also the output's `ptp.lineage` params, and what `recipe_file` holds). */
  readonly recipe: QuantizeRecipe;
  /** Where the recipe was also written (`saveRecipe` / `--save-recipe FILE`); absent when it was not asked for. */
  readonly recipe_file?: string;
  /** What the output model carries in its `metadata_props` under `ptp.lineage` (params = `recipe`). */
  readonly lineage: Lineage;
  readonly size_bytes_before: number;
  readonly size_bytes_after: number;
  /** Stored bytes of the weights the run replaced, before and after (the weight part of the size ratio). */
  readonly weight_bytes_before: number;
  readonly weight_bytes_after: number;
  readonly quantized_nodes: number;
  /** Per node, worst first: lowest of activation and weight SQNR; nodes without an SQNR last. */
  readonly nodes: readonly QuantizedNodeReport[];
  readonly skipped: readonly SkippedNode[];
  readonly warnings: readonly string[];
  /** Static mode: where the ranges came from. */
  readonly calibration?: {
    readonly file: string;
    readonly rows: number;
    readonly method: CalibrationMethod;
    readonly tensors: number;
  };
  /** Rows the activation SQNR was measured on (0 = not measured). */
  readonly sqnr_rows: number;
  /** fp16 mode: constants outside float16's range. */
  readonly fp16?: {
    /** Values beyond ±65504 clamped to ±65504. */
    readonly clamped: number;
    /** Non-zero values below float16's smallest subnormal (2^-24) raised to ±2^-24 instead of flushing to 0. */
    readonly underflowed: number;
    /** Nodes kept in float32 by the block list. */
    readonly blocked_nodes: number;
    /** Op types converted that onnxruntime's CPU provider runs natively in float16 (it casts around the others). */
    readonly cpu_native_fp16_ops: readonly string[];
  };
  /** Wall time of the phases, ms. */
  readonly timings: Readonly<Record<string, number>>;
  readonly ort_version: string;
  readonly created: string;
}
