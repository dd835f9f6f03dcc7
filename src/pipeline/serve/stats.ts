/**
 * Live numbers per served version for the Serving panel and `ptp serve status` (`GET /v2/admin/stats`): counts
 * since start, and latency quantiles and batch sizes over the most recent requests (a fixed-size window, so memory
 * stays bounded however long the server runs).
 */
const WINDOW = 4096;

class Ring {
  private readonly values = new Float64Array(WINDOW);
  private n = 0;
  push(v: number): void {
    this.values[this.n % WINDOW] = v;
    this.n++;
  }
  sorted(): Float64Array {
    return this.values.slice(0, Math.min(this.n, WINDOW)).sort();
  }
}

function quantile(sorted: Float64Array, q: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export interface VersionStats {
  readonly model: string;
  readonly version: string;
  readonly requests: number;
  readonly failures: number;
  readonly error_rate: number;
  readonly rows: number;
  readonly shadow_requests: number;
  readonly latency_ms: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
  readonly batches: number;
  readonly mean_batch_size: number | null;
  readonly max_batch_size_seen: number;
}

class Counters {
  requests = 0;
  failures = 0;
  rows = 0;
  shadow = 0;
  batches = 0;
  batchRows = 0;
  maxBatch = 0;
  readonly latency = new Ring();
}

export class LiveStats {
  private readonly byVersion = new Map<string, Counters>();
  private at(model: string, version: string): Counters {
    const k = `${model}\u0000${version}`;
    let c = this.byVersion.get(k);
    if (!c) this.byVersion.set(k, (c = new Counters()));
    return c;
  }
  request(model: string, version: string, ok: boolean, seconds: number): void {
    const c = this.at(model, version);
    c.requests++;
    if (!ok) c.failures++;
    else c.latency.push(seconds * 1000);
  }
  rows(model: string, version: string, n: number): void {
    this.at(model, version).rows += n;
  }
  shadow(model: string, version: string): void {
    this.at(model, version).shadow++;
  }
  batch(model: string, version: string, rows: number): void {
    const c = this.at(model, version);
    c.batches++;
    c.batchRows += rows;
    c.maxBatch = Math.max(c.maxBatch, rows);
  }
  snapshot(versions: readonly { model: string; version: string }[]): VersionStats[] {
    return versions.map(({ model, version }) => {
      const c = this.at(model, version);
      const s = c.latency.sorted();
      return {
        model,
        version,
        requests: c.requests,
        failures: c.failures,
        error_rate: c.requests ? c.failures / c.requests : 0,
        rows: c.rows,
        shadow_requests: c.shadow,
        latency_ms: { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99) },
        batches: c.batches,
        mean_batch_size: c.batches ? c.batchRows / c.batches : null,
        max_batch_size_seen: c.maxBatch,
      };
    });
  }
}
