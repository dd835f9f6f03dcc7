/** Text and classes for before/after reports (quantize, optimize, prune, distill): size ratios, metric deltas. Pure: no DOM. */
import { formatNumber } from './format';

/** 10717 → 5515: "1.94× smaller"; the other way "1.2× larger". */
export function formatRatio(before: number, after: number): string {
  if (!(before > 0) || !(after > 0)) return '—';
  const r = before / after;
  return r >= 1 ? `${r.toFixed(2)}× smaller` : `${(after / before).toFixed(2)}× larger`;
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
