/**
 * CBPE — confidence-based performance estimation (NannyML's definition): a classifier's performance on rows
 * without labels, from its own scores. On the labelled reference, each class's score is calibrated (isotonic
 * regression, one-vs-rest; kept only when it lowers the expected calibration error on held-out splits, as NannyML
 * checks); on a chunk, each row's calibrated probabilities are the expected labels, and the expected confusion
 * matrix gives accuracy, precision, recall, F1 (binary: of class 1; multiclass: macro) and ROC AUC. It assumes no
 * concept drift: P(y | scores) is the reference's. The sampling error of each estimate is the standard deviation
 * of the realized metric over bootstrap samples of the reference of the chunk's size.
 */
import { createRng32 } from '../shared/rng';

export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];
export type CbpeMetrics = Record<CbpeMetric, number | null>;

/** An increasing piecewise-linear map fitted by isotonic regression (pool adjacent violators), clipped at the ends. */
export class Isotonic {
  private constructor(
    private readonly xs: Float64Array,
    private readonly ys: Float64Array,
  ) {}

  /** Fits y ≈ f(x), f non-decreasing (sklearn's IsotonicRegression(out_of_bounds='clip'), unit weights). */
  static fit(x: ArrayLike<number>, y: ArrayLike<number>): Isotonic {
    const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
    // Equal x values are pooled first (their mean y), then adjacent violators are merged.
    const bx: number[] = [];
    const by: number[] = [];
    const bw: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (const i of order) {
      const xi = x[i]!;
      if (bx.length && bx[bx.length - 1] === xi) {
        const k = bx.length - 1;
        by[k] = (by[k]! * bw[k]! + y[i]!) / (bw[k]! + 1);
        bw[k]! += 1;
        continue;
      }
      bx.push(xi);
      by.push(y[i]!);
      bw.push(1);
      lo.push(xi);
      hi.push(xi);
      while (by.length > 1 && by[by.length - 2]! > by[by.length - 1]!) {
        const b = by.length - 1;
        const w = bw[b - 1]! + bw[b]!;
        by[b - 1] = (by[b - 1]! * bw[b - 1]! + by[b]! * bw[b]!) / w;
        bw[b - 1] = w;
        hi[b - 1] = hi[b]!;
        by.pop();
        bw.pop();
        bx.pop();
        lo.pop();
        hi.pop();
      }
    }
    // Each block is flat from its first to its last x; between blocks the map is linear.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let b = 0; b < by.length; b++) {
      xs.push(lo[b]!);
      ys.push(by[b]!);
      if (hi[b]! !== lo[b]!) {
        xs.push(hi[b]!);
        ys.push(by[b]!);
      }
    }
    return new Isotonic(Float64Array.from(xs), Float64Array.from(ys));
  }

  predict(v: number): number {
    const { xs, ys } = this;
    if (xs.length === 0) return v;
    if (v <= xs[0]!) return ys[0]!;
    if (v >= xs[xs.length - 1]!) return ys[ys.length - 1]!;
    let a = 0;
    let b = xs.length - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (xs[m]! <= v) a = m;
      else b = m;
    }
    const t = (v - xs[a]!) / (xs[b]! - xs[a]!);
    return ys[a]! + t * (ys[b]! - ys[a]!);
  }
}

/** Expected calibration error over 10 equal-width bins of the score. */
export function expectedCalibrationError(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const bins = 10;
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    sumP[b]! += p[i]!;
    sumY[b]! += y[i]!;
    count[b]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += (count[b]! / p.length) * Math.abs(sumP[b]! / count[b]! - sumY[b]! / count[b]!);
  return ece;
}

/** Whether isotonic calibration helps: its mean held-out ECE over 10 seeded 90/10 splits is below the score's own. */
function calibrationHelps(p: Float64Array, y: Float64Array, seed: number): boolean {
  const n = p.length;
  if (n < 20) return false;
  const vanilla = expectedCalibrationError(p, y);
  if (vanilla === 0) return false;
  const rng = createRng32(seed);
  let total = 0;
  const splits = 10;
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let s = 0; s < splits; s++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextBelow(i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const testN = Math.max(1, Math.round(n * 0.1));
    const train = idx.slice(testN);
    const test = idx.slice(0, testN);
    const iso = Isotonic.fit(
      train.map((i) => p[i]!),
      train.map((i) => y[i]!),
    );
    total += expectedCalibrationError(
      test.map((i) => iso.predict(p[i]!)),
      test.map((i) => y[i]!),
    );
  }
  return total / splits < vanilla;
}

/** Realized metrics from labels (class indices) and scores (n×k), as CBPE estimates them. */
export function realizedMetrics(proba: ArrayLike<number>, labels: ArrayLike<number>, k: number): CbpeMetrics {
  const n = labels.length;
  const expected = new Float64Array(n * k);
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) expected[i * k + labels[i]!] = 1;
  return metricsFromExpected(proba, expected, k, n);
}

/**
 * Metrics from expected labels: `expected[i*k + c]` is P(row i is class c) — one-hot for realized metrics, the
 * calibrated probabilities for estimates. The prediction is the argmax of the raw scores.
 */
function metricsFromExpected(proba: ArrayLike<number>, expected: ArrayLike<number>, k: number, n: number): CbpeMetrics {
  if (n === 0) return { accuracy: null, precision: null, recall: null, f1: null, roc_auc: null };
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    predicted[i] = best;
  }
  let correct = 0;
  for (let i = 0; i < n; i++) correct += expected[i * k + predicted[i]!]!;
  const classes = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const auc: number[] = [];
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      const e = expected[i * k + c]!;
      if (predicted[i] === c) {
        tp += e;
        fp += 1 - e;
      } else fn += e;
    }
    precision.push(tp + fp > 0 ? tp / (tp + fp) : 0);
    recall.push(tp + fn > 0 ? tp / (tp + fn) : 0);
    f1.push(2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0);
    const a = expectedAuc(proba, expected, k, n, c);
    if (a !== null) auc.push(a);
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { accuracy: correct / n, precision: mean(precision), recall: mean(recall), f1: mean(f1), roc_auc: auc.length === classes.length ? mean(auc) : null };
}

/**
 * ROC AUC of class `c` one-vs-rest with expected labels: rows ranked by their score of `c`; at each threshold the
 * expected true and false positives are the sums of e and 1 − e above it (tied scores move together), and the
 * area is the trapezoid sum — with one-hot e exactly sklearn's roc_auc_score.
 */
function expectedAuc(proba: ArrayLike<number>, expected: ArrayLike<number>, k: number, n: number, c: number): number | null {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => proba[b * k + c]! - proba[a * k + c]!);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += expected[i * k + c]!;
  const neg = n - pos;
  if (pos <= 0 || neg <= 0) return null;
  let tp = 0;
  let area = 0;
  for (let s = 0; s < n; ) {
    const score = proba[order[s]! * k + c]!;
    let dTp = 0;
    let dFp = 0;
    while (s < n && proba[order[s]! * k + c]! === score) {
      const e = expected[order[s]! * k + c]!;
      dTp += e;
      dFp += 1 - e;
      s++;
    }
    area += (dFp / neg) * ((tp + dTp / 2) / pos);
    tp += dTp;
  }
  return area;
}

export interface CbpeFit {
  readonly k: number;
  /** Per class (binary: class 1 only), whether its isotonic calibration is used. */
  readonly calibrated: readonly boolean[];
  /** The reference's realized metrics. */
  readonly reference: CbpeMetrics;
  /** Calibrated expected labels of n×k scores. */
  expectedLabels(proba: ArrayLike<number>, n: number): Float64Array;
  /** Estimated metrics of a chunk's scores (n×k). */
  estimate(proba: ArrayLike<number>, n: number): CbpeMetrics;
  /** The sampling error of each metric at a chunk of n rows. */
  samplingError(n: number): CbpeMetrics;
}

/** Fits CBPE on a labelled reference: scores (n×k, probabilities) and class indices. */
export function fitCbpe(proba: ArrayLike<number>, labels: ArrayLike<number>, k: number, options: { readonly seed?: number; readonly bootstrap?: number } = {}): CbpeFit {
  const n = labels.length;
  const seed = options.seed ?? 0;
  const classes = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const calibrators: (Isotonic | null)[] = [];
  for (const c of classes) {
    const p = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = proba[i * k + c]!;
      y[i] = labels[i] === c ? 1 : 0;
    }
    calibrators.push(calibrationHelps(p, y, seed + c) ? Isotonic.fit(p, y) : null);
  }
  const expectedLabels = (scores: ArrayLike<number>, m: number): Float64Array => {
    const e = new Float64Array(m * k);
    for (let i = 0; i < m; i++) {
      if (k === 2) {
        const p1 = calibrators[0] ? calibrators[0].predict(scores[i * 2 + 1]!) : scores[i * 2 + 1]!;
        e[i * 2 + 1] = p1;
        e[i * 2] = 1 - p1;
        continue;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const v = calibrators[c] ? calibrators[c]!.predict(scores[i * k + c]!) : scores[i * k + c]!;
        e[i * k + c] = Math.max(0, v);
        sum += e[i * k + c]!;
      }
      for (let c = 0; c < k; c++) e[i * k + c] = sum > 0 ? e[i * k + c]! / sum : 1 / k;
    }
    return e;
  };
  const reference = realizedMetrics(proba, labels, k);
  const bootstrap = options.bootstrap ?? 30;
  const errors = new Map<number, CbpeMetrics>();
  return {
    k,
    calibrated: calibrators.map((c) => c !== null),
    reference,
    expectedLabels,
    estimate: (scores, m) => metricsFromExpected(scores, expectedLabels(scores, m), k, m),
    samplingError(m) {
      const known = errors.get(m);
      if (known) return known;
      const rng = createRng32(seed + 7919 * m);
      const samples: CbpeMetrics[] = [];
      const p = new Float64Array(m * k);
      const y = new Int32Array(m);
      for (let b = 0; b < bootstrap; b++) {
        for (let i = 0; i < m; i++) {
          const r = rng.nextBelow(n);
          for (let c = 0; c < k; c++) p[i * k + c] = proba[r * k + c]!;
          y[i] = labels[r]!;
        }
        samples.push(realizedMetrics(p, y, k));
      }
      const out = {} as CbpeMetrics;
      for (const metric of CBPE_METRICS) {
        const vs = samples.map((s) => s[metric]).filter((v): v is number => v !== null);
        if (vs.length < 2) {
          out[metric] = null;
          continue;
        }
        const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
        out[metric] = Math.sqrt(vs.reduce((s, v) => s + (v - mean) ** 2, 0) / (vs.length - 1));
      }
      errors.set(m, out);
      return out;
    },
  };
}
