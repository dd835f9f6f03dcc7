/**
 * Which rows and columns of a data file an operation reads: the one shape every params type that reads data
 * (evaluate, compare, explain, quantize, prune, prune-sensitivity, distill) extends, so the same field has the
 * same name and meaning everywhere. Columns are `excludeColumns`; node names (quantize, prune) are `excludeNodes`.
 */
export interface DataSelection {
  /** The data file (CSV/TSV, NPY/NPZ, JSONL, Parquet, or an image folder). */
  readonly data: string;
  /** Label column; undefined = auto-detect (label/target/y); null = no labels. Never fed to the model. */
  readonly label?: string | null;
  /** Sensitive attributes: never fed to the model (fairness groups where the operation reports them). */
  readonly sensitive?: readonly string[];
  /** Other columns never fed to the model (id-like columns are detected automatically). */
  readonly excludeColumns?: readonly string[];
  /** Use at most the first N rows (each operation documents its default). */
  readonly maxRows?: number;
}

/** A data selection for operations where data is optional (quantize, prune: without it, nothing is evaluated). */
export type OptionalDataSelection = Omit<DataSelection, 'data'> & { readonly data?: string };
