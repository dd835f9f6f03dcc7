/**
 * One-vs-rest ranking summaries of float32 class scores, one class at a time: ROC AUC, average precision and
 * evenly spaced points of the ROC and precision-recall curves. Equal bit for bit to `binaryClfCurve` →
 * `rocFromClfCurve` / `trapezoidArea` / `prFromClfCurve` / `averagePrecisionFromClfCurve` (same operations in
 * the same order), but without their per-curve arrays: the scores' float32 bit patterns are radix-sorted as
 * integers (equal scores, equal keys), the curve points are computed where they are used, and every buffer is reused from class to class.
 * On a million rows this replaces ~100 MB of short-lived arrays per class with one ~30 MB scratch.
 */
import { MetricsError } from './errors';
import { sortUint32 } from './radix-sort';
import { pairwiseSum } from './reductions';
import { evenlySpacedIndices } from './regression';

/** What evaluation needs of one class's one-vs-rest curves. */
export interface RankingSummary {
  /** Rows of the class (positives) and of every other class (negatives). */
  readonly positives: number;
  readonly negatives: number;
  /** `roc_auc_score`; null when positives or negatives are missing (scikit-learn raises). */
  readonly rocAuc: number | null;
  /** `average_precision_score` (0 without positives, as scikit-learn after its warning). */
  readonly averagePrecision: number;
  /** At most `points` points of `roc_curve(drop_intermediate=True)`, evenly spaced by index (NaN where undefined). */
  readonly roc: { readonly fpr: Float64Array; readonly tpr: Float64Array };
  /** At most `points` points of `precision_recall_curve`, evenly spaced by index (recall decreasing). */
  readonly pr: { readonly recall: Float64Array; readonly precision: Float64Array };
}

/** Buffers for `ovrRanking`, sized for `rows` rows and reused across classes (about 30 bytes a row). */
export class RankingScratch {
  readonly keys: Uint32Array;
  readonly tmp: Uint32Array;
  /** Cumulative false / true positives at each distinct threshold (decreasing thresholds). */
  readonly fps: Float64Array;
  readonly tps: Float64Array;
  /** Indices of the ROC points kept by drop_intermediate. */
  readonly keep: Int32Array;
  readonly terms: Float64Array;

  constructor(readonly rows: number) {
    this.keys = new Uint32Array(rows);
    this.tmp = new Uint32Array(rows);
    this.fps = new Float64Array(rows);
    this.tps = new Float64Array(rows);
    this.keep = new Int32Array(rows);
    this.terms = new Float64Array(rows + 1);
  }
}

/**
 * Unsigned key whose integer order is the numeric order of the float32 with these bits; -0 gets the key of +0,
 * so equal scores always have equal keys (NaN never gets here).
 */
function orderKey(bits: number): number {
  return bits & 0x80000000 ? (bits === 0x80000000 ? 0x80000000 : ~bits >>> 0) : (bits | 0x80000000) >>> 0;
}

/**
 * Keys of column `c` of an n×k float32 matrix, split one-vs-rest (rows with `yTrue === c` first) and sorted:
 * positives in `keys[0, nPos)`, negatives in `keys[nPos, n)`, each ascending. Returns nPos.
 */
function sortedSplit(yTrue: Int32Array, scores: Float32Array, k: number, c: number, s: RankingScratch): number {
  const n = yTrue.length;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === c) nPos++;
  const keys = s.keys;
  let p = 0;
  let q = nPos;
  for (let i = 0, o = c; i < n; i++, o += k) {
    const b = bits[o]!;
    if ((b & 0x7f800000) === 0x7f800000) {
      throw new MetricsError('invalid-values', `The score array contains a non-finite value (${scores[o]}) at row ${i}.`);
    }
    if (yTrue[i] === c) keys[p++] = orderKey(b);
    else keys[q++] = orderKey(b);
  }
  sortUint32(keys.subarray(0, nPos), s.tmp.subarray(0, nPos));
  sortUint32(keys.subarray(nPos, n), s.tmp.subarray(nPos, n));
  return nPos;
}

/**
 * `_binary_clf_curve` of the sorted split into `s.fps` / `s.tps` (thresholds decreasing, equal scores merged
 * into one threshold: equal keys); returns the number of distinct thresholds.
 */
function clfCurve(keys: Uint32Array, nPos: number, s: RankingScratch): number {
  const n = keys.length;
  const fps = s.fps;
  const tps = s.tps;
  let i = nPos - 1;
  let j = n - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (i >= 0 || j >= nPos) {
    const a = i >= 0 ? keys[i]! : -1;
    const b = j >= nPos ? keys[j]! : -1;
    const t = a > b ? a : b;
    while (i >= 0 && keys[i] === t) {
      tp++;
      i--;
    }
    while (j >= nPos && keys[j] === t) {
      fp++;
      j--;
    }
    fps[m] = fp;
    tps[m] = tp;
    m++;
  }
  return m;
}

/**
 * One class's ranking summary from an n×k row-major float32 score matrix (`yTrue` class indices; rows with
 * `yTrue === c` are the positives). Throws MetricsError for a non-finite score.
 */
export function ovrRanking(
  yTrue: Int32Array,
  scores: Float32Array,
  k: number,
  c: number,
  points: number,
  scratch: RankingScratch = new RankingScratch(yTrue.length),
): RankingSummary {
  const n = yTrue.length;
  if (n === 0) throw new MetricsError('empty', 'No rows to compute a curve from.');
  if (scores.length !== n * k) throw new MetricsError('length-mismatch', `Scores have ${scores.length} values; expected ${n} rows × ${k} classes = ${n * k}.`);
  if (scratch.rows < n) throw new MetricsError('invalid-params', `The ranking scratch holds ${scratch.rows} rows; ${n} are needed.`);
  const s = scratch;
  const nPos = sortedSplit(yTrue, scores, k, c, s);
  const m = clfCurve(s.keys.subarray(0, n), nPos, s);
  const fps = s.fps;
  const tps = s.tps;
  const lastF = fps[m - 1]!;
  const lastT = tps[m - 1]!;

  // roc_curve(drop_intermediate=True): keep the ends and every point where either count bends.
  const keep = s.keep;
  let kept = 0;
  for (let x = 0; x < m; x++) {
    if (m <= 2 || x === 0 || x === m - 1 || fps[x + 1]! - 2 * fps[x]! + fps[x - 1]! !== 0 || tps[x + 1]! - 2 * tps[x]! + tps[x - 1]! !== 0) {
      keep[kept++] = x;
    }
  }
  // The ROC points: index 0 is the origin, index p ≥ 1 is kept point p − 1.
  const fprAt = (p: number): number => (lastF <= 0 ? NaN : p === 0 ? 0 : fps[keep[p - 1]!]! / lastF);
  const tprAt = (p: number): number => (lastT <= 0 ? NaN : p === 0 ? 0 : tps[keep[p - 1]!]! / lastT);
  const rocPoints = kept + 1;
  let rocAuc: number | null = null;
  if (lastT !== 0 && lastF !== 0) {
    // trapezoidArea(fpr, tpr): fpr never decreases, so the area is the plain pairwise sum of the trapezoids.
    const terms = s.terms;
    let x0 = 0;
    let y0 = 0;
    for (let p = 1; p < rocPoints; p++) {
      const x1 = fps[keep[p - 1]!]! / lastF;
      const y1 = tps[keep[p - 1]!]! / lastT;
      terms[p - 1] = ((x1 - x0) * (y1 + y0)) / 2.0;
      x0 = x1;
      y0 = y1;
    }
    rocAuc = pairwiseSum(terms, 0, rocPoints - 1);
  }
  const rocIdx = evenlySpacedIndices(rocPoints, points);
  const roc = { fpr: Float64Array.from(rocIdx, fprAt), tpr: Float64Array.from(rocIdx, tprAt) };

  // precision_recall_curve: point x < m is threshold m − 1 − x (recall decreasing); point m is (recall 0, precision 1).
  const precisionAt = (x: number): number => {
    if (x === m) return 1;
    const src = m - 1 - x;
    const ps = tps[src]! + fps[src]!;
    return ps !== 0 ? tps[src]! / ps : 0;
  };
  const recallAt = (x: number): number => (x === m ? 0 : lastT === 0 ? 1 : tps[m - 1 - x]! / lastT);
  const terms = s.terms;
  let recall = recallAt(0);
  for (let x = 0; x < m; x++) {
    const next = recallAt(x + 1);
    terms[x] = (next - recall) * precisionAt(x);
    recall = next;
  }
  const averagePrecision = 0 - pairwiseSum(terms, 0, m); // `0 -`: never -0, as averagePrecisionFromClfCurve
  const prIdx = evenlySpacedIndices(m + 1, points);
  const pr = { recall: Float64Array.from(prIdx, recallAt), precision: Float64Array.from(prIdx, precisionAt) };

  return { positives: nPos, negatives: n - nPos, rocAuc, averagePrecision, roc, pr };
}
