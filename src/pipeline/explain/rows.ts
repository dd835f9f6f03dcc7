/**
 * The rows of an explanation as plain numbers: every model input of a row flattened and concatenated into one
 * "composite" vector of D values (inputs in the model's order), read from a data set through the same feature
 * plan evaluation uses (label, sensitive and id columns are never features).
 */
import { DataType } from '../../core/tensor/dtypes';
import { buildBatchInputs, type DatasetSource, type FeaturePlan } from '../data';
import { throwIfAborted, type OperationContext } from '../operation';
import type { Rng32 } from '../shared/rng';
import { ExplainError } from './errors';

/** One model input's slice of the composite row. */
export interface FeedSlot {
  readonly input: string;
  readonly dataType: DataType;
  readonly rowShape: readonly number[];
  /** First composite value of this input, and how many values it has per row. */
  readonly offset: number;
  readonly size: number;
  /** The batch size the model fixes for this input, if any. */
  readonly fixedBatch?: number;
}

export interface RowLayout {
  readonly slots: readonly FeedSlot[];
  /** Values per composite row (D). */
  readonly width: number;
  /** A name for each composite value: its data column, or `array[i,j]` for array elements. */
  readonly names: readonly string[];
}

/** Rows read from a data set: n × D values, row-major, with their 0-based data-row indices. */
export interface RowSet {
  readonly values: Float64Array;
  readonly count: number;
  readonly index: readonly number[];
  readonly labels?: readonly (number | string)[];
  /** Data rows seen while reading (all of them unless reading stopped early). */
  readonly seen: number;
}

/** Which rows to keep. */
export type RowPick =
  | { readonly kind: 'first'; readonly n: number }
  | { readonly kind: 'indices'; readonly rows: readonly number[] }
  /** n rows drawn uniformly without replacement (reservoir sampling), returned in file order. */
  | { readonly kind: 'sample'; readonly n: number; readonly rng: Rng32 };

const NUMERIC = new Set<DataType>([
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.FLOAT16,
  DataType.INT8,
  DataType.INT16,
  DataType.INT32,
  DataType.INT64,
  DataType.UINT8,
  DataType.UINT16,
  DataType.UINT32,
  DataType.UINT64,
  DataType.BOOL,
]);

/** The composite layout of a plan's feeds. Throws ExplainError for inputs that cannot be masked (strings). */
export function rowLayout(plan: FeaturePlan): RowLayout {
  const slots: FeedSlot[] = [];
  const names: string[] = [];
  let offset = 0;
  for (const f of plan.feeds) {
    if (!NUMERIC.has(f.dataType)) {
      throw new ExplainError('unsupported', `model input "${f.input}" takes ${f.elemType} values; only numeric inputs can be explained (features are replaced by background values)`);
    }
    slots.push({ input: f.input, dataType: f.dataType, rowShape: f.rowShape, offset, size: f.rowSize, ...(f.fixedBatch !== undefined ? { fixedBatch: f.fixedBatch } : {}) });
    if (f.source.kind === 'columns') names.push(...f.source.columns);
    else for (let i = 0; i < f.rowSize; i++) names.push(`${f.source.tensor}[${elementIndex(i, f.rowShape)}]`);
    offset += f.rowSize;
  }
  return { slots, width: offset, names };
}

/** `i` as a multi-index of `shape` (`2,0,5`). */
function elementIndex(i: number, shape: readonly number[]): string {
  const parts: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    parts.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return parts.join(',');
}

/** Reads the picked rows of `source` into composite vectors. Stops reading once every wanted row is in hand. */
export async function readRows(source: DatasetSource, plan: FeaturePlan, layout: RowLayout, pick: RowPick, ctx: OperationContext = {}): Promise<RowSet> {
  const D = layout.width;
  const wanted = pick.kind === 'first' ? pick.n : pick.kind === 'sample' ? pick.n : pick.rows.length;
  /** Kept rows by output slot (the pick's position, or the reservoir slot). */
  const kept: { index: number; values: Float64Array; label?: number | string }[] = [];
  const byIndex = pick.kind === 'indices' ? new Map<number, number[]>() : null;
  if (byIndex && pick.kind === 'indices') {
    pick.rows.forEach((r, pos) => {
      if (!Number.isSafeInteger(r) || r < 0) throw new ExplainError('invalid-option', `row index ${r} is not a non-negative integer`);
      byIndex.set(r, [...(byIndex.get(r) ?? []), pos]);
    });
  }
  const lastWanted = byIndex ? Math.max(-1, ...byIndex.keys()) : Infinity;
  let seen = 0;
  // Rows are read in any batch size: a batch size the model fixes applies to model calls, not to reading.
  const anyBatch: FeaturePlan = { ...plan, feeds: plan.feeds.map((f) => ({ ...f, fixedBatch: undefined })) };
  for await (const batch of source.batches(Math.min(4096, Math.max(64, wanted)), ctx)) {
    throwIfAborted(ctx.signal);
    const b = buildBatchInputs(anyBatch, batch);
    for (let i = 0; i < b.rows; i++) {
      const row = seen + i;
      let target: number[] | undefined;
      if (pick.kind === 'first') target = row < pick.n ? [row] : undefined;
      else if (pick.kind === 'indices') target = byIndex!.get(row);
      else if (row < pick.n) target = [row];
      else {
        const j = pick.rng.nextBelow(row + 1);
        target = j < pick.n ? [j] : undefined;
      }
      if (!target) continue;
      const values = compositeRow(b.inputs, layout, i);
      const label = b.labels ? b.labels[i] : undefined;
      for (const t of target) kept[t] = { index: row, values, ...(label !== undefined ? { label } : {}) };
    }
    seen += b.rows;
    if ((pick.kind === 'first' && seen >= pick.n) || (pick.kind === 'indices' && seen > lastWanted)) break;
  }
  if (pick.kind === 'indices') {
    const missing = pick.rows.filter((r) => r >= seen);
    if (missing.length) throw new ExplainError('invalid-option', `row ${missing[0]} is out of range: ${source.file} has ${seen} data rows (rows are 0-based)`);
  }
  const order = kept.filter((k) => k !== undefined);
  if (pick.kind === 'sample') order.sort((a, b) => a.index - b.index);
  const values = new Float64Array(order.length * D);
  order.forEach((o, r) => values.set(o.values, r * D));
  const labels = plan.label !== null ? order.map((o) => o.label ?? '') : undefined;
  return { values, count: order.length, index: order.map((o) => o.index), ...(labels ? { labels } : {}), seen };
}

/** Row `i` of a batch's input tensors as one composite vector. */
function compositeRow(inputs: Readonly<Record<string, { readonly values: ArrayLike<number> | ArrayLike<bigint> | readonly string[] }>>, layout: RowLayout, i: number): Float64Array {
  const out = new Float64Array(layout.width);
  for (const s of layout.slots) {
    const v = inputs[s.input]!.values;
    const base = i * s.size;
    for (let k = 0; k < s.size; k++) out[s.offset + k] = Number(v[base + k]);
  }
  return out;
}
