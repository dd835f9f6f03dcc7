/**
 * Reading `ptp serve`'s request log (src/pipeline/serve/request-log.ts) for monitoring: the rotated files oldest
 * first (`requests.jsonl.N` … `.1`, then `requests.jsonl`), streamed line by line. A line that is not JSON, or not
 * a log record, is skipped and counted (its line number kept for the message), never fatal — a log being written
 * ends in a partial line. Shadow answers are left out unless asked: the primary arm is what callers received.
 *
 * Rows: a request with an input of N rows gives N rows, each with the request's time, its latency and status,
 * the flattened input row (the features) and the output rows (the scores). `logTable` names the feature
 * columns — after the reference data's feature columns when their count matches, else `<input>_<j>`.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { throwIfAborted } from '../operation';
import { decodeJsonData } from '../serve/codec';
import type { V2Datatype } from '../serve/datatypes';
import { MonitorError } from './monitor-error';

export interface LoggedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Numbers as float64 (a BYTES or BOOL tensor's values are not features: such a tensor is left out). */
  readonly data: Float64Array;
}

export interface LoggedRequest {
  /** ms since the epoch. */
  readonly time: number;
  readonly id: string | null;
  readonly model: string;
  readonly version: string;
  readonly arm: 'primary' | 'shadow';
  readonly status: number;
  readonly latencyMs: number;
  /** The inputs, or null when the server logged only their hash (`log_inputs: false`). */
  readonly inputs: readonly LoggedTensor[] | null;
  readonly outputs: readonly LoggedTensor[];
}

export interface RequestLogRead {
  readonly files: readonly string[];
  readonly requests: readonly LoggedRequest[];
  /** Lines that were not log records (not JSON, or missing fields). */
  readonly skipped: number;
  /** The first skipped lines, as `file:line`. */
  readonly skippedAt: readonly string[];
}

/** The files of a rotated log, oldest first. */
export function rotatedFiles(file: string): string[] {
  const older: string[] = [];
  for (let i = 1; existsSync(`${file}.${i}`); i++) older.push(`${file}.${i}`);
  return [...older.reverse(), ...(existsSync(file) ? [file] : [])];
}

const NUMERIC = new Set(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);

function tensorOf(t: unknown): LoggedTensor | null {
  if (!t || typeof t !== 'object') return null;
  const { name, datatype, shape, data } = t as Record<string, unknown>;
  if (typeof name !== 'string' || typeof datatype !== 'string' || !Array.isArray(shape) || !NUMERIC.has(datatype)) return null;
  const dims = shape.map(Number);
  const values = decodeJsonData(name, datatype as V2Datatype, dims, data);
  return { name, shape: dims, data: Float64Array.from(values as ArrayLike<number | bigint | boolean>, (v) => Number(v)) };
}

function recordOf(line: string): LoggedRequest | null {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    return null;
  }
  if (!r || typeof r !== 'object') return null;
  const o = r as Record<string, unknown>;
  const time = typeof o.time === 'string' ? Date.parse(o.time) : NaN;
  if (!Number.isFinite(time) || typeof o.model !== 'string' || !Array.isArray(o.outputs)) return null;
  try {
    const inputs = Array.isArray(o.inputs) ? o.inputs.map(tensorOf).filter((t): t is LoggedTensor => t !== null) : null;
    return {
      time,
      id: typeof o.id === 'string' ? o.id : null,
      model: o.model,
      version: String(o.version ?? ''),
      arm: o.arm === 'shadow' ? 'shadow' : 'primary',
      status: Number(o.status ?? 200),
      latencyMs: Number(o.latency_ms ?? NaN),
      inputs,
      outputs: o.outputs.map(tensorOf).filter((t): t is LoggedTensor => t !== null),
    };
  } catch {
    return null;
  }
}

export async function readRequestLog(
  file: string,
  options: { readonly model?: string; readonly includeShadow?: boolean; readonly signal?: AbortSignal } = {},
): Promise<RequestLogRead> {
  const files = rotatedFiles(file);
  if (!files.length) throw new MonitorError(file, 'no such request log (nor rotated files beside it)');
  const requests: LoggedRequest[] = [];
  let skipped = 0;
  const skippedAt: string[] = [];
  for (const f of files) {
    const lines = createInterface({ input: createReadStream(f), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (n % 4096 === 0) throwIfAborted(options.signal);
      if (!line.trim()) continue;
      const r = recordOf(line);
      if (!r) {
        skipped++;
        if (skippedAt.length < 5) skippedAt.push(`${f}:${n}`);
        continue;
      }
      if (options.model !== undefined && r.model !== options.model) continue;
      if (r.arm === 'shadow' && !options.includeShadow) continue;
      requests.push(r);
    }
  }
  return { files, requests, skipped, skippedAt };
}

export interface LogTable {
  readonly rows: number;
  /** Feature columns (the first input's row elements), column-major. */
  readonly columns: readonly string[];
  readonly values: readonly Float64Array[];
  /** Per row: the request's time (ms), latency (ms) and status. */
  readonly time: Float64Array;
  readonly latencyMs: Float64Array;
  readonly status: Int32Array;
  /** Per row: the request's id (`id#i` for row i of a request of several rows; `request-N` when it had none). */
  readonly ids: string[];
  /** Per row: the index of its request among the usable ones. */
  readonly requestIndex: Int32Array;
  /** The per-row shape of the first input (e.g. [64], or [1, 8, 8]). */
  readonly featureShape: readonly number[];
  /** Per row, the named output's row (n × width), when every request has it. */
  readonly output: { readonly name: string; readonly width: number; readonly data: Float64Array } | null;
  /** Requests that logged no inputs (hashed) or whose first input did not match the others' row width. */
  readonly requestsWithoutFeatures: number;
  /** The model the requests were for (the first one's). */
  readonly model: string | undefined;
}

/** The logged requests as rows: one per row of the first input (features) with the chosen output's row. */
export function logTable(read: RequestLogRead, options: { readonly featureNames?: readonly string[]; readonly output?: string } = {}): LogTable {
  const withInputs = read.requests.filter((r) => r.inputs && r.inputs.length > 0);
  const first = withInputs[0]?.inputs?.[0];
  const width = first ? first.shape.slice(1).reduce((a, b) => a * b, 1) : 0;
  const usable = withInputs.filter((r) => {
    const t = r.inputs![0]!;
    return t.name === first!.name && t.shape.length >= 1 && t.shape.slice(1).reduce((a, b) => a * b, 1) === width;
  });
  const rows = usable.reduce((s, r) => s + (r.inputs![0]!.shape[0] ?? 1), 0);
  const names = options.featureNames && options.featureNames.length === width ? [...options.featureNames] : Array.from({ length: width }, (_, j) => `${first?.name ?? 'input'}_${j}`);
  const values = names.map(() => new Float64Array(rows));
  const time = new Float64Array(rows);
  const latencyMs = new Float64Array(rows);
  const status = new Int32Array(rows);
  const ids: string[] = new Array(rows);
  const requestIndex = new Int32Array(rows);
  const outName = options.output ?? usable[0]?.outputs[0]?.name;
  const outWidth = outName ? (usable[0]?.outputs.find((o) => o.name === outName)?.shape.slice(1).reduce((a, b) => a * b, 1) ?? 0) : 0;
  let outData: Float64Array | null = outName && outWidth > 0 ? new Float64Array(rows * outWidth) : null;
  let row = 0;
  for (const [q, r] of usable.entries()) {
    const x = r.inputs![0]!;
    const n = x.shape[0] ?? 1;
    const id = r.id ?? `request-${q + 1}`;
    const out = outName ? r.outputs.find((o) => o.name === outName) : undefined;
    if (outData && (!out || out.data.length !== n * outWidth)) outData = null;
    for (let i = 0; i < n; i++, row++) {
      for (let j = 0; j < width; j++) values[j]![row] = x.data[i * width + j]!;
      time[row] = r.time;
      latencyMs[row] = r.latencyMs;
      status[row] = r.status;
      ids[row] = n === 1 ? id : `${id}#${i}`;
      requestIndex[row] = q;
      if (outData && out) for (let c = 0; c < outWidth; c++) outData[row * outWidth + c] = out.data[i * outWidth + c]!;
    }
  }
  return {
    rows,
    columns: names,
    values,
    time,
    latencyMs,
    status,
    ids,
    requestIndex,
    featureShape: first ? first.shape.slice(1) : [],
    output: outData && outName ? { name: outName, width: outWidth, data: outData } : null,
    requestsWithoutFeatures: read.requests.length - usable.length,
    model: usable[0]?.model,
  };
}
