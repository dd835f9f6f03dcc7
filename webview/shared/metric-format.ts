/** Text for metric values, intervals, deltas and rates in the Evaluation panel. Pure: no DOM. */
import { formatCompact, formatNumber } from './format';

/** A metric value: "—" when undefined, else 5 significant digits (0.98222). */
export function formatMetric(v: number | null | undefined): string {
  return formatNumber(v);
}

/** Full precision, for tooltips. */
export function exactMetric(v: number | null | undefined): string {
  return v === null || v === undefined ? 'undefined' : String(v);
}

/** A confidence interval: "[0.541, 0.626]"; "—" when undefined. */
export function formatInterval(ci: readonly [number, number] | null | undefined): string {
  if (!ci) return '—';
  return `[${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`;
}

/** 0.978 → "97.8%". */
export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : '—';
}

/** Signed change with a real minus sign: "+0.0044", "−0.0044", "0". */
export function formatDelta(d: number | null | undefined): string {
  if (d === null || d === undefined || Number.isNaN(d)) return '—';
  if (d === 0) return '0';
  const text = formatNumber(Math.abs(d));
  return `${d > 0 ? '+' : '−'}${text}`;
}

/** Rows per second: "25.7K rows/s". */
export function formatRate(rowsPerS: number): string {
  return Number.isFinite(rowsPerS) ? `${formatCompact(Math.round(rowsPerS))} rows/s` : '—';
}

/** Milliseconds with enough digits for sub-millisecond latencies: "0.0116 ms", "2.13 ms", "153 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${Number(ms.toPrecision(3))} ms`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${Math.round(ms)} ms`;
}

/** "2026-11-26T06:38:41.210Z" → local date and time; the input when it is not a date. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
