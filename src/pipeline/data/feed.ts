/** One batch of rows → the tensors a plan feeds to the model, the labels and the sensitive groups (typed-array loops). */
import { DataType } from '../../core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../core/tensor/types';
import { DatasetError } from './errors';
import type { FeaturePlan, InputFeed } from './plan';
import type { DataBatch } from './types';

/** How many rows with a NaN feature are located per batch (the count covers them all). */
const NAN_ROWS_LISTED = 5;

export interface BatchInputs {
  /** One tensor per model input, dims [rows, …rowShape], values typed for the input's element type. */
  readonly inputs: Record<string, DecodedTensor>;
  /** The label of each row: numbers when the label column is numeric, else text; absent without a label. */
  readonly labels?: Float64Array | string[];
  /** Each sensitive column's values as text ('' where empty; numbers printed as JavaScript does: `1`, `0.5`). */
  readonly sensitive: Record<string, string[]>;
  /** Feature cells that were NaN (empty or NA in the file) and fed as NaN (or 0 for integer inputs). */
  readonly nanFeatureCells: number;
  /** Rows with at least one NaN feature. */
  readonly nanFeatureRows: number;
  /** Where the first of those rows are (`line 17 (data row 16)`, `row 5`, `image "cat/1.png"`). */
  readonly nanRowLocations: string[];
  readonly rows: number;
}

/** Where row `i` of a batch is, for messages: the file line (text formats), the image, or the 1-based row. */
export function rowLocation(batch: DataBatch, i: number): string {
  if (batch.lines) return `line ${batch.lines[i]} (data row ${batch.startRow + i + 1})`;
  if (batch.rowFiles) return `image "${batch.rowFiles[i]}"`;
  return `row ${batch.startRow + i + 1}`;
}

/** A zeroed array of the type `DecodedTensor` uses for an element type (strings: empty strings). */
export function allocateValues(dataType: DataType, n: number): TensorValues {
  switch (dataType) {
    case DataType.FLOAT:
    case DataType.FLOAT16:
      return new Float32Array(n);
    case DataType.DOUBLE:
      return new Float64Array(n);
    case DataType.INT8:
      return new Int8Array(n);
    case DataType.INT16:
      return new Int16Array(n);
    case DataType.INT32:
      return new Int32Array(n);
    case DataType.UINT8:
    case DataType.BOOL:
      return new Uint8Array(n);
    case DataType.UINT16:
      return new Uint16Array(n);
    case DataType.UINT32:
      return new Uint32Array(n);
    case DataType.INT64:
      return new BigInt64Array(n);
    case DataType.UINT64:
      return new BigUint64Array(n);
    case DataType.STRING:
      return new Array<string>(n).fill('');
    default:
      throw new Error(`element type ${dataType} cannot be fed`);
  }
}

/** Collects NaN statistics across the feeds of one batch. */
class NanTally {
  cells = 0;
  flags: Uint8Array | undefined;
  constructor(private readonly rows: number) {}
  mark(row: number): void {
    this.cells++;
    (this.flags ??= new Uint8Array(this.rows))[row] = 1;
  }
}

/**
 * Writes `src` (column-major) or `flat` (row-major) values into `out` at stride `d`, offset `j`, converting
 * to the output's element type. Floats keep NaN; integer types get 0 for NaN (counted either way); BOOL is
 * `v ≠ 0`; integers are truncated toward zero (out-of-range values wrap like a C cast).
 */
function writeColumn(src: Float64Array, out: TensorValues, d: number, j: number, rows: number, nan: NanTally, bool: boolean): void {
  if (out instanceof Float32Array || out instanceof Float64Array) {
    for (let i = 0, o = j; i < rows; i++, o += d) {
      const v = src[i];
      if (v !== v) nan.mark(i);
      out[o] = v;
    }
  } else if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0, o = j; i < rows; i++, o += d) {
      const v = src[i];
      if (v !== v) nan.mark(i);
      out[o] = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
    }
  } else if (Array.isArray(out)) {
    for (let i = 0, o = j; i < rows; i++, o += d) {
      const v = src[i];
      if (v !== v) nan.mark(i);
      out[o] = v !== v ? '' : String(v);
    }
  } else if (bool) {
    const o8 = out as Uint8Array;
    for (let i = 0, o = j; i < rows; i++, o += d) {
      const v = src[i];
      if (v !== v) nan.mark(i);
      o8[o] = v !== 0 && v === v ? 1 : 0;
    }
  } else {
    const oi = out as Int32Array;
    for (let i = 0, o = j; i < rows; i++, o += d) {
      const v = src[i];
      if (v !== v) nan.mark(i);
      oi[o] = v;
    }
  }
}

function fillFeed(file: string, feed: InputFeed, batch: DataBatch, nan: NanTally): DecodedTensor {
  const rows = batch.rowCount;
  if (feed.fixedBatch !== undefined && rows !== feed.fixedBatch) {
    throw new DatasetError(
      file,
      'feature-mismatch',
      `the model fixes the batch size of input "${feed.input}" to ${feed.fixedBatch}, but a batch of ${rows} rows was read; read the data in batches of ${feed.fixedBatch}`,
    );
  }
  const d = feed.rowSize;
  const dims = [rows, ...feed.rowShape];
  const src = feed.source;
  if (src.kind === 'tensor') {
    const t = batch.tensors?.get(src.tensor);
    if (!t) throw new Error(`batch has no tensor column "${src.tensor}"`);
    const data = t.data;
    const n = rows * d;
    for (let k = 0; k < n; k++) {
      if (data[k] !== data[k]) nan.mark((k / d) | 0);
    }
    if ((feed.dataType === DataType.FLOAT || feed.dataType === DataType.FLOAT16) && data instanceof Float32Array) {
      return { name: feed.input, dataType: feed.dataType, dims, size: n, values: data.length === n ? data : data.subarray(0, n) };
    }
    if (feed.dataType === DataType.DOUBLE && data instanceof Float64Array) {
      return { name: feed.input, dataType: feed.dataType, dims, size: n, values: data.length === n ? data : data.subarray(0, n) };
    }
    const out = allocateValues(feed.dataType, n);
    const f64 = data instanceof Float64Array ? data : Float64Array.from(data.subarray(0, n));
    // Row-major source: one "column" of n values at stride 1; NaNs were counted above.
    writeColumn(f64, out, 1, 0, n, new NanTally(n), feed.dataType === DataType.BOOL);
    return { name: feed.input, dataType: feed.dataType, dims, size: n, values: out };
  }
  const out = allocateValues(feed.dataType, rows * d);
  const bool = feed.dataType === DataType.BOOL;
  const cols = src.columns;
  for (let j = 0; j < cols.length; j++) {
    const col = batch.columns.get(cols[j]);
    if (col === undefined) throw new Error(`batch has no column "${cols[j]}"`);
    if (Array.isArray(col)) {
      // Text column: only STRING inputs take it (the plan refuses it otherwise).
      const o = out as string[];
      for (let i = 0, k = j; i < rows; i++, k += d) o[k] = col[i];
    } else writeColumn(col, out, d, j, rows, nan, bool);
  }
  return { name: feed.input, dataType: feed.dataType, dims, size: rows * d, values: out };
}

/**
 * The model inputs of one batch as the plan says, plus labels and sensitive groups. Throws DatasetError for a
 * missing label (NaN / empty) naming its row, and for a batch size the model does not accept. NaN features are
 * fed as they are (integer inputs: 0) and counted, with the first rows located.
 */
export function buildBatchInputs(plan: FeaturePlan, batch: DataBatch): BatchInputs {
  const file = plan.file ?? 'data';
  const rows = batch.rowCount;
  const nan = new NanTally(rows);
  const inputs: Record<string, DecodedTensor> = {};
  for (const feed of plan.feeds) inputs[feed.input] = fillFeed(file, feed, batch, nan);

  let labels: Float64Array | string[] | undefined;
  if (plan.label !== null) {
    const col = batch.columns.get(plan.label);
    if (col === undefined) throw new Error(`batch has no label column "${plan.label}"`);
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (typeof v === 'number' ? v !== v : v.trim() === '') {
        throw new DatasetError(
          file,
          'bad-label',
          `missing label (empty or NaN) in column "${plan.label}" at ${rowLocation(batch, i)}; every row needs a label`,
          { row: batch.startRow + i, ...(batch.lines ? { line: batch.lines[i] } : {}), column: plan.label },
        );
      }
    }
    labels = col;
  }

  const sensitive: Record<string, string[]> = {};
  for (const s of plan.sensitive) {
    const col = batch.columns.get(s);
    if (col === undefined) throw new Error(`batch has no sensitive column "${s}"`);
    if (Array.isArray(col)) sensitive[s] = col;
    else {
      const text = new Array<string>(rows);
      for (let i = 0; i < rows; i++) text[i] = col[i] !== col[i] ? '' : String(col[i]);
      sensitive[s] = text;
    }
  }

  let nanRows = 0;
  const where: string[] = [];
  if (nan.flags) {
    for (let i = 0; i < rows; i++) {
      if (nan.flags[i]) {
        nanRows++;
        if (where.length < NAN_ROWS_LISTED) where.push(rowLocation(batch, i));
      }
    }
  }
  return { inputs, ...(labels ? { labels } : {}), sensitive, nanFeatureCells: nan.cells, nanFeatureRows: nanRows, nanRowLocations: where, rows };
}
