/**
 * Serving health of a chunk from Prometheus' HTTP query API (`/api/v1/query`) over the metrics `ptp serve`
 * exports, for the chunk's time span: requests and failures from `ptp_inference_requests_total`, latency
 * percentiles from the `ptp_request_duration_seconds` histogram — what a Grafana panel over the same server shows.
 * A span shorter than two scrape intervals cannot be measured by `increase()`: it is widened to `minWindowS`.
 */
import { MonitorError } from './monitor-error';

export interface PromHealth {
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly error_rate: number;
  readonly requests: number;
}

const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

async function scalar(url: string, query: string, at: number): Promise<number | null> {
  const u = `${url.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}&time=${(at / 1000).toFixed(3)}`;
  let res: Response;
  try {
    res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new MonitorError(url, `Prometheus does not answer: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
  }
  const doc = (await res.json().catch(() => null)) as { status?: string; error?: string; data?: { result?: { value: [number, string] }[] } } | null;
  if (!doc || doc.status !== 'success') throw new MonitorError(url, `Prometheus refused ${query}: ${doc?.error ?? `HTTP ${res.status}`}`);
  const v = doc.data?.result?.[0]?.value?.[1];
  const x = v === undefined ? NaN : Number(v);
  return Number.isFinite(x) ? x : null;
}

/**
 * Health of `model` over [start, end] (ms since the epoch), read at `end` plus a scrape's slack (never later
 * than now), so the chunk's last requests have been scraped.
 */
export async function prometheusHealth(url: string, model: string, start: number, end: number, minWindowS = 5, slackMs = 2_000): Promise<PromHealth | null> {
  const at = Math.min(Date.now(), end + slackMs);
  const window = Math.max(minWindowS, Math.ceil((at - start) / 1000) + 1);
  end = at;
  const sel = `model="${label(model)}"`;
  const requests = await scalar(url, `sum(increase(ptp_inference_requests_total{${sel}}[${window}s]))`, end);
  if (requests === null) return null;
  const failed = (await scalar(url, `sum(increase(ptp_inference_requests_total{${sel},status!~"2.."}[${window}s]))`, end)) ?? 0;
  const q = (p: number) => scalar(url, `histogram_quantile(${p}, sum by (le) (increase(ptp_request_duration_seconds_bucket{${sel}}[${window}s])))`, end);
  const [p50, p99] = [await q(0.5), await q(0.99)];
  return { p50_ms: (p50 ?? NaN) * 1000, p99_ms: (p99 ?? NaN) * 1000, error_rate: requests > 0 ? failed / requests : 0, requests: Math.round(requests) };
}
