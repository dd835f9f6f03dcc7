/**
 * The default budget of the sampling estimators: adaptive. Each explained row starts at the fixed default
 * (Permutation: 500 evaluations' worth of antithetic pairs; Kernel: 2·M + 2048 coalitions), then rounds add
 * work to the rows whose estimated relative error (≈ E Σ_j |φ̂_j − φ_j| ÷ Σ_j |φ̂_j| from the standard errors, see
 * row-error.ts) is above the target — Permutation: more antithetic pairs, pooled with the earlier ones; Kernel: a fresh fit with
 * a larger nsamples (its enumerated sizes make draws of different budgets not poolable) — until every row meets the
 * target or has used `maxCoalitions` coalitions (a round that would not fit is shrunk, then skipped; a count, so the
 * result depends only on the seed), or the run has used `timeCap` seconds per explained row when that is finite. The coalitions of all pending rows are evaluated together, as in the fixed path.
 */
import { createRng32, type Rng32 } from '../shared/rng';
import { throwIfAborted, type OperationContext } from '../operation';
import { evaluateCoalitions, type CoalitionTask } from './coalitions';
import type { EstimateInput, EstimateOutput } from './estimate';
import type { Estimator } from './estimator';
import { defaultNsamples, kernelEstimator } from './kernel';
import { addMoments, DEFAULT_MAX_EVALS, pairStdError, permutationEstimator, permutationPairs, type PairMoments } from './permutation';
import { rowError } from './row-error';
import { expandMasks, rowSeed, toFullSpace, varyingFeatures } from './row-space';

/** A round grows a row's work by at most this factor (the error estimate is itself noisy). */
const MAX_GROWTH = 4;
/**
 * Rounds plan for this fraction of the target, so a row lands below it rather than just at it (a row stopped at the
 * first estimate under the target would average about the target, the estimate being noisy).
 */
const AIM = 0.85;

interface RowState {
  readonly r: number;
  readonly map: Int32Array;
  readonly rng: Rng32;
  /** Permutation: the pooled pair moments so far. */
  moments: PairMoments | null;
  /** This round's work: pairs to add (Permutation) or the nsamples of the next fit (Kernel). */
  next: number;
  /** Kernel: nsamples of the current fit. */
  nsamples: number;
  relative: number;
}

export async function estimateAdaptive(
  input: EstimateInput,
  options: { readonly targetError: number; readonly maxCoalitions: number; readonly timeCap: number },
  ctx: OperationContext,
  onRow: () => void,
): Promise<EstimateOutput> {
  const t0 = performance.now();
  const { model, groups, background, xs, count, fx, base } = input;
  const kernel = input.estimator === 'kernel';
  const D = xs.length / Math.max(count, 1);
  const M = groups.count;
  const K = model.width;
  const all = Array.from({ length: K }, (_, k) => k);
  const budgetMs = options.timeCap * count * 1000;
  const phi: Float64Array[] = new Array(count);
  const stdError: (Float64Array | null)[] = new Array(count).fill(null);
  const coalitions: number[] = new Array(count).fill(0);
  const varying: number[] = new Array(count);
  let pending: RowState[] = [];
  let pairs = 0;
  let maxEvals = 0;
  let nsamples = 0;
  let capped = 0;
  let regularized = false;

  for (let r = 0; r < count; r++) {
    const x = xs.subarray(r * D, (r + 1) * D);
    const map = varyingFeatures(groups, x, background);
    const m = map.length;
    varying[r] = m;
    if (m <= 1) {
      const full = new Float64Array(M * K);
      if (m === 1) for (let k = 0; k < K; k++) full[map[0]! * K + k] = fx[r * K + k]! - base[k]!;
      phi[r] = full;
      stdError[r] = new Float64Array(M * K);
      onRow();
      continue;
    }
    const first = kernel ? kernelCap(m, defaultNsamples(m)) : Math.max(2, permutationPairs(m, DEFAULT_MAX_EVALS));
    pending.push({ r, map, rng: createRng32(rowSeed(input.seed, input.rowIndex[r]!)), moments: null, next: first, nsamples: 0, relative: Infinity });
  }

  while (pending.length) {
    throwIfAborted(ctx.signal);
    const roundStart = performance.now();
    const built: { st: RowState; est: Estimator; task: CoalitionTask }[] = pending.map((st) => {
      const m = st.map.length;
      const est = kernel ? kernelEstimator(m, st.next, st.rng, input.topK) : permutationEstimator(m, st.next, st.rng);
      const x = xs.subarray(st.r * D, (st.r + 1) * D);
      return { st, est, task: { x, masks: expandMasks(est.masks, est.count, m, st.map, M), count: est.count } };
    });
    await evaluateCoalitions(model, groups, background, built.map((b) => b.task), { maxRows: input.maxRows, maxValues: input.maxValues }, ctx);
    let work = 0;
    const still: RowState[] = [];
    for (const { st, est, task } of built) {
      const { r, map } = st;
      const m = map.length;
      const fr = fx.subarray(r * K, (r + 1) * K);
      work += est.count;
      coalitions[r]! += est.count;
      let reduced: Float64Array;
      let se: Float64Array;
      if (kernel) {
        reduced = est.solve(task.values!, fr, base, K);
        se = est.stdError!(task.values!, fr, base, K);
        st.nsamples = st.next;
        nsamples = Math.max(nsamples, st.nsamples);
        if ('regularized' in est && est.regularized) regularized = true;
      } else {
        const round = (est as ReturnType<typeof permutationEstimator>).moments(task.values!, fr, base, K);
        st.moments = st.moments ? addMoments(st.moments, round) : round;
        reduced = st.moments.sum.map((s) => s / st.moments!.pairs);
        se = pairStdError(st.moments);
        pairs = Math.max(pairs, st.moments.pairs);
        maxEvals = Math.max(maxEvals, st.moments.pairs * (2 * m - 2) + 2);
      }
      phi[r] = toFullSpace(reduced, map, M, K);
      stdError[r] = toFullSpace(se, map, M, K);
      st.relative = rowError(reduced, se, m, K, all).relative;
      const exhausted = kernel && st.nsamples >= kernelCap(m, Infinity);
      if (st.relative <= options.targetError || exhausted) onRow();
      else still.push(st);
    }

    // Plan the next round; shrink it to the time left, or stop.
    const now = performance.now();
    const msPerCoalition = (now - roundStart) / Math.max(work, 1);
    let planned = 0;
    for (const st of still) {
      const m = st.map.length;
      const ratio = Number.isFinite(st.relative) ? (st.relative / (AIM * options.targetError)) ** 2 : MAX_GROWTH;
      if (kernel) {
        st.next = kernelCap(m, Math.ceil(st.nsamples * Math.min(MAX_GROWTH, Math.max(1.5, ratio))));
        planned += st.next;
      } else {
        const have = st.moments!.pairs;
        st.next = Math.min(MAX_GROWTH * have, Math.max(2, Math.ceil(have / 4), Math.ceil(have * ratio) - have));
        planned += st.next * (2 * m - 2);
      }
    }
    const left = budgetMs - (now - t0);
    const scale = planned * msPerCoalition > left ? left / (planned * msPerCoalition) : 1;
    pending = [];
    for (const st of still) {
      // What the row may still spend: Kernel refits with `next` coalitions, Permutation adds `next` pairs of 2·m − 2.
      const room = options.maxCoalitions - coalitions[st.r]!;
      if (kernel) {
        const shrunk = kernelCap(st.map.length, Math.min(room, Math.floor(st.next * scale)));
        if (shrunk > st.nsamples * 1.2) {
          st.next = shrunk;
          pending.push(st);
          continue;
        }
      } else {
        const shrunk = Math.min(Math.floor(room / (2 * st.map.length - 2)), Math.floor(st.next * scale));
        if (shrunk >= 1) {
          st.next = shrunk;
          pending.push(st);
          continue;
        }
      }
      capped++;
      onRow();
    }
  }
  return { phi, coalitions, varying, pairs, maxEvals, evalsRaised: 0, regularized, stdError, capped, ...(kernel ? { nsamples } : {}) };
}

/** Kernel SHAP's budget for m features, at most all 2^m − 2 coalitions (then φ is exact). */
function kernelCap(m: number, nsamples: number): number {
  return m <= 30 ? Math.min(nsamples, 2 ** m - 2) : Math.min(nsamples, Number.MAX_SAFE_INTEGER);
}
