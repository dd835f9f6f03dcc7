/**
 * Monitoring over time: what the worker op `monitor` / `ptp monitor` takes and returns (the JSON `ptp monitor
 * --json` prints is this result). The current data (a data file, or `ptp serve`'s request log) is cut into chunks
 * (NannyML's: by rows or by period); each chunk gets data drift against the reference (Evidently's tests), the
 * prediction drift, the realized performance where labels are known, the CBPE-estimated performance where a
 * classifier and a labelled reference are given, the serving latency from the log, and alerts.
 */
import type { ColumnDrift, DriftParams } from './drift';
import type { RuntimeOptions } from './worker';

export const MONITOR_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;
export type MonitorMetric = (typeof MONITOR_METRICS)[number];
export type MonitorMetrics = Readonly<Record<MonitorMetric, number | null>>;

export type FailOn = 'drift' | 'performance' | 'any';

export interface MonitorParams extends RuntimeOptions, Pick<DriftParams, 'columns' | 'excludeColumns' | 'categorical' | 'numerical' | 'stattest' | 'threshold' | 'columnStattests' | 'columnThresholds' | 'driftShare'> {
  /** The reference data file (labelled, for performance estimation). */
  readonly reference: string;
  /** The current data: a data file, or the request log of `ptp serve` (JSON Lines, rotated files read too). */
  readonly current: string;
  /** A model (file or NAME@REF, resolved by the caller): prediction drift, realized and estimated performance. */
  readonly model?: string;
  /** The label column of the reference (and of the current file, when it has one); null: none; default auto. */
  readonly label?: string | null;
  /** Labels that arrive later: a file with `idColumn` and the label column, joined to the current rows by id. */
  readonly labels?: string;
  /** The id column of the current data file (a request log's id is the request id). */
  readonly idColumn?: string;
  /** Chunks of this many rows (default: 10 chunks, NannyML's default, when no period is given). */
  readonly chunkSize?: number;
  /** Chunks by time period: `30m`, `1h`, `1d`, `1w` … (a request log's times, or `timeColumn`). */
  readonly chunkPeriod?: string;
  /** The current data file's time column (ISO 8601 text or epoch seconds), for period chunks. */
  readonly timeColumn?: string;
  /** Fixed alert bounds per metric (estimated or realized), instead of the reference's mean ± 3σ. */
  readonly alertBounds?: Readonly<Partial<Record<MonitorMetric, { readonly lower?: number; readonly upper?: number }>>>;
  /** Also write a self-contained HTML report here (atomically). */
  readonly html?: string;
  /**
   * A Prometheus scraping the server (`http://127.0.0.1:9090`): each timed chunk's latency and error rate come from
   * its query API over the server's metrics instead of the log, for `prometheusModel` (default: the log's model).
   */
  readonly prometheus?: string;
  readonly prometheusModel?: string;
}

export interface Band {
  readonly mean: number;
  readonly std: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface MonitorAlert {
  readonly kind: 'drift' | 'performance' | 'latency';
  /** `dataset_drift`, a column's name, or a metric (`estimated.accuracy`, `realized.f1`, `latency.error_rate`). */
  readonly metric: string;
  readonly value: number | boolean;
  readonly lower?: number | null;
  readonly upper?: number | null;
  readonly message: string;
}

export interface ChunkDrift {
  readonly dataset_drift: boolean;
  readonly drift_share: number;
  readonly drifted_columns: number;
  readonly share_of_drifted_columns: number;
  readonly columns: readonly ColumnDrift[];
}

export interface MonitorChunk {
  readonly index: number;
  /** Rows [start, end) of the current data (0-based). */
  readonly start: number;
  readonly end: number;
  readonly rows: number;
  /** Period chunks: the period (ISO 8601, UTC); row chunks of a request log: the first and last request time. */
  readonly start_time?: string;
  readonly end_time?: string;
  readonly drift: ChunkDrift;
  /** Metrics from known labels (current label column, or the labels file), else null. */
  readonly realized: MonitorMetrics | null;
  /** CBPE's estimate, with its sampling error per metric; null without a classifier and a labelled reference. */
  readonly estimated: (MonitorMetrics & { readonly sampling_error: MonitorMetrics }) | null;
  /** From the request log: per-request latency percentiles and the share of failed requests. */
  readonly latency: { readonly p50_ms: number; readonly p99_ms: number; readonly error_rate: number; readonly requests: number; readonly source: 'request-log' | 'prometheus' } | null;
  readonly alerts: readonly MonitorAlert[];
}

export interface ColumnDistribution {
  readonly kind: 'numerical' | 'categorical';
  /** Bin labels: `[a, b)` ranges or category values. */
  readonly bins: readonly string[];
  /** Shares of the reference's rows per bin (sum 1). */
  readonly reference: readonly number[];
  /** Per chunk, in chunk order, shares per bin. */
  readonly chunks: readonly (readonly number[])[];
}

export interface MonitorResult {
  readonly reference: {
    readonly file: string;
    readonly rows: number;
    /** The reference cut like the current data (its chunks set the alert bands). */
    readonly chunks: number;
    /** Realized metrics of the whole reference. */
    readonly metrics: MonitorMetrics | null;
    /** Alert band per metric: the reference chunks' mean ± 3σ (or the fixed bounds given). */
    readonly bands: Readonly<Partial<Record<MonitorMetric, Band>>>;
    /** Per class (binary: class 1), whether CBPE's isotonic calibration is used. */
    readonly calibrated: readonly boolean[] | null;
  };
  readonly current: {
    readonly file: string;
    readonly kind: 'data' | 'request-log';
    readonly rows: number;
    /** Request log: lines that were not records (skipped), and requests whose inputs were not logged. */
    readonly skipped_lines?: number;
    readonly requests_without_features?: number;
  };
  readonly model: string | null;
  readonly task: 'classification' | 'regression' | null;
  readonly class_names: readonly string[] | null;
  readonly chunking: { readonly by: 'size' | 'number' | 'period'; readonly size?: number; readonly period?: string };
  readonly chunks: readonly MonitorChunk[];
  /**
   * Per checked column (and `prediction`, with a model): its distribution in the reference and in each chunk, as
   * shares of rows per bin — numbers in 10 bins on the reference's range (first and last open), text by value
   * (the 20 most frequent in the reference, then "other"). What the dashboard plots; aggregates, never rows.
   */
  readonly distributions: Readonly<Record<string, ColumnDistribution>>;
  /** Alerts over all chunks. */
  readonly alerts: number;
  /** What the estimate assumes, in words (CBPE: no concept drift). */
  readonly assumptions: readonly string[];
  readonly warnings: readonly string[];
  /** Absolute path of the HTML report, when one was asked for. */
  readonly html?: string;
}
