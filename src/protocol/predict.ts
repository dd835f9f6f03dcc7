/**
 * Batch inference: what the worker op `predict` / `ptp predict` takes and returns (the JSON `ptp predict --json`
 * prints is this result). One output row per data row: `id`, `prediction` and, for classifiers, `score_<class>`.
 */
import type { DataSelection } from './data';
import type { RuntimeOptions } from './worker';

export const PREDICT_FORMATS = ['csv', 'parquet', 'jsonl', 'npy'] as const;
export type PredictFormat = (typeof PREDICT_FORMATS)[number];

export interface PredictParams extends RuntimeOptions, DataSelection {
  readonly model: string;
  /** The predictions file; its format from `format`, else from the extension (.csv, .parquet, .jsonl, .npy). */
  readonly output: string;
  readonly format?: PredictFormat;
  readonly task?: 'classification' | 'regression' | 'auto';
  readonly batchSize?: number;
  /** The column whose value is each row's `id` (never fed to the model); default: the 0-based row index. */
  readonly idColumn?: string;
}

export interface PredictResult {
  readonly model: string;
  readonly data: string;
  /** Absolute path of the file written. */
  readonly output: string;
  readonly format: PredictFormat;
  readonly task: 'classification' | 'regression';
  readonly rows: number;
  /** The columns of each output row (NPY: the columns of the matrix; it holds no id). */
  readonly columns: readonly string[];
  readonly class_names?: readonly string[];
  readonly seconds: number;
  /** How the data and outputs were read (the evaluation's plan lines). */
  readonly plan: readonly string[];
  readonly warnings: readonly string[];
}
