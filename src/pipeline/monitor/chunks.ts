/**
 * Chunks of a stream of rows, as NannyML cuts them: by size (every `size` rows; a last, smaller chunk is kept and
 * marked partial), by number (`count` chunks of near-equal size), or by period (rows whose timestamp falls in the
 * same UTC hour / day / week — weeks start on Monday, as ISO weeks do — or any `N` of minutes, hours, days, weeks).
 */
import { MonitorError } from './monitor-error';

export interface Chunk {
  readonly index: number;
  /** Rows [start, end) of the stream. */
  readonly start: number;
  readonly end: number;
  /** Period chunks: the period's bounds (ISO 8601, UTC). */
  readonly period?: { readonly start: string; readonly end: string };
  /** A size chunk with fewer rows than the size (the last one). */
  readonly partial?: boolean;
}

const fail = (message: string): never => {
  throw new MonitorError(null, message);
};

export function chunkBySize(rows: number, size: number): Chunk[] {
  if (!Number.isSafeInteger(size) || size < 1) fail(`the chunk size must be a positive integer, got ${size}`);
  const chunks: Chunk[] = [];
  for (let start = 0, index = 0; start < rows; start += size, index++) {
    const end = Math.min(rows, start + size);
    chunks.push({ index, start, end, ...(end - start < size ? { partial: true } : {}) });
  }
  return chunks;
}

export function chunkByNumber(rows: number, count: number): Chunk[] {
  if (!Number.isSafeInteger(count) || count < 1) fail(`the number of chunks must be a positive integer, got ${count}`);
  const n = Math.min(count, rows);
  return Array.from({ length: n }, (_, index) => ({ index, start: Math.floor((index * rows) / n), end: Math.floor(((index + 1) * rows) / n) }));
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `30m`, `1h`, `6h`, `1d`, `1w` → milliseconds. */
export function parsePeriod(text: string): number {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) return fail(`"${text}" is not a period: a count and a unit, m (minutes), h, d or w, e.g. 1h, 1d, 1w`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** The start of the period holding `t` (ms since the epoch, UTC); weeks start on Monday 00:00. */
function periodStart(t: number, ms: number): number {
  // 1970-01-01 was a Thursday: week buckets are shifted to start on Mondays.
  const offset = ms % UNIT_MS.w === 0 ? 4 * UNIT_MS.d : 0;
  return Math.floor((t - offset) / ms) * ms + offset;
}

/** Chunks of rows by the period of their timestamps (ms since the epoch, in row order, non-decreasing). */
export function chunkByPeriod(times: ArrayLike<number>, period: string): Chunk[] {
  const ms = parsePeriod(period);
  const chunks: Chunk[] = [];
  let start = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i < times.length && !(times[i]! >= times[i - 1]!)) {
      if (Number.isNaN(times[i]!)) fail(`row ${i + 1} has no timestamp: period chunks need a time on every row`);
      fail(`the timestamps go back in time at row ${i + 1} (${new Date(times[i]!).toISOString()} after ${new Date(times[i - 1]!).toISOString()}): period chunks need rows in time order`);
    }
    if (i === times.length || periodStart(times[i]!, ms) !== periodStart(times[start]!, ms)) {
      const p = periodStart(times[start]!, ms);
      chunks.push({ index: chunks.length, start, end: i, period: { start: new Date(p).toISOString(), end: new Date(p + ms).toISOString() } });
      start = i;
    }
  }
  if (times.length && Number.isNaN(times[0]!)) fail('row 1 has no timestamp: period chunks need a time on every row');
  return chunks;
}
