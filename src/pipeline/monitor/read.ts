/**
 * Reads the columns a drift check compares from one data file, batch by batch through the data layer: number
 * columns into one Float64Array each (missing and infinite values dropped, then sorted), text columns into counts
 * per value (missing spellings — empty, NA, null … — dropped). A tensor column with one value list per row (an NPY
 * matrix, a JSONL/Parquet list column) is read as one number column per position, named `X[0]`, `X[1]` …
 * Memory: 8 bytes per number cell, one map entry per distinct text value.
 */
import { DatasetError, type DatasetSource } from '../data';
import { parseNumberText } from '../data/numbers';
import { throwIfAborted, type OperationContext } from '../operation';
import { sortFloat64 } from './sort';
import { countSample, numberSample, type CategoryKey, type ColumnSample } from './samples';

const BATCH = 16384;

class GrowableFloat64 {
  private buf = new Float64Array(1024);
  length = 0;
  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Float64Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  push(x: number): void {
    this.reserve(1);
    this.buf[this.length++] = x;
  }
  /** Appends the finite values of `values[start], values[start + step] …`; returns how many were not finite. */
  pushFinite(values: ArrayLike<number>, start = 0, step = 1): number {
    const count = Math.ceil((values.length - start) / step);
    this.reserve(count);
    const buf = this.buf;
    let k = this.length;
    for (let i = start; i < values.length; i += step) {
      const x = values[i]!;
      if (x - x === 0) buf[k++] = x; // finite: NaN and ±inf give NaN
    }
    const kept = k - this.length;
    this.length = k;
    return count - kept;
  }
  sorted(): Float64Array {
    return sortFloat64(this.buf.slice(0, this.length));
  }
}

export interface ReadColumns {
  readonly rows: number;
  readonly samples: ReadonlyMap<string, ColumnSample>;
  /** Cells dropped as missing, per column. */
  readonly missing: ReadonlyMap<string, number>;
}

/** Whether a text cell is a missing value (empty, NA, NaN, null …), as the data layer reads it. */
export function isMissing(text: string): boolean {
  return Number.isNaN(parseNumberText(text));
}

/** A position of a tensor column read as a number column of its own. */
export interface TensorPart {
  readonly tensor: string;
  readonly index: number;
  /** Values per row of the tensor. */
  readonly width: number;
}

/** The name of position `index` of tensor column `tensor`. */
export function tensorPartName(tensor: string, index: number): string {
  return `${tensor}[${index}]`;
}

/** Reads `columns` of `source` (each a number or text column of it, or a part of a tensor column in `parts`). */
export async function readColumns(source: DatasetSource, columns: readonly string[], ctx: OperationContext, label: string, parts: ReadonlyMap<string, TensorPart> = new Map()): Promise<ReadColumns> {
  const numbers = new Map<string, GrowableFloat64>();
  const texts = new Map<string, Map<CategoryKey, number>>();
  const tensorOut = new Map<string, GrowableFloat64>();
  const missing = new Map<string, number>(columns.map((c) => [c, 0]));
  for (const c of columns) {
    if (parts.has(c)) tensorOut.set(c, new GrowableFloat64());
    else if (source.kinds.get(c) === 'number') numbers.set(c, new GrowableFloat64());
    else texts.set(c, new Map());
  }
  let rows = 0;
  let lastReport = 0;
  for await (const batch of source.batches(BATCH, { signal: ctx.signal })) {
    throwIfAborted(ctx.signal);
    rows += batch.rowCount;
    for (const [c, out] of numbers) {
      missing.set(c, missing.get(c)! + out.pushFinite(batch.columns.get(c) as Float64Array));
    }
    for (const [c, out] of tensorOut) {
      const part = parts.get(c)!;
      const t = batch.tensors?.get(part.tensor);
      if (!t) continue;
      missing.set(c, missing.get(c)! + out.pushFinite(t.data, part.index, part.width));
    }
    for (const [c, out] of texts) {
      const v = batch.columns.get(c) as string[];
      let dropped = 0;
      for (const cell of v) {
        if (isMissing(cell)) dropped++;
        else out.set(cell, (out.get(cell) ?? 0) + 1);
      }
      missing.set(c, missing.get(c)! + dropped);
    }
    const now = performance.now();
    if (ctx.onProgress && now - lastReport > 250) {
      lastReport = now;
      ctx.onProgress({ message: `${label}: ${rows.toLocaleString('en-US')} rows read` });
    }
  }
  if (rows === 0) throw new DatasetError(source.file, 'malformed', 'the data holds no rows; drift needs rows in both the reference and the current file');
  const samples = new Map<string, ColumnSample>();
  for (const [c, out] of numbers) samples.set(c, numberSample(out.sorted()));
  for (const [c, out] of tensorOut) samples.set(c, numberSample(out.sorted()));
  for (const [c, out] of texts) samples.set(c, countSample(out));
  return { rows, samples, missing };
}

/** A number column's values as text categories (when the other file holds text in this column). */
export function asTextCounts(s: ColumnSample): ColumnSample {
  const counts = new Map<CategoryKey, number>();
  for (const [k, n] of s.counts()) counts.set(String(k), n);
  return countSample(counts);
}
