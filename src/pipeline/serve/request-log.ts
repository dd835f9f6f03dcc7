/**
 * The request log the monitoring stage reads: JSON Lines, one record per sampled request (and per shadow answer),
 * rotated by size (`requests.jsonl` → `requests.jsonl.1` → … up to `keep` files). With `logInputs: false` the inputs
 * are replaced by their sha256. Writes are buffered and ordered; `close()` flushes.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, openSync, renameSync, statSync, existsSync, rmSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { encodeBinary, encodeJsonData } from './codec';
import type { V2Tensor } from './datatypes';

export interface RequestLogOptions {
  readonly path: string;
  /** Share of requests logged, 0–1. */
  readonly sample: number;
  readonly logInputs: boolean;
  /** Rotate when the file passes this size. */
  readonly maxBytes: number;
  /** Rotated files kept. */
  readonly keep: number;
}

export interface LogEntry {
  readonly time: string;
  readonly id: string | null;
  readonly model: string;
  readonly version: string;
  readonly arm: 'primary' | 'shadow';
  readonly status: number;
  readonly latency_ms: number;
  readonly inputs: readonly V2Tensor[];
  readonly outputs: readonly V2Tensor[];
  readonly error?: string;
}

const tensorJson = (t: V2Tensor) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: encodeJsonData(t) });

export class RequestLog {
  private stream: WriteStream;
  private size: number;

  constructor(private readonly options: RequestLogOptions) {
    mkdirSync(path.dirname(options.path), { recursive: true });
    this.size = existsSync(options.path) ? statSync(options.path).size : 0;
    this.stream = this.open();
  }

  private open(): WriteStream {
    // Opened synchronously: the file exists from here on, so a rotation right after (a small max_bytes, a burst
    // of requests) can rename it; the stream keeps writing through its descriptor.
    const s = createWriteStream('', { fd: openSync(this.options.path, 'a') });
    s.on('error', (e) => process.stderr.write(`ptp serve: cannot write the request log ${this.options.path}: ${e.message}\n`));
    return s;
  }

  /** Whether this request is sampled (primary arm); shadow answers of a sampled request are logged too. */
  sampled(): boolean {
    return this.options.sample >= 1 || Math.random() < this.options.sample;
  }

  write(e: LogEntry): void {
    const record: Record<string, unknown> = { time: e.time, id: e.id, model: e.model, version: e.version, arm: e.arm, status: e.status, latency_ms: e.latency_ms };
    if (this.options.logInputs) record.inputs = e.inputs.map(tensorJson);
    else {
      const h = createHash('sha256');
      for (const t of e.inputs) h.update(t.name).update(t.datatype).update(JSON.stringify(t.shape)).update(encodeBinary(t));
      record.input_hash = h.digest('hex');
    }
    record.outputs = e.outputs.map(tensorJson);
    if (e.error) record.error = e.error;
    const line = `${JSON.stringify(record)}\n`;
    if (this.size > 0 && this.size + line.length > this.options.maxBytes) this.rotate();
    this.size += Buffer.byteLength(line);
    this.stream.write(line);
  }

  private rotate(): void {
    const old = this.stream;
    old.end();
    const p = this.options.path;
    const keep = Math.max(1, this.options.keep);
    rmSync(`${p}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${p}.${i}`)) renameSync(`${p}.${i}`, `${p}.${i + 1}`);
    // The old stream keeps its descriptor: renaming the file under it loses no buffered line.
    renameSync(p, `${p}.1`);
    this.size = 0;
    this.stream = this.open();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
