/**
 * Alert thresholds as NannyML sets them: a value outside the reference chunks' mean ± 3 standard deviations
 * (population std, numpy's default), or outside fixed bounds the user gives.
 */
export interface Band {
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface ReferenceBand extends Band {
  readonly mean: number;
  readonly std: number;
}

/** mean ± k·σ of the reference chunks' values (k = 3); null bounds when there are no values. */
export function referenceBand(values: readonly (number | null)[], k = 3): ReferenceBand | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!xs.length) return null;
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
  return { mean, std, lower: mean - k * std, upper: mean + k * std };
}

/** Whether `value` is outside the band (a bound that is null does not apply). */
export function outside(value: number | null, band: Band | null): boolean {
  if (value === null || band === null || !Number.isFinite(value)) return false;
  // Rounding noise (an AUC of 1 + 1e-15 against a band of exactly 1) is not an alert.
  const eps = 1e-9 * Math.max(1, Math.abs(value));
  return (band.lower !== null && value < band.lower - eps) || (band.upper !== null && value > band.upper + eps);
}
