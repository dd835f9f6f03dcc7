/**
 * `fairnessReport`: fairlearn's group metrics and disparities of a binary classifier, from 0/1 labels,
 * 0/1 predictions and one sensitive feature, with optional percentile-bootstrap confidence intervals.
 *
 * Definitions (fairlearn): selection_rate = P(ŷ=1); TPR/FPR from `confusion_matrix(normalize="true")` followed
 * by `nan_to_num`, so a group with no positive (negative) rows has TPR (FPR) 0; differences are
 * `between_groups` (max − min); ratios are min / max (undefined, here null, when max is 0).
 *
 * Every metric depends only on the (group, y, ŷ) cell counts, so each row is encoded once as a cell index and a
 * bootstrap resample only increments counts: O(n) per resample, O(G) for the metrics.
 */
import { MetricsError } from '../metrics/errors';
import { quantileSorted } from '../metrics/reductions';
import { setOwn } from '../metrics/records';
import { createRng32 } from '../../shared/rng';
import type { AggregateMetricName, FairnessInput, FairnessReport, GroupMetrics, Interval } from './types';

/** Cell layout per group: y*2 + ŷ → 0 TN, 1 FP, 2 FN, 3 TP. */
const TN = 0;
const FP = 1;
const FN = 2;
const TP = 3;

const GROUP_RATES = ['selection_rate', 'tpr', 'fpr', 'accuracy'] as const;
type GroupRate = (typeof GROUP_RATES)[number];
const AGGREGATES: readonly AggregateMetricName[] = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
];

interface Encoded {
  /** Group values, ascending. */
  readonly names: string[];
  /** Per row: group index * 4 + y * 2 + ŷ. */
  readonly cell: Uint32Array;
}

function encode(input: FairnessInput): Encoded {
  const { yTrue, yPred, groups } = input;
  const n = yTrue.length;
  if (yPred.length !== n || groups.length !== n) {
    throw new MetricsError('length-mismatch', `y_true, y_pred and groups must have the same length (got ${n}, ${yPred.length}, ${groups.length}).`);
  }
  if (n === 0) throw new MetricsError('empty', 'No rows to compute fairness metrics from.');
  const names = [...new Set(groups)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const id = new Map<string, number>();
  names.forEach((g, i) => id.set(g, i));
  const cell = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const p = yPred[i];
    if (y !== 0 && y !== 1) throw new MetricsError('invalid-labels', `y_true must be 0/1 (binarize first); row ${i} is ${y}.`);
    if (p !== 0 && p !== 1) throw new MetricsError('invalid-labels', `y_pred must be 0/1 (binarize first); row ${i} is ${p}.`);
    cell[i] = (id.get(groups[i]) as number) * 4 + y * 2 + p;
  }
  return { names, cell };
}

/** Metrics of cells `[tn, fp, fn, tp]` at `offset`; null for an empty group. */
function ratesOf(c: ArrayLike<number>, offset: number): GroupMetrics | null {
  const tn = c[offset + TN];
  const fp = c[offset + FP];
  const fn = c[offset + FN];
  const tp = c[offset + TP];
  const n = tn + fp + fn + tp;
  if (n === 0) return null;
  return {
    n,
    selection_rate: (tp + fp) / n,
    tpr: tp + fn > 0 ? tp / (tp + fn) : 0,
    fpr: fp + tn > 0 ? fp / (fp + tn) : 0,
    accuracy: (tp + tn) / n,
  };
}

interface Aggregates {
  demographic_parity_difference: number;
  demographic_parity_ratio: number | null;
  equalized_odds_difference: number;
  equalized_odds_ratio: number | null;
}

function spread(values: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** fairlearn's `between_groups` difference and ratio of each metric, combined as its fairness functions do. */
function aggregatesOf(groups: readonly GroupMetrics[]): Aggregates {
  const sel = spread(groups.map((g) => g.selection_rate));
  const tpr = spread(groups.map((g) => g.tpr));
  const fpr = spread(groups.map((g) => g.fpr));
  const ratio = (s: { min: number; max: number }) => (s.max === 0 ? null : s.min / s.max);
  const tprRatio = ratio(tpr);
  const fprRatio = ratio(fpr);
  return {
    demographic_parity_difference: sel.max - sel.min,
    demographic_parity_ratio: ratio(sel),
    equalized_odds_difference: Math.max(tpr.max - tpr.min, fpr.max - fpr.min),
    equalized_odds_ratio: tprRatio === null ? fprRatio : fprRatio === null ? tprRatio : Math.min(tprRatio, fprRatio),
  };
}

function countCells(cell: Uint32Array, groups: number): Float64Array {
  const counts = new Float64Array(groups * 4);
  for (let i = 0; i < cell.length; i++) counts[cell[i]]++;
  return counts;
}

function interval(values: Float64Array, lo: number, hi: number): Interval | null {
  let m = 0;
  const defined = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) defined[m++] = values[i];
  if (m === 0) return null;
  const sorted = defined.subarray(0, m).sort();
  return [quantileSorted(sorted, lo), quantileSorted(sorted, hi)];
}

function checkBootstrap(samples: number, seed: number, confidence: number): void {
  if (!Number.isInteger(samples) || samples < 1) throw new MetricsError('invalid-params', `bootstrap.samples must be a positive integer, got ${samples}.`);
  if (!Number.isSafeInteger(seed)) throw new MetricsError('invalid-params', `bootstrap.seed must be a safe integer, got ${seed}.`);
  if (!(confidence > 0 && confidence < 1)) throw new MetricsError('invalid-params', `bootstrap.confidence must be in (0, 1), got ${confidence}.`);
}

/** Group metrics, disparities and (optionally) bootstrap intervals of a binary classifier. */
export function fairnessReport(input: FairnessInput): FairnessReport {
  const { names, cell } = encode(input);
  const g = names.length;
  const n = cell.length;
  const counts = countCells(cell, g);
  const warnings: string[] = [];

  const byGroup: Record<string, GroupMetrics> = {};
  const groupList: GroupMetrics[] = [];
  const noPos: string[] = [];
  const noNeg: string[] = [];
  for (let k = 0; k < g; k++) {
    const m = ratesOf(counts, k * 4) as GroupMetrics; // every listed group has rows
    setOwn(byGroup, names[k], m);
    groupList.push(m);
    if (counts[k * 4 + TP] + counts[k * 4 + FN] === 0) noPos.push(names[k]);
    if (counts[k * 4 + TN] + counts[k * 4 + FP] === 0) noNeg.push(names[k]);
  }
  const total = new Float64Array(4);
  for (let k = 0; k < g; k++) for (let j = 0; j < 4; j++) total[j] += counts[k * 4 + j];
  const overall = ratesOf(total, 0) as GroupMetrics;
  const agg = aggregatesOf(groupList);

  if (g === 1) warnings.push(`Only one group (${names[0]}): differences are 0 and ratios 1 by construction.`);
  if (noPos.length > 0) {
    warnings.push(`No positive rows in group(s) ${noPos.join(', ')}: their TPR is reported as 0 (fairlearn's convention), which affects equalized odds.`);
  }
  if (noNeg.length > 0) {
    warnings.push(`No negative rows in group(s) ${noNeg.join(', ')}: their FPR is reported as 0 (fairlearn's convention), which affects equalized odds.`);
  }
  if (agg.demographic_parity_ratio === null) warnings.push('Demographic parity ratio is undefined: no group has any positive prediction (0/0).');
  if (agg.equalized_odds_ratio === null) warnings.push('Equalized odds ratio is undefined: both the TPR and the FPR are 0 in every group (0/0).');

  const report: FairnessReport = {
    by_group: byGroup,
    ...agg,
    overall,
    warnings,
  };
  if (input.bootstrap === undefined) return report;

  const samples = input.bootstrap.samples ?? 200;
  const seed = input.bootstrap.seed ?? 0;
  const confidence = input.bootstrap.confidence ?? 0.95;
  checkBootstrap(samples, seed, confidence);
  const rng = createRng32(seed);
  const aggValues = AGGREGATES.map(() => new Float64Array(samples));
  const groupValues = new Float64Array(g * GROUP_RATES.length * samples).fill(NaN);
  const missing = new Float64Array(g);
  const resampled = new Int32Array(g * 4);
  // A resample draws n row indices uniformly with replacement and counts their cells. The per-row cell array is
  // narrowed to bytes when it can be, so these random reads mostly hit the cache.
  const cellOf = g * 4 <= 256 ? Uint8Array.from(cell) : g * 4 <= 65536 ? Uint16Array.from(cell) : cell;
  const picks = new Uint32Array(n);
  for (let r = 0; r < samples; r++) {
    resampled.fill(0);
    rng.fillBelow(picks, n);
    for (let i = 0; i < n; i++) resampled[cellOf[picks[i]]]++;
    const present: GroupMetrics[] = [];
    for (let k = 0; k < g; k++) {
      const m = ratesOf(resampled, k * 4);
      if (m === null) {
        missing[k]++;
        continue;
      }
      present.push(m);
      GROUP_RATES.forEach((rate: GroupRate, j) => {
        groupValues[(k * GROUP_RATES.length + j) * samples + r] = m[rate];
      });
    }
    const a = aggregatesOf(present);
    AGGREGATES.forEach((name, j) => {
      aggValues[j][r] = a[name] ?? NaN;
    });
  }

  const lo = (1 - confidence) / 2;
  const hi = 1 - lo;
  const ci = {} as Record<AggregateMetricName, Interval | null>;
  AGGREGATES.forEach((name, j) => {
    ci[name] = interval(aggValues[j], lo, hi);
  });
  const ciByGroup: Record<string, Record<GroupRate, Interval | null>> = {};
  for (let k = 0; k < g; k++) {
    const entry = {} as Record<GroupRate, Interval | null>;
    GROUP_RATES.forEach((rate, j) => {
      const start = (k * GROUP_RATES.length + j) * samples;
      entry[rate] = interval(groupValues.subarray(start, start + samples), lo, hi);
    });
    setOwn(ciByGroup, names[k], entry);
    if (missing[k] > 0) warnings.push(`Group ${names[k]} is absent from ${missing[k]} of ${samples} bootstrap resamples; its intervals use the others.`);
  }
  return { ...report, ci, ci_by_group: ciByGroup };
}
