/** Text pieces shared by the summaries of commands that compare a model with its changed copy (quantize, prune, distill). */

/** A number with `digits` decimals, or `-` when there is none. */
export const fmt = (v: number | undefined | null, digits = 4): string => (typeof v === 'number' ? v.toFixed(digits) : '-');

/** A byte count in kB or MB (decimal). */
export const kb = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);

const HEADLINE_METRICS = ['accuracy', 'f1_macro', 'log_loss', 'r2', 'rmse', 'mae'];

/** `    accuracy   0.9711 → 0.9689 (-0.0022)` for each headline metric `before` has (none when it is null). */
export function metricDeltaLines(metricsBefore: object | null | undefined, metricsAfter: object | null | undefined): string[] {
  const before = (metricsBefore ?? {}) as Record<string, number>;
  const after = (metricsAfter ?? {}) as Record<string, number>;
  return HEADLINE_METRICS.filter((k) => typeof before[k] === 'number').map(
    (k) => `    ${k.padEnd(10)} ${fmt(before[k])} → ${fmt(after[k])} (${after[k]! - before[k]! >= 0 ? '+' : ''}${fmt(after[k]! - before[k]!)})`,
  );
}

/** One latency measurement: p50 per batch size. */
export interface LatencyRows {
  readonly rows: readonly { readonly batch_size: number; readonly p50_ms: number }[];
}

/** `  latency p50 (ms):` and one `batch N  before → after` line per batch size. */
export function latencyDeltaLines(before: LatencyRows, after: LatencyRows): string[] {
  return [
    '  latency p50 (ms):',
    ...before.rows.map((b, i) => `    batch ${String(b.batch_size).padEnd(5)} ${fmt(b.p50_ms, 3)} → ${fmt(after.rows[i]?.p50_ms, 3)}`),
  ];
}
