/**
 * `evaluate`: a model on a data file → metrics as scikit-learn defines them, fairness as fairlearn defines it,
 * robustness, latency; `compare`: several models on the same rows. Plain inputs, AbortSignal, progress.
 */
import { rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type {
  CompareParams,
  CompareResult,
  CurveData,
  EvaluateParams,
  EvaluateResult,
  EvaluationCurves,
  EvaluationTask,
  LatencyReport,
} from '../../protocol/evaluate';
import { DatasetError, openDataset, planFeatures, type DatasetSource, type FeaturePlan, type PlanOptions } from '../data';
import { startPrefetch, type StartedPrefetch } from '../data/prefetch';
import type { OperationContext } from '../operation';
import { classSpace, labelsToIndices, positiveIndex, type ClassSpace } from '../shared/class-space';
import { binarize, fairnessReport } from './fairness';
import type { FairnessReport } from './fairness/types';
import { percentile } from './growable';
import type { ModelRunner } from '../shared/inference';
import { modelRunnerInputs, openModelRunner } from '../serve/model-runner';
import {
  calibrationCurve,
  classificationMetrics,
  regressionMetrics,
  residualSample,
  type ClassificationMetrics,
  type RegressionMetrics,
} from './metrics';
import { checkProba } from './metrics/probabilistic';
import { ovrRanking, RankingScratch, type RankingSummary } from './metrics/ranking';
import type { OutputPlan } from '../shared/outputs';
import { argmaxRows, describeOutputs, labelsAsScores, LABELS_ONLY_WARNING, modelOutputPlan } from '../shared/predictions';
import { robustnessReport } from './robustness';
import { prefetchJob, streamPredictions, type ModelPredictions, type StreamResult } from './stream';

const DEFAULT_BATCH = 1024;
const CURVE_POINTS = 400;

interface Scored {
  readonly task: EvaluationTask;
  readonly metrics: ClassificationMetrics | RegressionMetrics | null;
  readonly truth: Int32Array | Float64Array | null;
  /** Predicted class per row (classification) or value (regression). */
  readonly predicted: Int32Array | Float64Array;
  readonly proba: Float32Array | null;
  readonly space: ClassSpace | null;
  readonly positive: number;
  /** One-vs-rest ranking summaries by class (classification with labels): the positive class only when binary. */
  readonly ranking: readonly (RankingSummary | undefined)[];
  readonly warnings: string[];
}

/** Evaluates one model on one data file. */
export async function evaluate(params: EvaluateParams, ctx: OperationContext = {}): Promise<EvaluateResult> {
  const created = new Date().toISOString();
  ctx.onProgress?.({ message: 'Opening model and data' });
  const batchSize = params.batchSize ?? DEFAULT_BATCH;
  // The data reader thread (large files) starts first: it boots and reads ahead while the session is created.
  const inputs = await modelRunnerInputs(params.model);
  const prefetch = startPrefetch(prefetchJob(params.data, {}, [{ model: { inputs }, planOptions: planOptions(params) }], batchSize));
  try {
    return await evaluatePrepared(params, created, prefetch, ctx);
  } finally {
    await prefetch?.cancel();
  }
}

async function evaluatePrepared(params: EvaluateParams, created: string, prefetch: StartedPrefetch | undefined, ctx: OperationContext): Promise<EvaluateResult> {
  const model = await openModelRunner(params.model, { ...params, spinning: false });
  try {
    const source = await openDataset(params.data);
    const plan = planData(source, model, params);
    const outputs = planModelOutputs(model, params, source);
    const stream = await streamPredictions(
      source,
      plan,
      [{ model, outputs, planOptions: planOptions(params) }],
      { batchSize: params.batchSize ?? DEFAULT_BATCH, maxRows: params.maxRows, keepRows: params.robustness ? robustnessRows(params) : 0, prefetch },
      ctx,
    );
    if (stream.rows === 0) throw new DatasetError(params.data, 'malformed', 'the data holds no rows');
    ctx.onProgress?.({ message: 'Computing metrics' });
    const scored = score(stream, stream.predictions[0]!, outputs, params, source);
    const warnings = [...source.notes, ...scored.warnings];
    if (stream.nanFeatureCells > 0) {
      warnings.push(`${stream.nanFeatureCells} feature cells are empty or NaN and were fed as NaN (first at ${stream.nanRowLocations.join('; ')})`);
    }
    const fairness = scored.task === 'classification' && scored.truth ? fairnessOf(stream, scored, params) : undefined;
    let robustness: EvaluateResult['robustness'];
    if (params.robustness && scored.truth) {
      ctx.onProgress?.({ message: 'Robustness runs' });
      const p = stream.predictions[0]!;
      const rows = Math.min(robustnessRows(params), stream.keptRows, scored.truth.length);
      robustness =
        (await robustnessReport(
          {
            model,
            outputs,
            transform: p.transform ?? 'none',
            batches: stream.keptInputs,
            truth: scored.truth.subarray(0, rows) as Int32Array | Float64Array,
            labelIndex: scored.space ? (raw) => scored.space!.index.get(String(raw)) ?? -1 : undefined,
            featureNames: featureNames(plan),
            options: typeof params.robustness === 'object' ? params.robustness : {},
            seed: params.seed ?? 0,
          },
          ctx,
        )) ?? undefined;
    }
    const latency = latencyOf(stream, stream.predictions[0]!, params);
    const result: EvaluateResult = {
      model: params.model,
      data: params.data,
      task: scored.task,
      samples: stream.rows,
      metrics: scored.metrics,
      ...(fairness ? { fairness } : {}),
      ...(robustness ? { robustness } : {}),
      latency,
      ...(scored.space ? { class_names: scored.space.names } : {}),
      curves: curvesOf(scored),
      plan: [...plan.describe(), ...describeOutputs(outputs, model, stream.predictions[0]!.transform)],
      nan_feature_cells: stream.nanFeatureCells,
      warnings: [...warnings, ...(scored.metrics?.warnings ?? [])],
      created,
    };
    if (params.outputsFile) {
      await writePredictions(params.outputsFile, stream, scored);
      return { ...result, outputs_file: path.resolve(params.outputsFile) };
    }
    return result;
  } finally {
    await model.dispose();
  }
}

/** Every row's scores, as evaluation reads them — for monitoring (drift of predictions, CBPE), not a report. */
export interface RowScores {
  readonly task: 'classification' | 'regression';
  readonly rows: number;
  /** Classification: the classes in score-column order. */
  readonly classNames: readonly string[] | null;
  /** Classification: n×K probabilities (after the model's logits → softmax or score → sigmoid, as evaluation applies). */
  readonly proba: Float32Array | null;
  /** The predicted class index (classification) or value (regression) per row. */
  readonly predicted: Int32Array | Float64Array;
  /** Class indices (classification) or values (regression) of the label column, when the data has one. */
  readonly truth: Int32Array | Float64Array | null;
}

/** Runs the model over the data like `evaluate` and returns the rows' scores instead of a report. */
export async function scoreRows(params: EvaluateParams, ctx: OperationContext = {}): Promise<RowScores> {
  const model = await openModelRunner(params.model, { ...params, spinning: false });
  try {
    const source = await openDataset(params.data);
    const plan = planData(source, model, params);
    const outputs = planModelOutputs(model, params, source);
    const stream = await streamPredictions(source, plan, [{ model, outputs, planOptions: planOptions(params) }], { batchSize: params.batchSize ?? DEFAULT_BATCH, maxRows: params.maxRows }, ctx);
    if (stream.rows === 0) throw new DatasetError(params.data, 'malformed', 'the data holds no rows');
    const scored = score(stream, stream.predictions[0]!, outputs, { ...params, bootstrap: 0 }, source);
    return { task: scored.task, rows: stream.rows, classNames: scored.space?.names ?? null, proba: scored.proba, predicted: scored.predicted, truth: scored.truth };
  } finally {
    await model.dispose();
  }
}

/** Evaluates several models on the same rows (lockstep), with deltas, agreement and max |output difference|. */
export async function compare(params: CompareParams, ctx: OperationContext = {}): Promise<CompareResult> {
  if (params.models.length < 2) throw new DatasetError(params.data, 'invalid-option', 'compare needs at least two models');
  const created = new Date().toISOString();
  const models: ModelRunner[] = [];
  try {
    for (const m of params.models) models.push(await openModelRunner(m, { ...params, spinning: false }));
    const source = await openDataset(params.data);
    const asEval = (model: string): EvaluateParams => ({ ...params, model });
    const plans = models.map((m) => planData(source, m, asEval(m.file)));
    const plan = plans[0]!;
    const outputs = models.map((m) => planModelOutputs(m, asEval(m.file), source));
    const stream = await streamPredictions(
      source,
      plan,
      models.map((model, i) => ({ model, outputs: outputs[i]!, planOptions: planOptions(asEval(model.file)) })),
      { batchSize: params.batchSize ?? DEFAULT_BATCH, maxRows: params.maxRows },
      ctx,
    );
    const scored = stream.predictions.map((p, i) => score(stream, p, outputs[i]!, asEval(params.models[i]!), source));
    const evaluations: EvaluateResult[] = scored.map((s, i) => ({
      model: params.models[i]!,
      data: params.data,
      task: s.task,
      samples: stream.rows,
      metrics: s.metrics,
      latency: latencyOf(stream, stream.predictions[i]!, asEval(params.models[i]!)),
      ...(s.space ? { class_names: s.space.names } : {}),
      plan: describeOutputs(outputs[i]!, models[i]!, stream.predictions[i]!.transform),
      nan_feature_cells: stream.nanFeatureCells,
      warnings: s.warnings,
      created,
    }));
    const base = scored[0]!;
    const agreement = scored.map((s) => {
      let same = 0;
      for (let r = 0; r < stream.rows; r++) if (s.predicted[r] === base.predicted[r]) same++;
      return same / Math.max(stream.rows, 1);
    });
    const max_abs_diff = stream.predictions.map((p) => maxAbsDiff(stream.predictions[0]!, p));
    return {
      models: params.models,
      data: params.data,
      task: base.task,
      samples: stream.rows,
      evaluations,
      table: metricTable(scored.map((s) => s.metrics)),
      agreement,
      max_abs_diff,
    };
  } finally {
    for (const m of models) await m.dispose();
  }
}

function planOptions(params: EvaluateParams): PlanOptions {
  return { label: params.label, requireLabel: params.label !== null, sensitive: params.sensitive, excludeColumns: params.excludeColumns };
}

function planData(source: DatasetSource, model: ModelRunner, params: EvaluateParams): FeaturePlan {
  return planFeatures(source, model.inputs, planOptions(params));
}

function planModelOutputs(model: ModelRunner, params: EvaluateParams, source: DatasetSource): OutputPlan {
  return modelOutputPlan(model, params.task, source.classNames);
}

function robustnessRows(params: EvaluateParams): number {
  return typeof params.robustness === 'object' && params.robustness.rows ? params.robustness.rows : 2000;
}

function featureNames(plan: FeaturePlan): string[] {
  const feed = plan.feeds[0];
  if (feed && feed.source.kind === 'columns') return [...feed.source.columns];
  return [];
}

/** Maps labels and predictions to classes (or values) and computes the metrics. */
function score(stream: StreamResult, p: ModelPredictions, outputs: OutputPlan, params: EvaluateParams, source: DatasetSource): Scored {
  const warnings: string[] = [];
  const n = stream.rows;
  const rawTruth: Float64Array | string[] | null = stream.labels ? stream.labels.view() : stream.textLabels;
  if (outputs.task === 'regression') {
    const predicted = p.values.view();
    const truth = rawTruth && !Array.isArray(rawTruth) ? (rawTruth as Float64Array) : null;
    if (rawTruth && !truth) throw new DatasetError(params.data, 'bad-label', 'regression needs numeric labels, but the label column holds text');
    if (truth) for (let i = 0; i < n; i++) if (Number.isNaN(truth[i])) throw new DatasetError(params.data, 'bad-label', `the label of data row ${i + 1} is empty or NaN`);
    return { task: 'regression', metrics: truth ? regressionMetrics(truth, predicted) : null, truth, predicted, proba: null, space: null, positive: 0, ranking: [], warnings };
  }
  const k = p.numClasses > 0 ? p.numClasses : null;
  const space = classSpace(outputs.classLabels ?? source.classNames ?? null, k, params.model);
  let proba: Float32Array;
  let predicted: Int32Array;
  if (p.numClasses > 0) {
    proba = p.proba.view();
    predicted = argmaxRows(proba, n, p.numClasses);
  } else {
    ({ predicted, proba } = labelsAsScores(p.rawLabels, space));
    warnings.push(LABELS_ONLY_WARNING);
  }
  const positive = positiveIndex(space, params.positiveClass, params.data);
  if (!rawTruth) return { task: 'classification', metrics: null, truth: null, predicted, proba, space, positive, ranking: [], warnings };
  const truth = labelsToIndices(rawTruth, space, params.data, 0);
  const K = space.names.length;
  const binary = K === 2;
  // One sort per class serves the metrics' areas and the curves shown. Checked first, so that a bad probability
  // gets checkProba's message (row, class, value) rather than the ranking's.
  checkProba(proba, n, K);
  const scratch = new RankingScratch(n);
  const ranking = Array.from({ length: K }, (_, c) => (binary && c !== positive ? undefined : ovrRanking(truth, proba, K, c, CURVE_POINTS, scratch)));
  const metrics = classificationMetrics({ yTrue: truth, proba, numClasses: K, classNames: space.names, ...(binary ? { positiveClass: positive } : {}), yPred: predicted, ranking });
  return { task: 'classification', metrics, truth, predicted, proba, space, positive, ranking, warnings };
}

function fairnessOf(stream: StreamResult, s: Scored, params: EvaluateParams): Record<string, FairnessReport> | undefined {
  const cols = Object.keys(stream.sensitive);
  if (cols.length === 0 || !s.truth) return undefined;
  const { yTrue, yPred } = binarize(s.truth as Int32Array, s.predicted as Int32Array, s.positive);
  const out: Record<string, FairnessReport> = {};
  const samples = params.bootstrap ?? 200;
  for (const c of cols) {
    out[c] = fairnessReport({ yTrue, yPred, groups: stream.sensitive[c]!, bootstrap: samples > 0 ? { samples, seed: params.seed ?? 0 } : undefined });
  }
  return out;
}

function latencyOf(stream: StreamResult, p: ModelPredictions, params: EvaluateParams): LatencyReport {
  const ms = p.batchMs;
  const inferMs = ms.reduce((a, b) => a + b, 0);
  return {
    batch_size: params.batchSize ?? DEFAULT_BATCH,
    batches: ms.length,
    p50_ms: percentile(ms, 0.5),
    p90_ms: percentile(ms, 0.9),
    p99_ms: percentile(ms, 0.99),
    rows_per_s: stream.rows / (stream.wallMs / 1000),
    inference_rows_per_s: stream.rows / Math.max(inferMs / 1000, 1e-9),
    threads: params.intraOpNumThreads ?? null,
  };
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : v > 0 ? 1 : 0;
}

function curvesOf(s: Scored): EvaluationCurves | undefined {
  if (!s.truth) return undefined;
  if (s.task === 'regression') {
    const r = residualSample(s.truth as Float64Array, s.predicted as Float64Array, 2000);
    return { predicted_vs_true: { true: Array.from(r.yTrue), predicted: Array.from(r.yPred) } };
  }
  const space = s.space!;
  const K = space.names.length;
  const truth = s.truth as Int32Array;
  const roc: (CurveData & { auc: number | null })[] = [];
  const pr: (CurveData & { ap: number | null })[] = [];
  const calibration: (CurveData & { count: number[] })[] = [];
  const classes = K === 2 ? [s.positive] : Array.from({ length: K }, (_, i) => i);
  for (const c of classes) {
    const r = s.ranking[c];
    if (!r || r.positives === 0 || r.negatives === 0) continue;
    const label = space.names[c]!;
    roc.push({ x: Array.from(r.roc.fpr, finite), y: Array.from(r.roc.tpr, finite), label, auc: r.rocAuc });
    pr.push({ x: Array.from(r.pr.recall, finite), y: Array.from(r.pr.precision, finite), label, ap: r.averagePrecision });
    if (K === 2) {
      const yBin = new Uint8Array(truth.length);
      const score = new Float64Array(truth.length);
      for (let i = 0; i < truth.length; i++) {
        yBin[i] = truth[i] === c ? 1 : 0;
        score[i] = s.proba![i * K + c]!;
      }
      const cal = calibrationCurve(yBin, score, 10);
      calibration.push({ x: Array.from(cal.prob_pred), y: Array.from(cal.prob_true), count: Array.from(cal.count), label });
    }
  }
  return { roc, pr, ...(calibration.length ? { calibration } : {}) };
}

function maxAbsDiff(a: ModelPredictions, b: ModelPredictions): number {
  const x = a.numClasses > 0 ? a.proba.view() : a.values.view();
  const y = b.numClasses > 0 ? b.proba.view() : b.values.view();
  if (x.length !== y.length) return NaN;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

function metricTable(all: readonly (ClassificationMetrics | RegressionMetrics | null)[]): CompareResult['table'] {
  const first = all[0];
  if (!first) return [];
  const names = Object.keys(first).filter((k) => typeof (first as unknown as Record<string, unknown>)[k] === 'number');
  return names.map((metric) => {
    const values = all.map((m) => {
      const v = m ? (m as unknown as Record<string, unknown>)[metric] : null;
      return typeof v === 'number' ? v : null;
    });
    const deltas = values.map((v) => (v === null || values[0] === null ? null : v - values[0]!));
    return { metric, values, deltas };
  });
}

/** Per-row predictions as CSV (row, label, predicted, class probabilities / value), written atomically. */
async function writePredictions(file: string, stream: StreamResult, s: Scored): Promise<void> {
  const lines: string[] = [];
  if (s.task === 'regression') {
    lines.push('row,label,prediction');
    const t = s.truth;
    for (let r = 0; r < stream.rows; r++) lines.push(`${r},${t ? t[r] : ''},${s.predicted[r]}`);
  } else {
    const names = s.space!.names;
    lines.push(['row', 'label', 'predicted', ...names.map((n) => `p_${csvCell(n)}`)].join(','));
    const K = names.length;
    for (let r = 0; r < stream.rows; r++) {
      const truth = s.truth ? csvCell(names[s.truth[r]!]!) : '';
      const probs: string[] = [];
      for (let c = 0; c < K; c++) probs.push(String(s.proba![r * K + c]));
      lines.push([r, truth, csvCell(names[s.predicted[r]!] ?? ''), ...probs].join(','));
    }
  }
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${lines.join('\n')}\n`);
  await rename(tmp, file);
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
