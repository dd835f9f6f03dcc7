/**
 * Knowledge distillation: what the worker op `distill` (and `ptp distill`) takes and returns. A smaller student is
 * trained to mimic the teacher ONNX model on the user's data (Hinton et al. 2015): the loss is
 * `alpha · T² · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − alpha) · CE(labels, student)` for classification
 * (`alpha` = 1 without labels), mean squared error to the teacher's outputs (mixed with the labels likewise) for
 * regression. The student is exported as ONNX with the teacher's input and output names.
 */
import type { Lineage } from './lineage';
import type { LatencyRows } from './evaluate';
import type { ClassificationMetrics, RegressionMetrics } from '../pipeline/evaluate/metrics/types';
import type { DataSelection } from './data';
import type { RuntimeOptions } from './worker';

export type StudentSpec =
  /** A multilayer perceptron on the flattened input: hidden widths chosen by the user, e.g. [64, 32]. */
  | { readonly kind: 'mlp'; readonly hidden: readonly number[]; readonly activation?: 'relu' | 'tanh' }
  /**
   * A narrower copy of the teacher (a sequential Conv / Gemm / MatMul network): every prunable layer keeps
   * `width` of its channels (structured pruning's graph surgery), initialised from the teacher's strongest
   * channels, then trained.
   */
  | { readonly kind: 'narrow'; readonly width: number }
  /**
   * An ONNX model the user already has (e.g. a pruned copy of the teacher), trained as it is from its own weights. It
   * must take the teacher's inputs and give the teacher's outputs (same names, element types and fixed dimensions).
   * `keepZeros`: every weight that is exactly 0 stays 0 while training (the mask is re-applied after every optimizer
   * step), so unstructured or N:M sparsity survives.
   */
  | { readonly kind: 'model'; readonly path: string; readonly keepZeros?: boolean };

/** Data: the training data (read like evaluation data: label, sensitive and id columns are not fed; `label` null = soft targets only). */
export interface DistillParams extends RuntimeOptions, Omit<DataSelection, 'maxRows'> {
  readonly teacher: string;
  /** Default: an MLP with one hidden layer of half the teacher's first layer width (at least 8). */
  readonly student?: StudentSpec;
  /** Softmax temperature of the soft targets (default 4). */
  readonly temperature?: number;
  /** Weight of the soft (teacher) loss against the hard (label) loss, in [0, 1] (default 0.7; 1 without labels). */
  readonly alpha?: number;
  /** Most epochs (default 200). */
  readonly epochs?: number;
  /** Mini-batch rows (default 64). */
  readonly batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Fraction of rows held out for validation and early stopping (default 0.2). */
  readonly validationSplit?: number;
  /** Epochs without validation-loss improvement before stopping (default 20); the best epoch's weights are kept. */
  readonly patience?: number;
  /** Seed of initialisation, split and shuffling (default 0): the same seed gives the same student. */
  readonly seed?: number;
  /** Test data for the teacher-vs-student report (default: the validation rows). */
  readonly evalData?: string;
  /** Output file (default `<teacher>.student.onnx`); never the teacher itself. */
  readonly output?: string;
  readonly latency?: false | { readonly batchSizes?: readonly number[]; readonly runs?: number; readonly warmup?: number };
}

export interface DistillEpoch {
  readonly epoch: number;
  readonly train_loss: number;
  readonly val_loss: number;
  /** Validation accuracy (classification, against labels when present, else agreement with the teacher) or R². */
  readonly val_metric: number | null;
  readonly ms: number;
}

export interface DistillResult {
  readonly teacher: string;
  readonly output: string;
  readonly task: 'classification' | 'regression';
  readonly student: StudentSpec;
  /** Human-readable layer list, e.g. "64 → 32 → Relu → 10". */
  readonly architecture: string;
  readonly settings: {
    readonly temperature: number;
    readonly alpha: number;
    readonly epochs: number;
    readonly batchSize: number;
    readonly learningRate: number;
    readonly validationSplit: number;
    readonly patience: number;
    readonly seed: number;
  };
  readonly train_rows: number;
  readonly validation_rows: number;
  readonly epochs_run: number;
  readonly best_epoch: number;
  readonly stopped_early: boolean;
  readonly history: readonly DistillEpoch[];
  readonly params_teacher: number;
  readonly params_student: number;
  readonly size_bytes_teacher: number;
  readonly size_bytes_student: number;
  /** Where the teacher-vs-student metrics were measured (evalData, or the validation rows). */
  readonly eval_data: string;
  readonly samples: number;
  readonly metrics_teacher?: ClassificationMetrics | RegressionMetrics | null;
  readonly metrics_student?: ClassificationMetrics | RegressionMetrics | null;
  /** Fraction of rows where student and teacher predict the same class (classification). */
  readonly agreement?: number;
  readonly max_abs_diff?: number;
  readonly latency_teacher?: LatencyRows;
  readonly latency_student?: LatencyRows;
  readonly warnings: readonly string[];
  readonly timings: Readonly<Record<string, number>>;
  readonly library: string;
  readonly ort_version: string;
  readonly created: string;
  /** What the output model carries in its `metadata_props` under `ptp.lineage` (params: { student, settings, ... }; parent: the teacher). */
  readonly lineage: Lineage;
}
