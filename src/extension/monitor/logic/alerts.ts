/**
 * Alerts across watch re-runs: which alerts of a run are new (not in the previous run), and the alert JSON a
 * retraining task or command gets (PTP_ALERT_FILE). No vscode: unit tested on plain Node.
 */
import type { MonitorAlert, MonitorResult } from '../../../protocol/monitor';

/** An alert with the chunk it was raised in. */
export interface ChunkAlert extends MonitorAlert {
  readonly chunk: number;
  readonly start: number;
  readonly end: number;
  readonly start_time?: string;
  readonly end_time?: string;
}

/** Every alert of a result, with its chunk. */
export function alertsOf(result: MonitorResult): ChunkAlert[] {
  return result.chunks.flatMap((c) =>
    c.alerts.map((a) => ({ ...a, chunk: c.index, start: c.start, end: c.end, ...(c.start_time ? { start_time: c.start_time } : {}), ...(c.end_time ? { end_time: c.end_time } : {}) })),
  );
}

/** What identifies an alert across runs: its kind, metric and where (the chunk's period, else its rows). */
export function alertKey(a: ChunkAlert): string {
  return [a.kind, a.metric, a.start_time ?? `${a.start}-${a.end}`].join('\n');
}

/** The alerts of `next` that `previous` did not have (all of them when there was no previous run). */
export function newAlerts(previous: MonitorResult | undefined, next: MonitorResult): ChunkAlert[] {
  const seen = new Set(previous ? alertsOf(previous).map(alertKey) : []);
  return alertsOf(next).filter((a) => !seen.has(alertKey(a)));
}

/** The JSON written to PTP_ALERT_FILE: what was monitored and the alerts (what drifted, the chunk, the values). */
export interface AlertPayload {
  readonly model: string | null;
  readonly reference: string;
  readonly current: string;
  readonly time: string;
  readonly alerts: readonly ChunkAlert[];
  /** Per alerted chunk: the drifted columns. */
  readonly drifted: readonly { readonly chunk: number; readonly columns: readonly string[] }[];
}

export function alertPayload(result: MonitorResult, alerts: readonly ChunkAlert[], time: Date): AlertPayload {
  const chunks = [...new Set(alerts.map((a) => a.chunk))].sort((a, b) => a - b);
  return {
    model: result.model,
    reference: result.reference.file,
    current: result.current.file,
    time: time.toISOString(),
    alerts,
    drifted: chunks.map((i) => ({ chunk: i, columns: (result.chunks.find((c) => c.index === i)?.drift.columns ?? []).filter((c) => c.drift).map((c) => c.name) })),
  };
}

/** A summary line for a notification: "2 new alerts: income_k drifted in chunk 3, …". */
export function alertSummary(alerts: readonly ChunkAlert[], max = 3): string {
  const shown = alerts.slice(0, max).map((a) => `${a.message} (chunk ${a.chunk + 1})`);
  const more = alerts.length > max ? `, and ${alerts.length - max} more` : '';
  return `${alerts.length} new monitoring alert${alerts.length === 1 ? '' : 's'}: ${shown.join('; ')}${more}`;
}
