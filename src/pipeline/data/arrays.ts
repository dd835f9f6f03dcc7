/**
 * NPY / NPZ data sets. Each array whose first dimension is the row count becomes a column named after it:
 * 1-D arrays (and [N,1]) are number columns, arrays of rank ≥ 2 are tensor columns (per-row shape = the other
 * dims, kept as a tensor rather than split into virtual columns). A lone `.npy` is the array `X` (no label).
 * NPZ: the row count comes from the feature array (`X`, `x`, `features`, `data`, `inputs`), else the label array
 * (`y`, `labels`, `label`, `target`, `targets`), else the most common first dimension; other arrays are ignored
 * (noted). The whole `.npz` is read and its `.npy` members decompressed in memory (fflate).
 */
import { promises as fsp } from 'node:fs';
import { unzipSync } from 'fflate';
import { throwIfAborted, type OperationContext } from '../operation';
import { checkBatchSize } from './options';
import { DatasetError } from './errors';
import { fileArray, memoryArray, readNpyFileHeader, type RowArray } from './npy';
import type { ColumnKind, DataBatch, DatasetSource, TensorBatch } from './types';

const FEATURE_NAMES = ['X', 'x', 'features', 'data', 'inputs'];
const LABEL_NAMES = ['y', 'labels', 'label', 'target', 'targets', 'Y'];

export async function openNpy(file: string): Promise<DatasetSource> {
  const header = await readNpyFileHeader(file);
  if (header.shape.length === 0) throw new DatasetError(file, 'unsupported', 'the array is a scalar (0-d); one row per first-dimension entry is expected');
  return arraysSource(file, 'npy', () => [fileArray(file, 'X', header)], header.shape[0], []);
}

/** NPZ archives are decompressed in memory: at most this much in all. */
const MAX_NPZ_BYTES = 8 * 2 ** 30;
/** Real arrays do not compress 200×; a large member that does is treated as a zip bomb. */
const MAX_COMPRESSION_RATIO = 200;

export async function openNpz(file: string): Promise<DatasetSource> {
  const bytes = new Uint8Array(await fsp.readFile(file));
  let members: Record<string, Uint8Array>;
  try {
    let declared = 0;
    members = unzipSync(bytes, {
      // Sizes come from the archive's directory: a bomb (a tiny member claiming gigabytes) is refused before inflating.
      filter: (f) => {
        declared += f.originalSize;
        if (declared > MAX_NPZ_BYTES) throw new DatasetError(file, 'malformed', `the archive expands to more than ${MAX_NPZ_BYTES / 2 ** 30} GiB (member "${f.name}"): not read`);
        if (f.originalSize > 64 << 20 && f.originalSize > f.size * MAX_COMPRESSION_RATIO) {
          throw new DatasetError(file, 'malformed', `member "${f.name}" expands ${Math.round(f.originalSize / Math.max(1, f.size))}× (${(f.originalSize / 2 ** 20).toFixed(0)} MiB from ${(f.size / 2 ** 10).toFixed(0)} KiB): a zip bomb? not read`);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(file, 'malformed', `not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  const notes: string[] = [];
  const arrays: RowArray[] = [];
  for (const [entry, data] of Object.entries(members)) {
    if (entry.endsWith('/')) continue;
    if (!entry.endsWith('.npy')) {
      notes.push(`archive member "${entry}" ignored (not a .npy array)`);
      continue;
    }
    const name = entry.slice(0, -4);
    try {
      arrays.push(memoryArray(file, name, data));
    } catch (e) {
      // An unreadable side array (class names as strings, …) is skipped; the features and labels must read.
      if (!(e instanceof DatasetError) || e.code !== 'unsupported' || FEATURE_NAMES.includes(name) || LABEL_NAMES.includes(name)) throw e;
      notes.push(`array "${name}" skipped: ${e.message.slice(file.length + 2)}`);
    }
  }
  const list = () => arrays.map((a) => `${a.name} (${a.header.shape.join(', ')}) ${a.header.descr}`).join('; ') || 'none';
  const rowsOf = (a: RowArray | undefined) => (a && a.header.shape.length > 0 ? a.header.shape[0] : undefined);
  const features = arrays.find((a) => FEATURE_NAMES.includes(a.name) && a.header.shape.length > 0);
  const labels = arrays.find((a) => LABEL_NAMES.includes(a.name) && a.header.shape.length > 0);
  let rows = rowsOf(features) ?? rowsOf(labels);
  if (rows === undefined) {
    const counts = new Map<number, number>();
    for (const a of arrays) if (a.header.shape.length > 0) counts.set(a.header.shape[0], (counts.get(a.header.shape[0]) ?? 0) + 1);
    rows = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (rows === undefined) {
      throw new DatasetError(file, 'malformed', `the archive holds no array with rows; arrays found: ${list()} (expected X.npy with the features and y.npy with the labels)`);
    }
    notes.push(`no array named ${FEATURE_NAMES.join('/')}; every array with ${rows} rows is a column`);
  }
  if (features && labels && rowsOf(labels) !== rows) {
    throw new DatasetError(file, 'malformed', `"${features.name}" has ${rows} rows but "${labels.name}" has ${rowsOf(labels)}; arrays found: ${list()}`);
  }
  const used = arrays.filter((a) => {
    if (a.header.shape.length > 0 && a.header.shape[0] === rows) return true;
    notes.push(`array "${a.name}" (${a.header.shape.join(', ')}) ignored: its first dimension is not the row count ${rows}`);
    return false;
  });
  return arraysSource(file, 'npz', () => used, rows, notes);
}

/** `open` gives the arrays afresh for each pass (file-backed arrays hold a file handle while iterated). */
function arraysSource(file: string, format: 'npy' | 'npz', open: () => RowArray[], rows: number, notes: string[]): DatasetSource {
  const arrays = open();
  const kinds = new Map<string, ColumnKind>();
  const tensorShapes = new Map<string, readonly number[]>();
  for (const a of arrays) {
    const rest = a.header.shape.slice(1);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === 1)) kinds.set(a.name, 'number');
    else {
      kinds.set(a.name, 'tensor');
      tensorShapes.set(a.name, rest);
    }
  }
  const columns = arrays.map((a) => a.name);
  return {
    file,
    format,
    columns,
    kinds,
    tensors: columns.filter((c) => kinds.get(c) === 'tensor'),
    tensorShapes,
    textColumns: [],
    rowCount: rows,
    notes,
    batches: (batchSize, ctx) => arrayBatches(open(), kinds, tensorShapes, rows, checkBatchSize(file, batchSize), ctx),
  };
}

async function* arrayBatches(
  arrays: RowArray[],
  kinds: ReadonlyMap<string, ColumnKind>,
  shapes: ReadonlyMap<string, readonly number[]>,
  rows: number,
  batchSize: number,
  ctx?: OperationContext,
): AsyncGenerator<DataBatch> {
  try {
    for (let start = 0; start < rows; start += batchSize) {
      throwIfAborted(ctx?.signal);
      const end = Math.min(rows, start + batchSize);
      const columns = new Map<string, Float64Array>();
      const tensors = new Map<string, TensorBatch>();
      for (const a of arrays) {
        const values = await a.readRows(start, end);
        if (kinds.get(a.name) === 'number') columns.set(a.name, values instanceof Float64Array ? values : Float64Array.from(values));
        else tensors.set(a.name, { shape: shapes.get(a.name)!, data: values });
      }
      yield { startRow: start, rowCount: end - start, columns, ...(tensors.size ? { tensors } : {}) };
      ctx?.onProgress?.({ fraction: end / rows });
    }
  } finally {
    for (const a of arrays) await a.close();
  }
}
