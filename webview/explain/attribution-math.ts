/** What the Attributions plots show, computed from an ExplainResult. Pure: no DOM, no vscode. */
import type { ExplainResult } from '../../src/protocol/explain';

export interface WaterfallBar {
  /** Feature name, or "N other features". */
  readonly name: string;
  readonly phi: number;
  /** The feature's value in the row (undefined for the "other" bar). */
  readonly value?: number;
  /** Number of features merged into this bar (1 for a feature). */
  readonly count: number;
}

/** φ of every feature for one row and output. */
export function rowPhi(r: ExplainResult, row: number, output: number): number[] {
  return (r.shap_values[row] ?? []).map((perOutput) => perOutput[output] ?? 0);
}

/** Bars sorted by |φ| (largest first); beyond `max` the rest is one "N other features" bar (as shap's max_display). */
export function waterfallBars(r: ExplainResult, row: number, output: number, max = 10): WaterfallBar[] {
  const phi = rowPhi(r, row, output);
  const order = phi.map((_, j) => j).sort((a, b) => Math.abs(phi[b]!) - Math.abs(phi[a]!) || a - b);
  const shown = order.length > max ? order.slice(0, max) : order;
  const bars: WaterfallBar[] = shown.map((j) => ({ name: r.feature_names[j] ?? `f${j}`, phi: phi[j]!, value: r.feature_values[row]?.[j], count: 1 }));
  const rest = order.slice(shown.length);
  if (rest.length) bars.push({ name: `${rest.length} other ${rest.length === 1 ? 'feature' : 'features'}`, phi: rest.reduce((s, j) => s + phi[j]!, 0), count: rest.length });
  return bars;
}

/** Mean |φ| per feature over the explained rows for one output. */
export function meanAbsPhi(r: ExplainResult, output: number): number[] {
  const m = r.feature_names.length;
  const sums = new Array<number>(m).fill(0);
  for (const perFeature of r.shap_values) for (let j = 0; j < m; j++) sums[j]! += Math.abs(perFeature[j]?.[output] ?? 0);
  const n = Math.max(r.shap_values.length, 1);
  return sums.map((s) => s / n);
}

/** Feature indices by mean |φ| (largest first). */
export function importanceOrder(r: ExplainResult, output: number): number[] {
  const mean = meanAbsPhi(r, output);
  return mean.map((_, j) => j).sort((a, b) => mean[b]! - mean[a]! || a - b);
}

/** The default output: the positive class of a binary classifier, the first row's predicted class of a multi-class one, else the first output. */
export function defaultOutput(r: ExplainResult): number {
  if (r.task !== 'classification' || r.output_names.length < 2) return 0;
  if (r.output_names.length === 2) return 1;
  const fx = r.f_x[0] ?? [];
  return fx.reduce((best, v, k) => (v > (fx[best] ?? -Infinity) ? k : best), 0);
}

/** Values normalised to [0, 1] between the 5th and 95th percentile (as shap colours beeswarm points); NaN stays NaN. */
export function normalizeValues(values: readonly number[]): number[] {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return values.map(() => NaN);
  const q = (p: number) => finite[Math.min(finite.length - 1, Math.max(0, Math.round(p * (finite.length - 1))))]!;
  let lo = q(0.05);
  let hi = q(0.95);
  if (hi <= lo) {
    lo = finite[0]!;
    hi = finite[finite.length - 1]!;
  }
  return values.map((v) => (!Number.isFinite(v) ? NaN : hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5));
}

/** Vertical offsets (in lane units, −0.5…0.5) that spread points with close x apart, as a beeswarm does. */
export function swarmOffsets(xs: readonly number[], bins = 60): number[] {
  const finite = xs.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Map<number, number>();
  const raw = xs.map((x) => {
    const bin = Number.isFinite(x) ? Math.floor((x - lo) / width) : -1;
    const k = counts.get(bin) ?? 0;
    counts.set(bin, k + 1);
    // 0, +1, −1, +2, −2 …
    return k === 0 ? 0 : (k % 2 === 1 ? 1 : -1) * Math.ceil(k / 2);
  });
  const most = Math.max(1, ...raw.map(Math.abs));
  return raw.map((o) => (o / most) * 0.4);
}

/** Nice axis ticks for [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Compact number text for plot labels: 4 significant digits, signed when asked. */
export function num(x: number | undefined, signed = false): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(x);
  const text = abs !== 0 && (abs >= 1e5 || abs < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
  return signed && x > 0 ? `+${text}` : text;
}
