/**
 * The per-row loop of an explanation: for each explained row, the features that vary against the background,
 * an estimator (exact / Kernel / Permutation) in their space, and its coalitions queued; the queued coalitions of
 * several rows are evaluated together (≥ one full onnxruntime call's worth), then each row's φ is solved.
 */
import { createRng32 } from '../shared/rng';
import { throwIfAborted, type OperationContext } from '../operation';
import { evaluateCoalitions, type Background, type CoalitionTask, type FeatureGroups } from './coalitions';
import type { Estimator } from './estimator';
import { exactEstimator } from './exact';
import { defaultNsamples, kernelEstimator } from './kernel';
import type { ExplainedModel, RowBuffer } from './model-fn';
import { expandMasks, rowSeed, toFullSpace, varyingFeatures } from './row-space';
import { estimateAdaptive } from './adaptive';
import { DEFAULT_MAX_EVALS, minMaxEvals, permutationEstimator, permutationPairs } from './permutation';

/** Rows queued before their coalitions are evaluated, at most. */
const MAX_QUEUED_ROWS = 256;

export interface EstimateInput {
  readonly model: ExplainedModel;
  readonly groups: FeatureGroups;
  readonly background: Background;
  /** The explained rows (count × D, buffer type) and their data-row indices (they seed each row's RNG). */
  readonly xs: RowBuffer;
  readonly count: number;
  readonly rowIndex: readonly number[];
  /** f(x) (count × K) and the base value (K). */
  readonly fx: Float64Array;
  readonly base: Float64Array;
  readonly estimator: 'exact' | 'kernel' | 'permutation';
  readonly nsamples?: number;
  readonly topK?: number;
  readonly maxEvals?: number;
  /** Occlusion's default budget: at least this many antithetic pairs. */
  readonly minPairs?: number;
  readonly seed: number;
  /**
   * Adaptive budget (Permutation / Kernel without an explicit budget): rounds of more pairs / coalitions until each
   * row's estimated relative error ≤ `targetError`, or the row has used `maxCoalitions` coalitions (or the run
   * `timeCap` seconds per explained row, when finite).
   */
  readonly adaptive?: { readonly targetError: number; readonly maxCoalitions: number; readonly timeCap: number };
  readonly maxRows: number;
  readonly maxValues: number;
}

export interface EstimateOutput {
  /** Per row: φ, M × K. */
  readonly phi: Float64Array[];
  readonly coalitions: number[];
  readonly varying: number[];
  /** Permutation: the most antithetic pairs / evaluations any row used, and the raised budget (0 if none). */
  readonly pairs: number;
  readonly maxEvals: number;
  readonly evalsRaised: number;
  /** Kernel: a ridge was needed for some row. */
  readonly regularized: boolean;
  /** Per row: the standard error of each φ (M × K), or null (exact, or nothing to estimate). */
  readonly stdError: (Float64Array | null)[];
  /** Adaptive runs: rows that stopped at the coalition or time cap above the target, and the largest Kernel nsamples used. */
  readonly capped?: number;
  readonly nsamples?: number;
}

interface Queued {
  readonly r: number;
  readonly task: CoalitionTask;
  readonly est: Estimator;
  readonly map: Int32Array;
}

/** Estimates φ for every row; `onRow` is called as rows complete. */
export async function estimateRows(input: EstimateInput, ctx: OperationContext, onRow: () => void): Promise<EstimateOutput> {
  if (input.adaptive && input.estimator !== 'exact') return estimateAdaptive(input, input.adaptive, ctx, onRow);
  const { model, groups, background, xs, count, fx, base } = input;
  const D = xs.length / Math.max(count, 1);
  const M = groups.count;
  const K = model.width;
  const phi: Float64Array[] = new Array(count);
  const coalitions: number[] = new Array(count);
  const varying: number[] = new Array(count);
  const stdError: (Float64Array | null)[] = new Array(count).fill(null);
  let pairs = 0;
  let maxEvals = 0;
  let evalsRaised = 0;
  let regularized = false;
  let queue: Queued[] = [];
  let queuedRows = 0;

  const flush = async (): Promise<void> => {
    const batch = queue;
    queue = [];
    queuedRows = 0;
    await evaluateCoalitions(model, groups, background, batch.map((q) => q.task), { maxRows: input.maxRows, maxValues: input.maxValues }, ctx, onRow);
    for (const { r, task, est, map } of batch) {
      const reduced = est.solve(task.values!, fx.subarray(r * K, (r + 1) * K), base, K);
      phi[r] = toFullSpace(reduced, map, M, K);
      if (est.stdError) stdError[r] = toFullSpace(est.stdError(task.values!, fx.subarray(r * K, (r + 1) * K), base, K), map, M, K);
      if ('regularized' in est && est.regularized) regularized = true;
    }
  };

  for (let r = 0; r < count; r++) {
    throwIfAborted(ctx.signal);
    const x = xs.subarray(r * D, (r + 1) * D);
    const map = varyingFeatures(groups, x, background);
    const m = map.length;
    varying[r] = m;
    if (m <= 1) {
      // Nothing to estimate: with one varying feature it takes all of f(x) − base.
      const full = new Float64Array(M * K);
      if (m === 1) for (let k = 0; k < K; k++) full[map[0]! * K + k] = fx[r * K + k]! - base[k]!;
      phi[r] = full;
      coalitions[r] = 0;
      onRow();
      continue;
    }
    const rng = createRng32(rowSeed(input.seed, input.rowIndex[r]!));
    let est: Estimator;
    if (input.estimator === 'exact') est = exactEstimator(m);
    else if (input.estimator === 'kernel') est = kernelEstimator(m, input.nsamples ?? defaultNsamples(m), rng, input.topK);
    else {
      const asked = input.maxEvals ?? Math.max(DEFAULT_MAX_EVALS, (input.minPairs ?? 0) * (2 * m - 2) + 2);
      const evals = Math.max(asked, minMaxEvals(m));
      if (evals > asked) evalsRaised = Math.max(evalsRaised, evals);
      const p = permutationPairs(m, evals);
      pairs = Math.max(pairs, p);
      maxEvals = Math.max(maxEvals, evals);
      est = permutationEstimator(m, p, rng);
    }
    coalitions[r] = est.count;
    queue.push({ r, task: { x, masks: expandMasks(est.masks, est.count, m, map, M), count: est.count }, est, map });
    queuedRows += est.count * background.count;
    if (queuedRows >= input.maxRows || queue.length >= MAX_QUEUED_ROWS) await flush();
  }
  if (queue.length) await flush();
  return { phi, coalitions, varying, pairs, maxEvals, evalsRaised, regularized, stdError };
}
