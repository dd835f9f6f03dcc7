/**
 * Data drift: what the worker op `drift` / `ptp drift` takes and returns (the JSON `ptp drift --json` prints is this
 * result). Each column of a current data set is compared with the same column of a reference data set by one
 * statistical test (Evidently's names and defaults); the data set drifts when the share of drifted columns reaches
 * `driftShare`.
 */

export const STAT_TESTS = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi', 'kl_div', 'anderson', 'hellinger'] as const;
export type StatTestName = (typeof STAT_TESTS)[number];

export type ColumnKind = 'numerical' | 'categorical';

export interface DriftParams {
  /** The reference data file (CSV/TSV, NPY/NPZ, JSONL, Parquet). */
  readonly reference: string;
  /** The current data file, same columns. */
  readonly current: string;
  /** Check only these columns (default: every column of both files). */
  readonly columns?: readonly string[];
  /** Columns never checked (an id, the label …). */
  readonly excludeColumns?: readonly string[];
  /** Columns read as categorical / numerical whatever their values (default: inferred). */
  readonly categorical?: readonly string[];
  readonly numerical?: readonly string[];
  /** One test for every column it applies to (default 'auto': Evidently's choice per column). */
  readonly stattest?: StatTestName | 'auto';
  /** The threshold of every column's test (default: the test's own, 0.05 for p-values, 0.1 for distances). */
  readonly threshold?: number;
  /** Per-column test, overriding `stattest`. */
  readonly columnStattests?: Readonly<Record<string, StatTestName>>;
  /** Per-column threshold, overriding `threshold`. */
  readonly columnThresholds?: Readonly<Record<string, number>>;
  /** The data set drifts when drifted / checked columns ≥ this (default 0.5). */
  readonly driftShare?: number;
  /** Also write the result as a small self-contained HTML file here (atomically). */
  readonly html?: string;
}

export interface ColumnDrift {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly stattest: StatTestName;
  /** The test's statistic (KS D, χ², z, A², or the distance); null when the test has none for these data. */
  readonly statistic: number | null;
  /** The p-value for the tests that have one (ks, chisquare, z, anderson); null for distances. */
  readonly p_value: number | null;
  readonly threshold: number;
  readonly drift: boolean;
}

export interface DriftResult {
  readonly reference: string;
  readonly current: string;
  readonly dataset_drift: boolean;
  /** The share of drifted columns at which the data set drifts (the `driftShare` used). */
  readonly drift_share: number;
  /** Number of columns whose test found drift. */
  readonly drifted_columns: number;
  /** drifted_columns / n_columns. */
  readonly share_of_drifted_columns: number;
  /** Number of columns checked. */
  readonly n_columns: number;
  /** Rows of the reference and current files. */
  readonly n_reference: number;
  readonly n_current: number;
  readonly columns: readonly ColumnDrift[];
  /** Columns not checked and why, constant-column floors, empty cells dropped … */
  readonly warnings: readonly string[];
  /** Absolute path of the HTML report, when one was asked for. */
  readonly html?: string;
}
