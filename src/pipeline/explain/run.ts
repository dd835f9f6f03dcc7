/**
 * `explain`: SHAP values of a model's outputs for rows of a data file, against a background, through
 * onnxruntime with thousands of masked rows per call. Methods: exact (all 2^M coalitions), Kernel SHAP,
 * Permutation SHAP, and occlusion (patch Shapley for image inputs). Plain inputs, AbortSignal, progress.
 */
import type { ExplainMethod, ExplainParams, ExplainResult } from '../../protocol/explain';
import { DatasetError, openDataset, planFeatures, type PlanOptions } from '../data';
import { prepareModel } from '../shared/inference';
import type { OperationContext } from '../operation';
import { loadBackground } from './background';
import { singleGroups, type Background, type FeatureGroups } from './coalitions';
import { ExplainError } from './errors';
import { estimateRows } from './estimate';
import { EXACT_MAX_FEATURES, exactTooLarge } from './exact';
import { defaultPatch, imageGeometry, patchGrid, type PatchGrid } from './image';
import { defaultNsamples } from './kernel';
import { allocBuffer, bufferKind, explainedModel, type ExplainedModel, type RowBuffer } from './model-fn';
import { selectOutputs } from './outputs';
import { errorEstimate, errorNotes } from './error-report';
import { describeMethod, efficiencyError, featureValues, imageResult, weightedMean } from './result';
import { readRows, rowLayout } from './rows';

const DEFAULT_MAX_ROWS = 100;
const DEFAULT_BATCH_ROWS = 65_536;
/** Values per onnxruntime call, at most (64 MiB of float32). */
const MAX_VALUES_PER_CALL = 1 << 24;
/** Occlusion's default permutation budget gives at least this many antithetic pairs. */
const OCCLUSION_MIN_PAIRS = 10;
/** The adaptive budget's defaults: estimated relative error to reach, and seconds per explained row at most. */
const DEFAULT_TARGET_ERROR = 0.02;
/** Coalitions per row the adaptive budget may use (about 0.2 s/row for a 30-feature MLP on a 2-core machine). */
const DEFAULT_MAX_COALITIONS = 16_384;
/** Kernel SHAP solves an (M−1)² system per row: refused above this many features. */
const KERNEL_MAX_FEATURES = 1000;

/** Explains rows of `params.data`. */
export async function explain(params: ExplainParams, ctx: OperationContext = {}): Promise<ExplainResult> {
  const t0 = performance.now();
  const created = new Date().toISOString();
  const seed = params.seed ?? 0;
  checkOptions(params);
  ctx.onProgress?.({ message: 'Opening model and data' });
  const prepared = await prepareModel(params.model, params);
  try {
    const source = await openDataset(params.data);
    const planOptions: PlanOptions = { label: params.label, sensitive: params.sensitive, excludeColumns: params.excludeColumns };
    const plan = planFeatures(source, prepared.inputs, planOptions);
    const layout = rowLayout(plan);
    const D = layout.width;
    const pick = params.rows ? { kind: 'indices' as const, rows: params.rows } : { kind: 'first' as const, n: params.maxRows ?? DEFAULT_MAX_ROWS };
    const rows = await readRows(source, plan, layout, pick, ctx);
    if (rows.count === 0) throw new DatasetError(params.data, 'malformed', 'the data holds no rows to explain');
    const notes: string[] = [...source.notes];
    if (!params.rows && rows.count < rows.seen) notes.push(`explained the first ${rows.count} rows (use rows or maxRows for others)`);

    // Method and features: data values, or image patches.
    const geometry = imageGeometry(layout, params.method === 'occlusion');
    const method: ExplainMethod = params.method ?? (geometry ? 'occlusion' : D <= EXACT_MAX_FEATURES ? 'exact' : 'kernel');
    let grid: PatchGrid | null = null;
    let groups: FeatureGroups = singleGroups(D);
    if (method === 'occlusion') {
      if (!geometry) {
        const shapes = layout.slots.map((s) => `"${s.input}" rows [${s.rowShape.join(',')}]`).join(', ');
        throw new ExplainError('unsupported', `occlusion needs one image input ([N,C,H,W] or [N,H,W,C] with 1, 3 or 4 channels, or [N,H,W]); the model has ${shapes}; use --method kernel or permutation`);
      }
      grid = patchGrid(geometry, params.patch ?? defaultPatch(geometry));
      groups = grid.groups;
    }
    const M = groups.count;
    /** Occlusion: exact Shapley values over few patches, else permutation. */
    const estimator = method === 'occlusion' ? (M <= EXACT_MAX_FEATURES ? 'exact' : 'permutation') : method;
    const baseline = method === 'occlusion' ? (params.baseline ?? 'mean') : 'background';
    const targetError = params.targetError ?? DEFAULT_TARGET_ERROR;
    const adaptive =
      (method === 'permutation' && params.maxEvals === undefined) || (method === 'kernel' && params.nsamples === undefined)
        ? { targetError, maxCoalitions: params.maxCoalitions ?? DEFAULT_MAX_COALITIONS, timeCap: params.timeCap ?? Infinity }
        : undefined;

    // Background (occlusion's default: one row, the background's weighted mean image).
    const bg = await loadBackground(params.background, { data: source, dataPlan: plan, layout, inputs: prepared.inputs, planOptions, seed }, ctx);
    notes.push(...bg.notes);
    const kind = bufferKind(layout);
    const toBuffer = (v: Float64Array): RowBuffer => (kind === 'f32' ? Float32Array.from(v) : Float64Array.from(v));
    const background: Background =
      baseline === 'mean'
        ? { rows: toBuffer(weightedMean(bg.values, bg.weights, bg.count, D)), count: 1, weights: Float64Array.of(1) }
        : { rows: toBuffer(bg.values), count: bg.count, weights: bg.weights };
    if (method === 'exact' && M > EXACT_MAX_FEATURES) throw exactTooLarge(M, background.count);
    if (method === 'kernel' && M > KERNEL_MAX_FEATURES) {
      throw new ExplainError(
        'too-many-features',
        `Kernel SHAP with ${M} features would solve a ${M - 1}² system per row (limit ${KERNEL_MAX_FEATURES} features); use --method permutation${geometry ? ' or occlusion' : ''}`,
      );
    }

    // f(x) and the base value, on real rows (this first call also settles how scores are read).
    const model = explainedModel(prepared, layout, { task: params.task, classNames: source.classNames ?? null });
    const maxRows = params.batchSize ?? DEFAULT_BATCH_ROWS;
    const xs = toBuffer(rows.values);
    const both = allocBuffer(kind, (rows.count + background.count) * D);
    both.set(xs);
    both.set(background.rows, rows.count * D);
    const fAll = await evaluateRows(model, both, rows.count + background.count, D, maxRows);
    const K = model.width;
    const fx = fAll.subarray(0, rows.count * K);
    const base = new Float64Array(K);
    for (let b = 0; b < background.count; b++) for (let k = 0; k < K; k++) base[k]! += background.weights[b]! * fAll[(rows.count + b) * K + k]!;
    const outputs = selectOutputs(params.output, model.names, model.task).indices;

    // φ for every row, coalitions of many rows per onnxruntime call.
    let done = 0;
    let lastReport = 0;
    const est = await estimateRows(
      {
        model,
        groups,
        background,
        xs,
        count: rows.count,
        rowIndex: rows.index,
        fx,
        base,
        estimator,
        nsamples: params.nsamples,
        topK: params.topK,
        maxEvals: params.maxEvals,
        minPairs: method === 'occlusion' ? OCCLUSION_MIN_PAIRS : 0,
        seed,
        ...(adaptive ? { adaptive } : {}),
        maxRows,
        maxValues: MAX_VALUES_PER_CALL,
      },
      ctx,
      () => {
        done++;
        const now = performance.now();
        if (now - lastReport >= 250 || done === rows.count) {
          lastReport = now;
          ctx.onProgress?.({ message: `Explained ${done} of ${rows.count} rows · ${((now - t0) / 1000).toFixed(1)} s`, fraction: done / rows.count });
        }
      },
    );

    // Notes and the result.
    const error = estimator === 'exact' ? undefined : errorEstimate(est, M, K, outputs, targetError);
    if (error) notes.push(...errorNotes(error, targetError, adaptive, est.capped ?? 0, method === 'occlusion'));
    const varyingMax = Math.max(...est.varying);
    if (est.evalsRaised) notes.push(`max_evals raised to ${est.evalsRaised} = 2·M + 1, the least one antithetic permutation pair needs`);
    if (estimator === 'kernel' && est.coalitions.every((c, r) => est.varying[r]! <= 1 || c === 2 ** est.varying[r]! - 2)) {
      notes.push('Kernel SHAP used every coalition (nsamples ≥ 2^M − 2), so its values are the exact Shapley values');
    }
    if (est.regularized) notes.push('Kernel SHAP: fewer distinct coalitions than features for some rows; a tiny ridge made the fit solvable (use a larger nsamples)');
    notes.push(describeMethod(method, estimator, M, background.count, baseline));
    notes.push(`explained: ${model.describe}`);
    if (varyingMax < M) notes.push(`features equal to every background row's value get φ = 0 exactly and are left out of the estimation (at most ${varyingMax} of ${M} varied)`);

    const all = Array.from({ length: rows.count }, (_, r) => r);
    return {
      model: params.model,
      data: params.data,
      method,
      task: model.task,
      feature_names: grid ? [...grid.names] : [...layout.names],
      output_names: outputs.map((k) => model.names[k]!),
      output_indices: outputs,
      base_value: outputs.map((k) => base[k]!),
      f_x: all.map((r) => outputs.map((k) => fx[r * K + k]!)),
      shap_values: all.map((r) => Array.from({ length: M }, (_, j) => outputs.map((k) => est.phi[r]![j * K + k]!))),
      efficiency_max_error: efficiencyError(est.phi, fx, base, M, K, outputs),
      feature_values: all.map((r) => featureValues(rows.values.subarray(r * D, (r + 1) * D), groups, kind === 'f32')),
      rows: rows.index,
      ...(rows.labels ? { labels: rows.labels } : {}),
      background: { rows: background.count, source: bg.source, how: baseline === 'mean' ? 'mean' : bg.how },
      coalitions_per_row: est.coalitions,
      varying_features: est.varying,
      settings: {
        seed,
        ...(estimator === 'kernel' ? { nsamples: params.nsamples ?? est.nsamples ?? defaultNsamples(varyingMax), ...(params.topK !== undefined ? { top_k: params.topK } : {}) } : {}),
        ...(estimator === 'permutation' ? { max_evals: est.maxEvals, permutation_pairs: est.pairs } : {}),
        ...(adaptive ? { target_error: adaptive.targetError, max_coalitions: adaptive.maxCoalitions, ...(Number.isFinite(adaptive.timeCap) ? { time_cap: adaptive.timeCap } : {}) } : {}),
      },
      ...(error ? { error } : {}),
      model_calls: model.calls,
      model_rows: model.rows,
      seconds: (performance.now() - t0) / 1000,
      ...(grid && geometry
        ? {
            image: imageResult({
              geometry,
              grid,
              shapley: estimator === 'exact' ? 'exact' : 'permutation',
              baseline,
              values: rows.values,
              count: rows.count,
              D,
              phi: est.phi,
              fx,
              K,
              outputs,
              f32: kind === 'f32',
            }),
          }
        : {}),
      notes,
      created,
    };
  } finally {
    await prepared.dispose();
  }
}

function checkOptions(p: ExplainParams): void {
  const int = (v: number | undefined, what: string, min: number): void => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) throw new ExplainError('invalid-option', `${what} must be an integer ≥ ${min}, got ${v}`);
  };
  int(p.maxRows, 'maxRows', 1);
  int(p.nsamples, 'nsamples', 1);
  int(p.maxEvals, 'maxEvals', 1);
  int(p.topK, 'topK', 1);
  int(p.patch, 'patch', 1);
  int(p.batchSize, 'batchSize', 1);
  int(p.seed, 'seed', 0);
  if (p.targetError !== undefined && !(p.targetError > 0 && p.targetError < 1)) throw new ExplainError('invalid-option', `targetError must be a fraction in (0, 1), e.g. 0.02; got ${p.targetError}`);
  if (p.maxCoalitions !== undefined && !(Number.isInteger(p.maxCoalitions) && p.maxCoalitions >= 1)) throw new ExplainError('invalid-option', `maxCoalitions must be a positive whole number, got ${p.maxCoalitions}`);
  if (p.timeCap !== undefined && !(p.timeCap > 0 && Number.isFinite(p.timeCap))) throw new ExplainError('invalid-option', `timeCap must be a positive number of seconds per row, got ${p.timeCap}`);
  if (p.rows && p.rows.length === 0) throw new ExplainError('invalid-option', 'rows is empty; give at least one row index');
  if (p.method && !['exact', 'kernel', 'permutation', 'occlusion'].includes(p.method)) {
    throw new ExplainError('invalid-option', `unknown method '${p.method}' (exact, kernel, permutation, occlusion)`);
  }
}

/** f for many real rows, in calls of at most `maxRows` rows / MAX_VALUES_PER_CALL values. */
async function evaluateRows(model: ExplainedModel, rows: RowBuffer, n: number, D: number, maxRows: number): Promise<Float64Array> {
  const per = Math.max(1, Math.min(maxRows, Math.floor(MAX_VALUES_PER_CALL / Math.max(D, 1))));
  const parts: Float64Array[] = [];
  for (let s = 0; s < n; s += per) parts.push(await model.evaluate(rows.subarray(s * D, Math.min(n, s + per) * D), Math.min(per, n - s)));
  if (parts.length === 1) return parts[0]!;
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
