/** Requests per second from successive stats polls, and the status bar text. No vscode. */
import type { ServedModelStats } from '../../../protocol/serving-panel';

/** Requests answered by every served version (shadow copies not counted: a client did not send them). */
export function totalRequests(models: readonly ServedModelStats[]): number {
  let n = 0;
  for (const m of models) for (const v of m.versions) n += v.requests;
  return n;
}

/** The rate between two polls; the first poll (no previous one) and a restarted server count as 0. */
export class RateMeter {
  private last: { readonly at: number; readonly total: number } | undefined;

  /** `at` in ms (Date.now()); returns requests per second since the previous call. */
  next(at: number, total: number): number {
    const prev = this.last;
    this.last = { at, total };
    if (!prev || at <= prev.at || total < prev.total) return 0;
    return ((total - prev.total) * 1000) / (at - prev.at);
  }

  reset(): void {
    this.last = undefined;
  }
}

/** `127.0.0.1:8000` of `http://127.0.0.1:8000`. */
export function hostPortOf(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** A rate as the status bar shows it: 0, 0.4, 12, 1.2k. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0';
  if (perSecond < 10) return String(Math.round(perSecond * 10) / 10);
  if (perSecond < 1000) return String(Math.round(perSecond));
  return `${(perSecond / 1000).toFixed(1)}k`;
}

/** `$(radio-tower) 127.0.0.1:8000 · 12 req/s` */
export function statusText(url: string, perSecond: number): string {
  return `$(radio-tower) ${hostPortOf(url)} · ${formatRate(perSecond)} req/s`;
}
