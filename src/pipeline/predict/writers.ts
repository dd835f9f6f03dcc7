/**
 * The predictions file, written as the rows come (one batch at a time, nothing held back) into a hidden temp beside
 * the target (core/temp-files.ts) that is renamed over it once complete: CSV and JSON Lines (a line per row),
 * Parquet (hyparquet-writer, a row group per batch), NPY (the score matrix, or the predictions of a regressor; the
 * row count is written into the reserved header at the end). A failed or cancelled run leaves no file and no temp.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { ByteWriter, ParquetWriter, type Writer } from 'hyparquet-writer';
import { npyPreamble } from '../../core/npy';
import { sweepStaleTemps, tempPath } from '../../core/temp-files';
import { writeRefusal } from '../../core/writer';
import type { PredictFormat } from '../../protocol/predict';
import { PredictError } from './errors';

/** One batch of output rows, column-wise. */
export interface PredictedRows {
  readonly rows: number;
  /** Row ids: the id column's values (text; numbers for a numeric column) or the 0-based row index. */
  readonly ids: readonly (string | number)[];
  /** Class name per row (classification) or value (regression). */
  readonly predictions: readonly string[] | Float64Array;
  /** rows × scoreNames.length scores (classification), else null. */
  readonly scores: Float32Array | null;
}

/** What every file has: its columns, known once the first batch is read. */
export interface PredictionLayout {
  /** The id column holds text (an id column of the data) or row indices / numbers. */
  readonly idKind: 'text' | 'number' | 'index';
  readonly task: 'classification' | 'regression';
  /** `score_<class>` column names (classification). */
  readonly scoreNames: readonly string[];
}

export interface PredictionSink {
  /** The columns each row has (NPY: of the matrix). */
  readonly columns: readonly string[];
  write(rows: PredictedRows): Promise<void>;
  /** Completes the file and renames it into place. */
  finish(): Promise<void>;
  /** Removes the temp (after a failure or a cancellation). */
  abort(): Promise<void>;
}

const EXTENSIONS: Readonly<Record<string, PredictFormat>> = { '.csv': 'csv', '.parquet': 'parquet', '.pq': 'parquet', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.npy': 'npy' };

/** The format to write: the one asked for, else the output's extension. */
export function predictFormat(output: string, format?: string): PredictFormat {
  if (format !== undefined) {
    if ((Object.values(EXTENSIONS) as string[]).includes(format)) return format as PredictFormat;
    throw new PredictError(output, 'unknown-format', `unknown output format "${format}"; write csv, parquet, jsonl or npy`);
  }
  const f = EXTENSIONS[path.extname(output).toLowerCase()];
  if (!f) throw new PredictError(output, 'unknown-format', `unknown output format "${path.extname(output) || '(no extension)'}"; name the file .csv, .parquet, .jsonl or .npy`);
  return f;
}

/** `score_<class>` column names for class names (unique; commas and quotes kept, CSV quotes them). */
export function scoreColumns(classNames: readonly string[]): string[] {
  return classNames.map((c) => `score_${c}`);
}

/** A file-system refusal as the user's error naming the output; anything else unchanged. */
export function writeFailure(e: unknown, output: string): unknown {
  const r = writeRefusal(e);
  return r ? new PredictError(output, 'bad-output', `cannot write the predictions: ${r.why} (${r.code}); nothing was written`) : e;
}

/** Opens the sink for `format` at `output` (the temp is created now; the target is replaced at `finish`). */
export async function openSink(format: PredictFormat, output: string, layout: PredictionLayout): Promise<PredictionSink> {
  const target = path.resolve(output);
  await sweepStaleTemps(path.dirname(target));
  const tmp = tempPath(target);
  try {
    switch (format) {
      case 'csv':
        return await textSink(target, tmp, layout, csvLines(layout));
      case 'jsonl':
        return await textSink(target, tmp, layout, jsonLines(layout));
      case 'parquet':
        return parquetSink(target, tmp, layout);
      case 'npy':
        return await npySink(target, tmp, layout);
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw writeFailure(e, target);
  }
}

function rowColumns(layout: PredictionLayout): string[] {
  return ['id', 'prediction', ...layout.scoreNames];
}

type Lines = { header: string | null; lines(b: PredictedRows): string };

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLines(layout: PredictionLayout): Lines {
  return {
    header: `${rowColumns(layout).map(csvCell).join(',')}\n`,
    lines(b) {
      const k = layout.scoreNames.length;
      let out = '';
      for (let r = 0; r < b.rows; r++) {
        out += `${csvCell(String(b.ids[r]))},${csvCell(String(b.predictions[r]))}`;
        for (let c = 0; c < k; c++) out += `,${b.scores![r * k + c]}`;
        out += '\n';
      }
      return out;
    },
  };
}

function jsonLines(layout: PredictionLayout): Lines {
  const names = layout.scoreNames;
  return {
    header: null,
    lines(b) {
      let out = '';
      for (let r = 0; r < b.rows; r++) {
        const row: Record<string, string | number | null> = { id: b.ids[r]!, prediction: nullIfNaN(b.predictions[r]!) };
        names.forEach((n, c) => (row[n] = nullIfNaN(b.scores![r * names.length + c]!)));
        out += `${JSON.stringify(row)}\n`;
      }
      return out;
    },
  };
}

/** JSON has no NaN: a NaN prediction (a NaN model output) is null. */
function nullIfNaN<T extends string | number>(v: T): T | null {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

async function textSink(target: string, tmp: string, layout: PredictionLayout, format: Lines): Promise<PredictionSink> {
  const handle: FileHandle = await open(tmp, 'w');
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await handle.close();
    }
  };
  const guard = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      throw writeFailure(e, target);
    }
  };
  if (format.header) await guard(() => handle.write(format.header!));
  return {
    columns: rowColumns(layout),
    write: (b) => guard(() => handle.write(format.lines(b))),
    finish: () =>
      guard(async () => {
        await handle.sync();
        await close();
        await rename(tmp, target);
      }),
    abort: async () => {
      await close().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

/** A hyparquet-writer Writer onto a file descriptor: the bytes of each row group go to disk when it is written. */
function fdWriter(fd: number): Writer {
  const w = new ByteWriter() as unknown as Writer & { index: number };
  const flush = () => {
    let at = 0;
    const bytes = new Uint8Array(w.buffer, 0, w.index);
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    w.index = 0;
  };
  const ensure = w.ensure.bind(w);
  w.ensure = (size: number) => {
    if (w.index > 1 << 20) flush();
    ensure(size);
  };
  w.flush = flush;
  w.finish = flush;
  return w;
}

function parquetSink(target: string, tmp: string, layout: PredictionLayout): PredictionSink {
  const fd = openSync(tmp, 'w');
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      closeSync(fd);
    }
  };
  const guard = async (fn: () => unknown) => {
    try {
      await fn();
    } catch (e) {
      throw writeFailure(e, target);
    }
  };
  const idElement = layout.idKind === 'index' ? { name: 'id', type: 'INT64' as const } : layout.idKind === 'number' ? { name: 'id', type: 'DOUBLE' as const } : { name: 'id', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const };
  const predictionElement =
    layout.task === 'regression' ? { name: 'prediction', type: 'DOUBLE' as const } : { name: 'prediction', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const };
  const columns = rowColumns(layout);
  const schema = [
    { name: 'root', num_children: columns.length },
    { ...idElement, repetition_type: 'REQUIRED' as const },
    { ...predictionElement, repetition_type: 'REQUIRED' as const },
    ...layout.scoreNames.map((name) => ({ name, type: 'FLOAT' as const, repetition_type: 'REQUIRED' as const })),
  ];
  const writer = new ParquetWriter({ writer: fdWriter(fd), schema, codec: 'SNAPPY' });
  return {
    columns,
    write: (b) =>
      guard(() => {
        const k = layout.scoreNames.length;
        const ids =
          layout.idKind === 'index' ? BigInt64Array.from(b.ids, (v) => BigInt(v)) : layout.idKind === 'number' ? Float64Array.from(b.ids, Number) : b.ids.map(String);
        const columnData = [
          { name: 'id', data: ids },
          { name: 'prediction', data: b.predictions instanceof Float64Array ? b.predictions : [...b.predictions] },
          ...layout.scoreNames.map((name, c) => {
            const col = new Float32Array(b.rows);
            for (let r = 0; r < b.rows; r++) col[r] = b.scores![r * k + c]!;
            return { name, data: col };
          }),
        ];
        return writer.write({ columnData, rowGroupSize: Math.max(b.rows, 1) });
      }),
    finish: () =>
      guard(async () => {
        await writer.finish();
        fsyncSync(fd);
        close();
        await rename(tmp, target);
      }),
    abort: async () => {
      try {
        close();
      } catch {
        // already closed or never opened
      }
      await rm(tmp, { force: true });
    },
  };
}

/** Room for any row count in the NPY header, rewritten in place at the end. */
const NPY_PREAMBLE = 128;

async function npySink(target: string, tmp: string, layout: PredictionLayout): Promise<PredictionSink> {
  const k = layout.scoreNames.length;
  const classification = layout.task === 'classification';
  const descr = classification ? '<f4' : '<f8';
  const dims = (n: number) => (classification ? [n, k] : [n]);
  const handle = await open(tmp, 'w');
  let closed = false;
  let rows = 0;
  let offset = 0;
  const close = async () => {
    if (!closed) {
      closed = true;
      await handle.close();
    }
  };
  const put = async (bytes: Uint8Array, at: number) => {
    let done = 0;
    while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, at + done)).bytesWritten;
  };
  const guard = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      throw writeFailure(e, target);
    }
  };
  await guard(async () => {
    const head = npyPreamble(descr, dims(0), NPY_PREAMBLE);
    await put(head, 0);
    offset = head.length;
  });
  return {
    columns: classification ? [...layout.scoreNames] : ['prediction'],
    write: (b) =>
      guard(async () => {
        const values = classification ? b.scores!.subarray(0, b.rows * k) : (b.predictions as Float64Array).subarray(0, b.rows);
        const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
        await put(bytes, offset);
        offset += bytes.length;
        rows += b.rows;
      }),
    finish: () =>
      guard(async () => {
        const head = npyPreamble(descr, dims(rows), NPY_PREAMBLE);
        if (head.length !== NPY_PREAMBLE) throw new Error(`npy header grew to ${head.length} bytes`);
        await put(head, 0);
        await handle.sync();
        await close();
        await rename(tmp, target);
      }),
    abort: async () => {
      await close().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}
