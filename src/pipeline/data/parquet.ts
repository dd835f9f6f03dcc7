/**
 * Parquet via hyparquet (all codecs through hyparquet-compressors). Rows are read one row group at a time (row
 * groups above 262,144 rows in sub-ranges) with `parquetRead({ rowStart, rowEnd, onChunk })`, column-wise, and
 * cut into batches; memory is bounded by the row group. Numeric, boolean (1/0) and decimal columns are numbers
 * (null → NaN), strings/enums/dates are text, lists of numbers are tensor columns (the per-row shape is that of
 * the first non-null value; other lengths later are an error); structs and maps are skipped (noted).
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { throwIfAborted, type OperationContext } from '../operation';
import { BatchBuilder } from './batch-builder';
import { DatasetError, nonNumericError } from './errors';
import { parseNumberText } from './numbers';
import { checkBatchSize } from './options';
import type { ColumnKind, DataBatch, DatasetSource } from './types';

const MAX_RANGE = 262_144;
type AsyncBuffer = Awaited<ReturnType<typeof asyncBufferFromFile>>;
type Chunk = { data: ArrayLike<unknown>; rowStart: number };

function classify(t: SchemaTree): ColumnKind | 'list' | 'skip' {
  const e = t.element;
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  if (t.children.length > 0) {
    return logical === 'LIST' || converted === 'LIST' ? 'list' : 'skip';
  }
  if (e.repetition_type === 'REPEATED') return 'list';
  if (logical === 'DATE' || logical === 'TIME' || logical === 'TIMESTAMP' || (converted && /^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(converted))) return 'text';
  switch (e.type) {
    case 'BOOLEAN':
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'FIXED_LEN_BYTE_ARRAY':
      return logical === 'DECIMAL' || logical === 'FLOAT16' || converted === 'DECIMAL' ? 'number' : 'text';
    case 'BYTE_ARRAY':
      return logical === 'DECIMAL' || converted === 'DECIMAL' ? 'number' : 'text';
    default:
      return 'text';
  }
}

/** Shape of a (nested) list of numbers; undefined when ragged or not numeric. */
function listShape(v: unknown): number[] | undefined {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) return typeof v === 'number' || typeof v === 'bigint' || v === null ? [] : undefined;
  const a = v as ArrayLike<unknown>;
  if (a.length === 0) return [0];
  const inner = listShape(a[0]);
  if (!inner) return undefined;
  for (let i = 1; i < a.length; i++) {
    const s = listShape(a[i]);
    if (!s || s.join() !== inner.join()) return undefined;
  }
  return [a.length, ...inner];
}

function wrap(file: string, e: unknown): Error {
  if (e instanceof DatasetError || (e as Error)?.name === 'AbortError') return e as Error;
  return new DatasetError(file, 'malformed', `cannot read the Parquet file: ${(e as Error)?.message ?? String(e)}`);
}

/** Reads rows [rowStart, rowEnd) of `columns` as hyparquet chunks per column. */
async function readRange(file: AsyncBuffer, metadata: FileMetaData, columns: string[], rowStart: number, rowEnd: number): Promise<Map<string, Chunk[]>> {
  const chunks = new Map<string, Chunk[]>(columns.map((c) => [c, []]));
  await parquetRead({
    file,
    metadata,
    columns,
    rowStart,
    rowEnd,
    compressors,
    onChunk: (c) => chunks.get(c.columnName)?.push({ data: c.columnData as ArrayLike<unknown>, rowStart: c.rowStart }),
  });
  return chunks;
}

export async function openParquet(file: string, options: { sampleRows?: number }): Promise<DatasetSource> {
  let buffer: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw wrap(file, e);
  }
  const rows = Number(metadata.num_rows);
  const notes: string[] = [];
  const kinds = new Map<string, ColumnKind>();
  const tensorShapes = new Map<string, readonly number[]>();
  const lists: string[] = [];
  const order: string[] = [];
  for (const child of parquetSchema(metadata).children) {
    const name = child.element.name;
    const k = classify(child);
    if (k === 'skip') notes.push(`column "${name}" skipped: nested structs and maps are not read`);
    else if (k === 'list') lists.push(name);
    else kinds.set(name, k);
    if (k !== 'skip') order.push(name);
  }
  if (lists.length > 0 && rows > 0) {
    try {
      const chunks = await readRange(buffer, metadata, lists, 0, Math.min(rows, options.sampleRows ?? 1000));
      for (const name of lists) {
        let shape: number[] | undefined;
        let bad = false;
        for (const c of chunks.get(name) ?? []) {
          for (let i = 0; i < c.data.length && !shape && !bad; i++) {
            const v = c.data[i];
            if (v === null || v === undefined) continue;
            shape = listShape(v);
            if (!shape) bad = true;
          }
        }
        if (shape && !bad) {
          kinds.set(name, 'tensor');
          tensorShapes.set(name, shape);
        } else notes.push(`column "${name}" skipped: ${bad ? 'a list of non-numbers or of ragged lists' : 'only empty values in the first rows'}`);
      }
    } catch (e) {
      throw wrap(file, e);
    }
  }
  const columns = order.filter((c) => kinds.has(c));
  return {
    file,
    format: 'parquet',
    columns,
    kinds,
    tensors: columns.filter((c) => kinds.get(c) === 'tensor'),
    tensorShapes,
    textColumns: columns.filter((c) => kinds.get(c) === 'text'),
    rowCount: rows,
    notes,
    batches: (batchSize, ctx) => parquetBatches(file, buffer, metadata, columns, kinds, tensorShapes, checkBatchSize(file, batchSize), ctx),
  };
}

/** [start, end) row ranges: one per row group, big groups split. */
function ranges(metadata: FileMetaData): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const g of metadata.row_groups) {
    const end = start + Number(g.num_rows);
    for (let s = start; s < end; s += MAX_RANGE) out.push([s, Math.min(end, s + MAX_RANGE)]);
    start = end;
  }
  return out;
}

function toNumber(file: string, v: unknown, column: string, row: number): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const x = typeof v === 'string' ? parseNumberText(v) : undefined;
  if (x === undefined) throw nonNumericError(file, String(v), column, undefined, row);
  return x;
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
  return String(v);
}

async function* parquetBatches(
  file: string,
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  columns: readonly string[],
  kindMap: ReadonlyMap<string, ColumnKind>,
  shapes: ReadonlyMap<string, readonly number[]>,
  batchSize: number,
  ctx?: OperationContext,
): AsyncGenerator<DataBatch> {
  const kinds = columns.map((c) => kindMap.get(c)!);
  const sizes = columns.map((c) => (shapes.get(c) ?? []).reduce((a, b) => a * b, 1));
  const builder = new BatchBuilder(columns, kinds, batchSize, columns.map((c) => shapes.get(c)), false);
  const total = Number(metadata.num_rows);
  const take = (): DataBatch => builder.take();
  for (const [r0, r1] of ranges(metadata)) {
    throwIfAborted(ctx?.signal);
    let chunks: Map<string, Chunk[]>;
    try {
      chunks = await readRange(buffer, metadata, [...columns], r0, r1);
    } catch (e) {
      throw wrap(file, e);
    }
    // Cells of [r0, r1) per column, positioned by absolute row (rows are visited in order: a cursor per column).
    const cell = columns.map((c) => {
      const list = chunks.get(c) ?? [];
      let k = 0;
      return (row: number): unknown => {
        if (k >= list.length || row < list[k].rowStart || row >= list[k].rowStart + list[k].data.length) {
          k = list.findIndex((ch) => row >= ch.rowStart && row < ch.rowStart + ch.data.length);
          if (k < 0) {
            k = 0;
            return undefined;
          }
        }
        return list[k].data[row - list[k].rowStart];
      };
    });
    let row = r0;
    while (row < r1) {
      const n = Math.min(r1 - row, builder.capacity - builder.n);
      for (let j = 0; j < columns.length; j++) fillColumn(file, builder, j, kinds[j], sizes[j], shapes.get(columns[j]), columns[j], chunks.get(columns[j]) ?? [], cell[j], row, n);
      builder.n += n;
      row += n;
      if (builder.full) {
        yield take();
        throwIfAborted(ctx?.signal);
        ctx?.onProgress?.({ fraction: total ? row / total : 1 });
      }
    }
  }
  if (builder.n > 0) yield take();
  ctx?.onProgress?.({ fraction: 1 });
}

/** Copies rows [row, row+n) of one column into the builder at its current fill position. */
function fillColumn(
  file: string,
  builder: BatchBuilder,
  j: number,
  kind: ColumnKind,
  size: number,
  shape: readonly number[] | undefined,
  name: string,
  chunks: Chunk[],
  cell: (row: number) => unknown,
  row: number,
  n: number,
): void {
  const at = builder.n;
  // The chunk holding the whole span, when one does (the usual case): read in place.
  const ch = chunks.find((c) => row >= c.rowStart && row + n <= c.rowStart + c.data.length);
  if (kind === 'number') {
    const out = builder.num[j]!;
    // Fast path: a typed-array chunk is copied.
    if (ch && ArrayBuffer.isView(ch.data) && !(ch.data instanceof BigInt64Array) && !(ch.data instanceof BigUint64Array)) {
      const src = ch.data as unknown as Float64Array;
      out.set(src.subarray(row - ch.rowStart, row - ch.rowStart + n), at);
      return;
    }
    // A nullable column comes back as a plain array with nulls: read it in place, numbers without a call.
    if (ch && Array.isArray(ch.data)) {
      const src = ch.data as unknown[];
      const o = row - ch.rowStart;
      for (let i = 0; i < n; i++) {
        const v = src[o + i];
        out[at + i] = typeof v === 'number' ? v : toNumber(file, v, name, row + i);
      }
      return;
    }
    for (let i = 0; i < n; i++) out[at + i] = toNumber(file, cell(row + i), name, row + i);
  } else if (kind === 'text') {
    const out = builder.text[j]!;
    if (ch && Array.isArray(ch.data)) {
      const src = ch.data as unknown[];
      const o = row - ch.rowStart;
      for (let i = 0; i < n; i++) {
        const v = src[o + i];
        out[at + i] = typeof v === 'string' ? v : toText(v);
      }
      return;
    }
    for (let i = 0; i < n; i++) out[at + i] = toText(cell(row + i));
  } else {
    const out = builder.tensor[j]!;
    for (let i = 0; i < n; i++) {
      const v = cell(row + i);
      const base = (at + i) * size;
      if (v === null || v === undefined) {
        out.fill(NaN, base, base + size);
        continue;
      }
      const flat = flatten(v);
      if (!flat || flat.length !== size) {
        throw new DatasetError(file, 'malformed', `column "${name}" at row ${row + i + 1} holds a list that is not of shape [${shape}] like the first rows`, {
          row: row + i,
          column: name,
        });
      }
      for (let k = 0; k < size; k++) out[base + k] = toNumber(file, flat[k], name, row + i);
    }
  }
}

function flatten(v: unknown): unknown[] | undefined {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) return undefined;
  const out: unknown[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) for (const e of x as ArrayLike<unknown> & Iterable<unknown>) walk(e);
    else out.push(x);
  };
  walk(v);
  return out;
}
