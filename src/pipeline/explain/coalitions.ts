/**
 * The value function of a coalition, batched: v(S) = Σ_b w_b · f(x_S, b_rest) for many coalitions S of many
 * explained rows at once. The masked rows of as many coalitions × background rows as fit (≤ `maxRows` rows and
 * ≤ `maxValues` values) are written into one typed array and sent to onnxruntime in a single call — thousands
 * of coalitions per call instead of one — then averaged back per coalition (after softmax: the mean of
 * probabilities, never the softmax of mean logits).
 */
import { throwIfAborted, type OperationContext } from '../operation';
import { allocBuffer, type ExplainedModel, type RowBuffer } from './model-fn';

/** Features as groups of composite values (CSR): feature j owns `elems[start[j] .. start[j+1])`. */
export interface FeatureGroups {
  readonly count: number;
  readonly start: Int32Array;
  readonly elems: Int32Array;
}

/** One value per feature: the identity grouping of D composite values. */
export function singleGroups(D: number): FeatureGroups {
  const start = new Int32Array(D + 1);
  for (let j = 0; j <= D; j++) start[j] = j;
  return { count: D, start, elems: Int32Array.from({ length: D }, (_, i) => i) };
}

/** The background rows (n × D, in the buffer type) and their weights (sum 1). */
export interface Background {
  readonly rows: RowBuffer;
  readonly count: number;
  readonly weights: Float64Array;
}

/** The coalitions of one explained row. Masks are over all features (1 = the feature comes from x). */
export interface CoalitionTask {
  /** The explained row (D values, buffer type). */
  readonly x: RowBuffer;
  /** count × M bytes. */
  readonly masks: Uint8Array;
  readonly count: number;
  /** Filled by `evaluateCoalitions`: count × K values of v. */
  values?: Float64Array;
}

export interface EvaluatorOptions {
  readonly maxRows: number;
  readonly maxValues: number;
}

/**
 * Fills `task.values` for every task. `onTask(i)` is called when task i is complete (its last coalition was
 * averaged). Aborts between onnxruntime calls when `ctx.signal` fires.
 */
export async function evaluateCoalitions(
  model: ExplainedModel,
  groups: FeatureGroups,
  background: Background,
  tasks: readonly CoalitionTask[],
  options: EvaluatorOptions,
  ctx: OperationContext,
  onTask?: (i: number) => void,
): Promise<void> {
  const nb = background.count;
  const D = background.rows.length / Math.max(nb, 1);
  const M = groups.count;
  const perCall = Math.max(1, Math.floor(Math.min(options.maxRows, Math.floor(options.maxValues / Math.max(D, 1))) / nb));
  const total = tasks.reduce((a, t) => a + t.count, 0);
  const slots = Math.min(perCall, Math.max(total, 1));
  const f32 = background.rows instanceof Float32Array;
  const buffer = allocBuffer(f32 ? 'f32' : 'f64', slots * nb * D);
  // Which task and coalition each slot of the buffer holds.
  const ownerTask = new Int32Array(slots);
  const ownerCoalition = new Int32Array(slots);
  let used = 0;
  const elems = new Int32Array(groups.elems.length);
  const { start, elems: groupElems } = groups;
  const bgRows = background.rows;
  const weights = background.weights;
  let xTiled: RowBuffer | null = null;
  let tiledFor = -1;

  const flush = async (): Promise<void> => {
    if (used === 0) return;
    throwIfAborted(ctx.signal);
    const out = await model.evaluate(buffer, used * nb);
    const K = model.width;
    for (let c = 0; c < used; c++) {
      const t = tasks[ownerTask[c]!]!;
      const coalition = ownerCoalition[c]!;
      const values = (t.values ??= new Float64Array(t.count * K));
      const base = coalition * K;
      for (let b = 0, row = c * nb * K; b < nb; b++, row += K) {
        const w = weights[b]!;
        for (let k = 0; k < K; k++) values[base + k]! += w * out[row + k]!;
      }
      if (coalition === t.count - 1) onTask?.(ownerTask[c]!);
    }
    used = 0;
  };

  for (let ti = 0; ti < tasks.length; ti++) {
    const t = tasks[ti]!;
    if (t.count === 0) {
      t.values = new Float64Array(0);
      onTask?.(ti);
      continue;
    }
    const masks = t.masks;
    const x = t.x;
    for (let c = 0; c < t.count; c++) {
      // Elements to write: those of the features in S (x onto the background) or, when S is the larger side,
      // those of the features not in S (the background onto copies of x) — whichever is fewer.
      const m0 = c * M;
      let inS = 0;
      for (let j = 0; j < M; j++) inS += masks[m0 + j]!;
      const fromX = inS * 2 <= M;
      const want = fromX ? 1 : 0;
      let ne = 0;
      for (let j = 0; j < M; j++) {
        if (masks[m0 + j] !== want) continue;
        for (let e = start[j]!; e < start[j + 1]!; e++) elems[ne++] = groupElems[e]!;
      }
      const at = used * nb * D;
      if (fromX) {
        buffer.set(bgRows, at);
        for (let b = 0, o = at; b < nb; b++, o += D) for (let i = 0; i < ne; i++) buffer[o + elems[i]!] = x[elems[i]!]!;
      } else {
        if (tiledFor !== ti) {
          xTiled ??= allocBuffer(f32 ? 'f32' : 'f64', nb * D);
          for (let b = 0; b < nb; b++) xTiled.set(x, b * D);
          tiledFor = ti;
        }
        buffer.set(xTiled!, at);
        for (let b = 0, o = at; b < nb; b++, o += D) for (let i = 0; i < ne; i++) buffer[o + elems[i]!] = bgRows[o - at + elems[i]!]!;
      }
      ownerTask[used] = ti;
      ownerCoalition[used] = c;
      used++;
      if (used >= slots) await flush();
    }
  }
  await flush();
}

/**
 * A set of distinct coalitions (0/1 masks of M features) in insertion order, for estimators that may draw
 * the same coalition twice: each is evaluated once.
 */
export class MaskSet {
  private data: Uint8Array;
  private readonly index = new Map<string, number>();
  count = 0;
  constructor(readonly M: number, capacity = 64) {
    this.data = new Uint8Array(Math.max(capacity, 1) * M);
  }
  /** Adds the mask (copied); returns its index and whether it was new. */
  add(mask: Uint8Array): { index: number; added: boolean } {
    const key = maskKey(mask);
    const hit = this.index.get(key);
    if (hit !== undefined) return { index: hit, added: false };
    if ((this.count + 1) * this.M > this.data.length) {
      const next = new Uint8Array(Math.max(this.data.length * 2, (this.count + 1) * this.M));
      next.set(this.data);
      this.data = next;
    }
    this.data.set(mask, this.count * this.M);
    this.index.set(key, this.count);
    return { index: this.count++, added: true };
  }
  /** The masks, count × M. */
  masks(): Uint8Array {
    return this.data.subarray(0, this.count * this.M);
  }
}

/** A compact string key of a 0/1 mask (16 features per character). */
function maskKey(mask: Uint8Array): string {
  let s = '';
  for (let j = 0; j < mask.length; j += 16) {
    let v = 0;
    for (let k = j; k < Math.min(j + 16, mask.length); k++) v = (v << 1) | mask[k]!;
    s += String.fromCharCode(v);
  }
  return s;
}
