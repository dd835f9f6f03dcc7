/**
 * `predict`: a model over every row of a data file → a predictions file (id, prediction, scores), batch by batch:
 * memory holds one batch, the rows are written as they come. The data is read and mapped onto the model's inputs
 * as evaluation reads it (same column options), and the outputs are interpreted as evaluation interprets them
 * (shared/predictions.ts), so a row's prediction equals what `ptp evaluate --outputs` writes for it.
 */
import * as path from 'node:path';
import type { PredictParams, PredictResult } from '../../protocol/predict';
import { DatasetError, autoLabelColumn, openDataset, planFeatures, type DatasetSource, type PlanOptions } from '../data';
import { checkBatchSize } from '../data/options';
import { plannedBatches, type PrefetchJob } from '../data/prefetch';
import { throwIfAborted, type OperationContext } from '../operation';
import type { ModelRunner } from '../shared/inference';
import { openModelRunner } from '../serve/model-runner';
import { BatchPredictor, describeOutputs, fetchList, modelOutputPlan } from '../shared/predictions';
import { PredictError } from './errors';
import { openSink, predictFormat, scoreColumns, type PredictedRows, type PredictionSink } from './writers';

const DEFAULT_BATCH = 1024;

/** The column options of a prediction: no label needed (one found is set aside), the id column returned, never fed. */
export function predictPlanOptions(params: Pick<PredictParams, 'label' | 'sensitive' | 'excludeColumns' | 'idColumn'>): PlanOptions {
  const passThrough = [...(params.sensitive ?? []), ...(params.idColumn !== undefined ? [params.idColumn] : [])];
  return { label: params.label, requireLabel: false, sensitive: [...new Set(passThrough)], excludeColumns: params.excludeColumns };
}

/** Runs the model over the data and writes the predictions file (atomically). */
export async function predict(params: PredictParams, ctx: OperationContext = {}): Promise<PredictResult> {
  const start = performance.now();
  const format = predictFormat(params.output, params.format);
  const batchSize = checkBatchSize(params.data, params.batchSize ?? DEFAULT_BATCH);
  if (params.maxRows !== undefined && (!Number.isSafeInteger(params.maxRows) || params.maxRows < 1)) {
    throw new PredictError(params.data, 'bad-option', `maxRows must be a positive integer, got ${params.maxRows}`);
  }
  if (params.idColumn !== undefined && params.idColumn === params.label) {
    throw new PredictError(params.data, 'bad-option', `column "${params.idColumn}" cannot be both the id and the label`);
  }
  ctx.onProgress?.({ message: 'Opening model and data' });
  const source = await openDataset(params.data);
  const model = await openModelRunner(params.model, { intraOpNumThreads: params.intraOpNumThreads, executionProviders: params.executionProviders, endpointConcurrency: params.endpointConcurrency, spinning: false });
  try {
    return await predictWith(model, source, params, format, batchSize, start, ctx);
  } finally {
    await model.dispose();
  }
}

async function predictWith(
  model: ModelRunner,
  source: DatasetSource,
  params: PredictParams,
  format: ReturnType<typeof predictFormat>,
  batchSize: number,
  start: number,
  ctx: OperationContext,
): Promise<PredictResult> {
  const label = params.label === undefined ? autoLabelColumn(source.columns) : params.label;
  if (params.idColumn !== undefined && params.idColumn === label) {
    throw new PredictError(params.data, 'bad-option', `column "${params.idColumn}" cannot be both the id and the label${params.label === undefined ? ' (found as the label by its name; name another with --label, or --no-label)' : ''}`);
  }
  const options = predictPlanOptions(params);
  const plan = planFeatures(source, model.inputs, options);
  const outputs = modelOutputPlan(model, params.task, source.classNames);
  const predictor = new BatchPredictor(outputs, params.model, source.classNames);
  const fetch = fetchList(outputs);
  const idKind = params.idColumn === undefined ? 'index' : source.kinds.get(params.idColumn) === 'number' ? 'number' : 'text';
  const job: PrefetchJob = { file: source.file, open: { format: source.format }, plans: [{ inputs: model.inputs, options }], batchSize, depth: 4 };

  let sink: PredictionSink | undefined;
  let rows = 0;
  let nanFeatureCells = 0;
  const nanRowLocations: string[] = [];
  let fraction: number | undefined;
  let lastReport = 0;
  const dataCtx: OperationContext = { signal: ctx.signal, onProgress: (p) => (fraction = p.fraction ?? fraction) };
  try {
    for await (const [b] of plannedBatches(source, job, dataCtx)) {
      throwIfAborted(ctx.signal);
      const batch = b!;
      const n = params.maxRows !== undefined ? Math.min(batch.rows, params.maxRows - rows) : batch.rows;
      if (n <= 0) break;
      nanFeatureCells += batch.nanFeatureCells;
      if (nanRowLocations.length < 5) nanRowLocations.push(...batch.nanRowLocations.slice(0, 5 - nanRowLocations.length));
      const { outputs: out } = await model.run(batch.inputs, fetch);
      throwIfAborted(ctx.signal);
      const p = predictor.read(out, batch.rows);
      const names = predictor.space?.names ?? [];
      sink ??= await openSink(format, params.output, { idKind, task: p.task, scoreNames: p.task === 'classification' ? scoreColumns(names) : [] });
      const ids: (string | number)[] = new Array(n);
      const idText = params.idColumn !== undefined ? batch.sensitive[params.idColumn]! : undefined;
      for (let r = 0; r < n; r++) ids[r] = idText ? (idKind === 'number' ? (idText[r] === '' ? NaN : Number(idText[r])) : idText[r]!) : rows + r;
      const predicted: PredictedRows =
        p.task === 'regression'
          ? { rows: n, ids, predictions: p.values.subarray(0, n), scores: null }
          : { rows: n, ids, predictions: Array.from(p.predicted.subarray(0, n), (c) => names[c] ?? ''), scores: p.proba.subarray(0, n * names.length) };
      await sink.write(predicted);
      rows += n;
      const now = performance.now();
      if (ctx.onProgress && now - lastReport > 250) {
        lastReport = now;
        const rate = rows / Math.max((now - start) / 1000, 1e-3);
        ctx.onProgress({ message: `${rows.toLocaleString('en-US')} rows · ${Math.round(rate).toLocaleString('en-US')} rows/s`, fraction });
      }
      if (params.maxRows !== undefined && rows >= params.maxRows) break;
    }
    if (!sink || rows === 0) throw new DatasetError(params.data, 'malformed', 'the data holds no rows');
    throwIfAborted(ctx.signal);
    await sink.finish();
  } catch (e) {
    await sink?.abort();
    throw e;
  }
  const warnings = [...source.notes];
  if (nanFeatureCells > 0) warnings.push(`${nanFeatureCells} feature cells are empty or NaN and were fed as NaN (first at ${nanRowLocations.join('; ')})`);
  if (predictor.oneHot) warnings.push('the model gives predicted labels only; the scores are one-hot');
  return {
    model: params.model,
    data: params.data,
    output: path.resolve(params.output),
    format,
    task: outputs.task,
    rows,
    columns: sink.columns,
    ...(predictor.space ? { class_names: predictor.space.names } : {}),
    seconds: Math.round(performance.now() - start) / 1000,
    plan: [...plan.describe(), ...describeOutputs(outputs, model, predictor.transform)],
    warnings,
  };
}
