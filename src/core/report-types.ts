/** JSON shapes the core produces for `ptp inspect` / `ptp validate` and the model overview. */

export type ValueKind = 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'opaque' | 'unknown';

/** One graph input or output: `shape` holds numbers for fixed dims, strings for symbolic ones, null where unknown. */
export interface ValueSummary {
  readonly name: string;
  readonly kind: ValueKind;
  /** ONNX enum name (`"FLOAT"`); for sequence/optional the innermost tensor's type; for map `"map(INT64,FLOAT)"`-like text; null when absent. */
  readonly elem_type: string | null;
  readonly shape: (number | string | null)[] | null;
}

export interface ExternalDataRef {
  readonly tensor: string;
  readonly location: string;
  readonly offset: number;
  readonly length: number | null;
}

/** Exactly the keys `ptp inspect --json` prints. */
export interface InspectResult {
  readonly ir_version: number;
  readonly opset_import: Record<string, number>;
  readonly producer_name: string;
  readonly producer_version: string;
  readonly model_version: number;
  readonly doc_string: string;
  readonly graph_name: string;
  readonly metadata_props: Record<string, string>;
  readonly inputs: ValueSummary[];
  readonly outputs: ValueSummary[];
  readonly node_count: number;
  readonly node_count_total: number;
  readonly subgraph_count: number;
  readonly op_histogram: Record<string, number>;
  readonly initializer_count: number;
  readonly sparse_initializer_count: number;
  readonly parameter_count: number;
  readonly initializer_bytes: number;
  readonly external_data: ExternalDataRef[];
  readonly function_count: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** One problem `validate()` found; `node`/`tensor` name what it concerns when it concerns one. */
export interface Finding {
  readonly severity: Severity;
  /** Stable machine id, e.g. `topological-order`, `undefined-input`, `duplicate-name`, `missing-opset`. */
  readonly code: string;
  readonly message: string;
  /** Path of the graph holding it: `main`, `main/If_0:then_branch`, `function:com.x/F`. */
  readonly graph?: string;
  readonly node?: string;
  readonly tensor?: string;
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly findings: Finding[];
  /** Present when onnxruntime was asked (CLI / extension; the core itself never loads onnxruntime). */
  readonly runtime?: { readonly ok: boolean; readonly message?: string; readonly ort_version?: string };
}
