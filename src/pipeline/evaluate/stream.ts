/**
 * The streaming pass of an evaluation: data batches → model inputs → onnxruntime → per-row predictions,
 * accumulated compactly (memory: the batch plus a few numbers per row, never the data file).
 */
import type { DecodedTensor } from '../../core/tensor/types';
import type { ValueSummary } from '../../core/report-types';
import type { BatchInputs, DatasetSource, FeaturePlan, OpenDatasetOptions, PlanOptions } from '../data';
import { plannedBatches, type PrefetchJob, type StartedPrefetch } from '../data/prefetch';
import { throwIfAborted, type OperationContext } from '../operation';
import { Growable } from './growable';
import type { ModelRunner } from '../shared/inference';
import { rawLabelsOf, regressionBatch, resolveTransform, scoreClasses, writeProba, type OutputPlan, type ScoreTransform } from '../shared/outputs';
import { fetchList } from '../shared/predictions';

/** Per-model accumulated predictions. */
export interface ModelPredictions {
  /** n×K scores/probabilities (classification with a score output). */
  readonly proba: Growable<Float32Array>;
  /** Predicted labels as the model gave them, when it has a label output and no scores. */
  readonly rawLabels: (string | number)[];
  /** Regression predictions. */
  readonly values: Growable<Float64Array>;
  numClasses: number;
  transform: Exclude<ScoreTransform, 'auto'> | null;
  readonly batchMs: number[];
}

export interface StreamResult {
  readonly rows: number;
  readonly labels: Growable<Float64Array> | null;
  readonly textLabels: string[] | null;
  readonly sensitive: Record<string, string[]>;
  readonly predictions: ModelPredictions[];
  readonly nanFeatureCells: number;
  readonly nanRowLocations: string[];
  /** The first rows' inputs (for robustness runs), when asked. */
  readonly keptInputs: Record<string, DecodedTensor>[];
  readonly keptRows: number;
  readonly wallMs: number;
}

export interface StreamOptions {
  readonly batchSize: number;
  readonly maxRows?: number;
  /** Keep the inputs of the first N rows (robustness). */
  readonly keepRows?: number;
  /** A worker already reading the data for these models' plans (see `startPrefetch`), used instead of a new one. */
  readonly prefetch?: StartedPrefetch;
}

/** What the data reader thread needs for these models' plans. */
export function prefetchJob(
  file: string,
  open: OpenDatasetOptions,
  models: readonly { model: { readonly inputs: readonly ValueSummary[] }; planOptions: PlanOptions }[],
  batchSize: number,
): PrefetchJob {
  return { file, open, plans: models.map((m) => ({ inputs: m.model.inputs, options: m.planOptions })), batchSize, depth: 4 };
}

/** Runs every model on every batch of the data (models in lockstep, so comparisons see identical rows). */
export async function streamPredictions(
  source: DatasetSource,
  plan: FeaturePlan,
  models: readonly { model: ModelRunner; outputs: OutputPlan; planOptions: PlanOptions }[],
  options: StreamOptions,
  ctx: OperationContext = {},
): Promise<StreamResult> {
  const start = performance.now();
  const labels = plan.label && plan.labelKind !== 'text' ? new Growable(Float64Array) : null;
  const textLabels: string[] | null = plan.label && plan.labelKind === 'text' ? [] : null;
  const sensitive: Record<string, string[]> = Object.fromEntries(plan.sensitive.map((s) => [s, [] as string[]]));
  const predictions: ModelPredictions[] = models.map(() => ({
    proba: new Growable(Float32Array),
    rawLabels: [],
    values: new Growable(Float64Array),
    numClasses: 0,
    transform: null,
    batchMs: [],
  }));
  const keptInputs: Record<string, DecodedTensor>[] = [];
  let keptRows = 0;
  let rows = 0;
  let nanFeatureCells = 0;
  const nanRowLocations: string[] = [];
  let fraction: number | undefined;
  const dataCtx: OperationContext = {
    signal: ctx.signal,
    onProgress: (p) => {
      if (p.fraction !== undefined) fraction = p.fraction;
    },
  };
  const fetches = models.map((m) => fetchList(m.outputs));
  let lastReport = 0;

  const job = prefetchJob(source.file, { format: source.format }, models, options.batchSize);
  for await (const perModel of plannedBatches(source, job, dataCtx, options.prefetch)) {
    throwIfAborted(ctx.signal);
    let n = perModel[0]!.rows;
    if (options.maxRows !== undefined && rows + n > options.maxRows) {
      n = options.maxRows - rows;
      if (n <= 0) break;
    }
    const b = sliceBatch(perModel[0]!, n);
    nanFeatureCells += b.nanFeatureCells;
    if (nanRowLocations.length < 5) nanRowLocations.push(...b.nanRowLocations.slice(0, 5 - nanRowLocations.length));
    if (labels && b.labels) labels.push(b.labels as Float64Array);
    if (textLabels && b.labels) for (const l of b.labels as string[]) textLabels.push(l);
    for (const s of plan.sensitive) for (const v of b.sensitive[s] ?? []) sensitive[s]!.push(v);
    if (options.keepRows && keptRows < options.keepRows) {
      keptInputs.push(b.inputs);
      keptRows += n;
    }
    for (let i = 0; i < models.length; i++) {
      const { model, outputs } = models[i]!;
      // Models with other input layouts (e.g. [N,64] vs [N,1,8,8]) get their own view of the same rows.
      const inputs = i === 0 ? b.inputs : sliceBatch(perModel[i]!, n).inputs;
      const { outputs: out, ms } = await model.run(inputs, fetches[i]!);
      const p = predictions[i]!;
      p.batchMs.push(ms);
      if (outputs.task === 'regression') {
        p.values.push(regressionBatch(outputs, out, n));
      } else {
        p.transform ??= resolveTransform(outputs, out, n);
        const k = scoreClasses(outputs, out, n);
        if (outputs.scoreOutput) {
          // Probabilities straight into the accumulated n×K matrix: no per-batch array, no copy.
          writeProba(outputs, p.transform, out, n, p.proba.append(n * k));
          p.numClasses = k;
        } else {
          for (const l of rawLabelsOf(outputs, out) ?? []) p.rawLabels.push(l);
        }
      }
    }
    rows += n;
    const now = performance.now();
    if (ctx.onProgress && now - lastReport > 250) {
      lastReport = now;
      const secs = (now - start) / 1000;
      const rate = rows / Math.max(secs, 1e-3);
      const eta = fraction && fraction > 0 ? ` · ETA ${formatSeconds((secs * (1 - fraction)) / fraction)}` : '';
      ctx.onProgress({ message: `${rows.toLocaleString('en-US')} rows · ${Math.round(rate).toLocaleString('en-US')} rows/s${eta}`, fraction });
    }
    if (options.maxRows !== undefined && rows >= options.maxRows) break;
  }
  return { rows, labels, textLabels, sensitive, predictions, nanFeatureCells, nanRowLocations, keptInputs, keptRows, wallMs: performance.now() - start };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  return s < 90 ? `${Math.ceil(s)} s` : `${Math.ceil(s / 60)} min`;
}

/** The first `n` rows of a batch's inputs (for --max-rows). */
function sliceBatch(b: BatchInputs, n: number): BatchInputs {
  if (b.rows === n) return b;
  const inputs: Record<string, DecodedTensor> = {};
  for (const [k, t] of Object.entries(b.inputs)) {
    const per = t.dims[0] ? t.size / t.dims[0] : 0;
    const values = (t.values as unknown as { slice(a: number, b: number): DecodedTensor['values'] }).slice(0, n * per);
    inputs[k] = { ...t, dims: [n, ...t.dims.slice(1)], size: n * per, values };
  }
  const sensitive = Object.fromEntries(Object.entries(b.sensitive).map(([k, v]) => [k, v.slice(0, n)]));
  return { ...b, inputs, labels: b.labels ? (b.labels.slice(0, n) as Float64Array | string[]) : undefined, sensitive, rows: n };
}
