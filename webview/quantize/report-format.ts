/** Text and classes for the quantization report: size ratios, SQNR bands, metric deltas. Pure: no DOM. */
import { formatNumber } from '../shared/format';

/** 10717 → 5515: "1.94× smaller"; the other way "1.2× larger". */
export function formatRatio(before: number, after: number): string {
  if (!(before > 0) || !(after > 0)) return '—';
  const r = before / after;
  return r >= 1 ? `${r.toFixed(2)}× smaller` : `${(after / before).toFixed(2)}× larger`;
}

/** SQNR in dB: "37.25 dB"; "—" when not measured; "identical" at the ±200 dB cap. */
export function formatSqnr(db: number | undefined): string {
  if (db === undefined || !Number.isFinite(db)) return '—';
  if (db >= 200) return 'identical';
  return `${db.toFixed(1)} dB`;
}

/** Band of an SQNR by the overlay's thresholds [20, 30, 40]. */
export function sqnrBand(db: number | undefined): 'none' | 'poor' | 'fair' | 'good' | 'great' {
  if (db === undefined || !Number.isFinite(db)) return 'none';
  return db < 20 ? 'poor' : db < 30 ? 'fair' : db < 40 ? 'good' : 'great';
}

/** The lower of a node's SQNRs (what "worst first" sorts by); undefined when neither was measured. */
export function worstSqnr(n: { readonly weight_sqnr_db?: number; readonly activation_sqnr_db?: number }): number | undefined {
  const values = [n.weight_sqnr_db, n.activation_sqnr_db].filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? Math.min(...values) : undefined;
}

const LOWER_IS_BETTER = new Set(['log_loss', 'brier_score', 'mse', 'rmse', 'mae', 'max_error', 'median_absolute_error', 'mape']);

/** Whether a change of `delta` in metric `key` is an improvement, a loss, or neither. */
export function deltaClass(key: string, delta: number | null): 'better' | 'worse' | 'same' {
  if (delta === null || !Number.isFinite(delta) || Math.abs(delta) < 1e-12) return 'same';
  const up = delta > 0;
  return LOWER_IS_BETTER.has(key) ? (up ? 'worse' : 'better') : up ? 'better' : 'worse';
}

/** "0.98 → 0.97" style number. */
export function num(v: number | null | undefined): string {
  return formatNumber(v);
}
