/**
 * Rows of a data file as model inputs, for calibration and activation SQNR: read like evaluation data (label,
 * sensitive and id-like columns are not fed), in batches, converted to onnxruntime tensors. Data that does not fit
 * the model's inputs becomes a QuantizeError('bad-data') saying which file and what did not fit.
 */
import type { ValueSummary } from '../../core/report-types';
import { buildBatchInputs, isDatasetError, openDataset, planFeatures, type DatasetSource, type FeaturePlan } from '../data';
import { toOrtTensor, type OrtTensor } from '../runtime';
import { throwIfAborted, type OperationContext } from '../operation';
import { QuantizeError } from './errors';

export interface RowSource {
  readonly file: string;
  readonly source: DatasetSource;
  readonly plan: FeaturePlan;
  /** The batch size the model fixes, if it does. */
  readonly fixedBatch?: number;
}

export interface RowOptions {
  readonly label?: string | null;
  readonly excludeColumns?: readonly string[];
  readonly sensitive?: readonly string[];
}

/** What the data is for, in messages. */
export type RowsPurpose = 'calibration' | 'evaluation';

/** Opens a data file and maps its columns onto the model's inputs (no rows read yet). */
export async function openRows(file: string, inputs: readonly ValueSummary[], options: RowOptions, purpose: RowsPurpose): Promise<RowSource> {
  try {
    const source = await openDataset(file);
    const plan = planFeatures(source, inputs, { label: options.label, requireLabel: false, excludeColumns: options.excludeColumns, sensitive: options.sensitive });
    const fixed = plan.feeds.map((f) => f.fixedBatch).find((b) => b !== undefined);
    return { file, source, plan, ...(fixed !== undefined ? { fixedBatch: fixed } : {}) };
  } catch (e) {
    throw asDataError(e, purpose);
  }
}

/** The model inputs of up to `maxRows` rows, `batchSize` rows at a time (the model's fixed batch size wins). */
export async function* inputBatches(
  rows: RowSource,
  batchSize: number,
  maxRows: number,
  purpose: RowsPurpose,
  ctx: OperationContext = {},
): AsyncGenerator<{ feeds: Record<string, OrtTensor>; rows: number }> {
  const size = rows.fixedBatch ?? batchSize;
  let seen = 0;
  try {
    for await (const batch of rows.source.batches(size, { signal: ctx.signal })) {
      throwIfAborted(ctx.signal);
      if (rows.fixedBatch !== undefined && batch.rowCount !== rows.fixedBatch) break;
      const take = Math.min(batch.rowCount, maxRows - seen);
      if (take <= 0) break;
      const built = buildBatchInputs(rows.plan, batch);
      const feeds: Record<string, OrtTensor> = {};
      for (const [name, t] of Object.entries(built.inputs)) {
        const per = t.dims[0] ? t.size / t.dims[0] : 0;
        const cut = take === batch.rowCount ? t : { ...t, dims: [take, ...t.dims.slice(1)], size: take * per, values: sliceValues(t.values, take * per) };
        feeds[name] = toOrtTensor(cut);
      }
      seen += take;
      yield { feeds, rows: take };
      if (seen >= maxRows) break;
    }
  } catch (e) {
    throw asDataError(e, purpose);
  }
}

function sliceValues<T extends { slice(a: number, b: number): T }>(v: T, n: number): T {
  return v.slice(0, n);
}

function asDataError(e: unknown, purpose: RowsPurpose): unknown {
  if (isDatasetError(e)) return new QuantizeError('bad-data', `${purpose} data does not fit the model: ${e.message}`);
  return e;
}
