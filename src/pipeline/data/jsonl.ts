/**
 * JSON Lines: one object per line, streamed line by line. Columns are the union of the keys of the first rows
 * (in order of appearance; later new keys are ignored, missing keys are empty). A column is a tensor when its
 * values are (nested) numeric arrays, text when any sampled value is a string that is not a number (or an
 * object), else numeric (numbers, numeric strings, booleans as 1/0, null/missing as NaN).
 */
import { createReadStream, promises as fsp } from 'node:fs';
import { throwIfAborted, type OperationContext } from '../operation';
import { BatchBuilder } from './batch-builder';
import { DatasetError, nonNumericError } from './errors';
import { parseNumberText } from './numbers';
import { checkBatchSize } from './options';
import type { ColumnKind, DataBatch, DatasetSource } from './types';

type Row = Record<string, unknown>;

/** The longest line read; a longer one is refused, so a hostile file cannot make the reader hold it whole. */
export const MAX_LINE_BYTES = 64 << 20;

/** The file's lines (LF, a CR before it dropped), as UTF-8 text; a line that is not UTF-8 or too long is an error. */
async function* textLines(file: string): AsyncGenerator<{ text: string; line: number; bytes: number }> {
  const src = createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // The part of the current line read so far, in pieces (joined once its newline arrives: linear in the line).
  let pieces: Buffer[] = [];
  let pending = 0;
  let line = 0;
  let bytes = 0;
  const emit = (b: Buffer) => {
    line++;
    const body = b.length && b[b.length - 1] === 0x0d ? b.subarray(0, -1) : b;
    try {
      return decoder.decode(body);
    } catch {
      throw new DatasetError(file, 'malformed', `line ${line} is not valid UTF-8 text (save the file as UTF-8)`, { line });
    }
  };
  try {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      let from = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
        const part = chunk.subarray(from, nl);
        const whole = pieces.length ? Buffer.concat([...pieces, part]) : part;
        pieces = [];
        pending = 0;
        yield { text: emit(whole), line, bytes };
        from = nl + 1;
      }
      if (from < chunk.length) {
        pieces.push(chunk.subarray(from));
        pending += chunk.length - from;
      }
      if (pending > MAX_LINE_BYTES) {
        throw new DatasetError(file, 'malformed', `line ${line + 1} is longer than ${MAX_LINE_BYTES >> 20} MiB: not one JSON object per line (is this a JSON Lines file?)`, { line: line + 1 });
      }
    }
    if (pending) yield { text: emit(Buffer.concat(pieces)), line, bytes };
  } finally {
    src.destroy();
  }
}

async function* jsonRows(file: string): AsyncGenerator<{ row: Row; line: number; bytes: number }> {
  for await (const { text, line, bytes } of textLines(file)) {
    const t = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (t.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(t);
    } catch (e) {
      throw new DatasetError(file, 'malformed', `line ${line} is not valid JSON: ${(e as Error).message}`, { line });
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new DatasetError(file, 'malformed', `line ${line} is not a JSON object (one object per line is expected, keys = columns)`, { line });
    }
    yield { row: row as Row, line, bytes };
  }
}

/** Deeper arrays are not tensors (and would exhaust the stack): such a value is read as text. */
const MAX_TENSOR_RANK = 32;

/** Shape of a (nested) numeric array; undefined when ragged, not numeric, or nested deeper than MAX_TENSOR_RANK. */
function arrayShape(v: unknown, depth = 0): number[] | undefined {
  if (!Array.isArray(v)) return typeof v === 'number' || v === null ? [] : undefined;
  if (depth >= MAX_TENSOR_RANK) return undefined;
  if (v.length === 0) return [0];
  const inner = arrayShape(v[0], depth + 1);
  if (!inner) return undefined;
  for (let i = 1; i < v.length; i++) {
    const s = arrayShape(v[i], depth + 1);
    if (!s || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return undefined;
  }
  return [v.length, ...inner];
}

export async function openJsonl(file: string, options: { sampleRows?: number }): Promise<DatasetSource> {
  const limit = options.sampleRows ?? 1000;
  const columns: string[] = [];
  const seen = new Map<string, { text: boolean; shape?: number[]; line?: number }>();
  let n = 0;
  const gen = jsonRows(file);
  try {
    for await (const { row, line } of gen) {
      for (const [k, v] of Object.entries(row)) {
        let s = seen.get(k);
        if (!s) {
          s = { text: false };
          seen.set(k, s);
          columns.push(k);
        }
        if ((typeof v === 'string' && parseNumberText(v) === undefined) || (v !== null && typeof v === 'object' && !Array.isArray(v))) s.text = true;
        else if (Array.isArray(v)) {
          const shape = arrayShape(v);
          if (!shape) throw new DatasetError(file, 'unsupported', `column "${k}" at line ${line} holds a ragged or non-numeric array`, { line, column: k });
          if (s.shape && s.shape.join() !== shape.join()) {
            throw new DatasetError(file, 'malformed', `column "${k}" holds arrays of shape [${s.shape}] (line ${s.line}) and [${shape}] (line ${line})`, { line, column: k });
          }
          s.shape ??= shape;
          s.line ??= line;
        }
      }
      if (++n >= limit) break;
    }
  } finally {
    await gen.return(undefined);
  }
  const kinds = new Map<string, ColumnKind>();
  const tensorShapes = new Map<string, readonly number[]>();
  for (const c of columns) {
    const s = seen.get(c)!;
    if (s.shape) {
      if (s.text) throw new DatasetError(file, 'unsupported', `column "${c}" mixes arrays and other values`, { column: c });
      kinds.set(c, 'tensor');
      tensorShapes.set(c, s.shape);
    } else kinds.set(c, s.text ? 'text' : 'number');
  }
  return {
    file,
    format: 'jsonl',
    columns,
    kinds,
    tensors: columns.filter((c) => kinds.get(c) === 'tensor'),
    tensorShapes,
    textColumns: columns.filter((c) => kinds.get(c) === 'text'),
    notes: [],
    batches: (batchSize, ctx) => jsonlBatches(file, columns, kinds, tensorShapes, checkBatchSize(file, batchSize), ctx),
  };
}

async function* jsonlBatches(
  file: string,
  columns: readonly string[],
  kindMap: ReadonlyMap<string, ColumnKind>,
  shapes: ReadonlyMap<string, readonly number[]>,
  batchSize: number,
  ctx?: OperationContext,
): AsyncGenerator<DataBatch> {
  const kinds = columns.map((c) => kindMap.get(c)!);
  const sizes = columns.map((c) => (shapes.get(c) ?? []).reduce((a, b) => a * b, 1));
  const builder = new BatchBuilder(columns, kinds, batchSize, columns.map((c) => shapes.get(c)));
  const size = (await fsp.stat(file)).size;
  let done = 0;
  let bytes = 0;
  for await (const { row, line, bytes: b } of jsonRows(file)) {
    bytes = b;
    const r = builder.n;
    for (let j = 0; j < columns.length; j++) {
      const name = columns[j];
      const v = row[name];
      const kind = kinds[j];
      if (kind === 'number') {
        let x: number | undefined;
        if (typeof v === 'number') x = v;
        else if (v === null || v === undefined) x = NaN;
        else if (typeof v === 'boolean') x = v ? 1 : 0;
        else if (typeof v === 'string') x = parseNumberText(v);
        if (x === undefined) throw nonNumericError(file, typeof v === 'string' ? v : JSON.stringify(v), name, line, done + r);
        builder.num[j]![r] = x;
      } else if (kind === 'text') {
        builder.text[j]![r] = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
      } else {
        const out = builder.tensor[j]!;
        const base = r * sizes[j];
        if (v === null || v === undefined) out.fill(NaN, base, base + sizes[j]);
        else {
          const flat = Array.isArray(v) ? (v.flat(Infinity) as unknown[]) : undefined;
          if (!flat || flat.length !== sizes[j]) {
            throw new DatasetError(
              file,
              'malformed',
              `column "${name}" at line ${line} should hold an array of shape [${shapes.get(name)}] like the first rows, got ${JSON.stringify(v).slice(0, 60)}`,
              { line, row: done + r, column: name },
            );
          }
          for (let k = 0; k < flat.length; k++) {
            const e = flat[k];
            if (typeof e === 'number') out[base + k] = e;
            else if (e === null) out[base + k] = NaN;
            else throw nonNumericError(file, JSON.stringify(e), name, line, done + r);
          }
        }
      }
    }
    builder.lines[r] = line;
    builder.n = r + 1;
    if (builder.full) {
      const batch = builder.take();
      done += batch.rowCount;
      yield batch;
      throwIfAborted(ctx?.signal);
      ctx?.onProgress?.({ fraction: size ? Math.min(1, bytes / size) : undefined });
    }
  }
  if (builder.n > 0) yield builder.take();
  ctx?.onProgress?.({ fraction: 1 });
}
