/**
 * Training rows in memory: a data file read like evaluation data (label, sensitive and id-like columns are not fed)
 * through the teacher's feature plan, each row's input values flattened into one float32 vector. At most MAX_ROWS
 * rows are kept. Data that does not fit the teacher becomes a DistillError('bad-data') naming the file.
 */
import type { ValueSummary } from '../../core/report-types';
import { DataType } from '../../core/tensor/dtypes';
import { buildBatchInputs, isDatasetError, openDataset, planFeatures, type FeaturePlan } from '../data';
import { throwIfAborted, type OperationContext } from '../operation';
import { DistillError } from './errors';
import { MAX_ROWS, MAX_VALUES } from './settings';

export interface TrainingRows {
  readonly file: string;
  /** The teacher's (only) input. */
  readonly input: string;
  readonly inputType: DataType;
  /** Shape of one row of the input (without the batch dimension), and its element count D. */
  readonly rowShape: readonly number[];
  readonly width: number;
  readonly count: number;
  /** count × D values, row-major. */
  readonly x: Float32Array;
  readonly labelColumn: string | null;
  /** One label per row (numbers, or text) when there is a label column. */
  readonly labels: Float64Array | readonly string[] | null;
  /** Classes the data declares (image folders), if any. */
  readonly classNames: readonly string[] | null;
  readonly plan: FeaturePlan;
  readonly warnings: readonly string[];
}

const NUMERIC = new Set<DataType>([
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.FLOAT16,
  DataType.INT8,
  DataType.INT16,
  DataType.INT32,
  DataType.INT64,
  DataType.UINT8,
  DataType.UINT16,
  DataType.UINT32,
  DataType.BOOL,
]);

export interface ReadOptions {
  readonly label?: string | null;
  readonly excludeColumns?: readonly string[];
  /** What the data is for, in messages ('training data', 'evaluation data'). */
  readonly purpose: string;
  readonly maxRows?: number;
}

/** Reads the rows of `file` as the teacher's input values (and labels). */
export async function readTrainingRows(file: string, inputs: readonly ValueSummary[], options: ReadOptions, ctx: OperationContext = {}): Promise<TrainingRows> {
  if (inputs.length !== 1) {
    throw new DistillError('bad-teacher', `the teacher has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); distillation supports models with one input`);
  }
  try {
    const source = await openDataset(file);
    const planned = planFeatures(source, inputs, { label: options.label, requireLabel: typeof options.label === 'string', excludeColumns: options.excludeColumns });
    // Rows are read in any batch size: a batch size the teacher fixes applies to model calls, not to reading.
    const plan: FeaturePlan = { ...planned, feeds: planned.feeds.map((f) => ({ ...f, fixedBatch: undefined })) };
    const feed = plan.feeds[0]!;
    if (!NUMERIC.has(feed.dataType)) {
      throw new DistillError('bad-teacher', `the teacher's input "${feed.input}" takes ${feed.elemType} values; the student can only learn from numeric inputs`);
    }
    const D = feed.rowSize;
    const max = Math.max(1, Math.min(options.maxRows ?? MAX_ROWS, Math.floor(MAX_VALUES / Math.max(1, D))));
    const chunks: Float32Array[] = [];
    const numLabels: number[] = [];
    const textLabels: string[] = [];
    let count = 0;
    let truncated = false;
    for await (const batch of source.batches(4096, ctx)) {
      throwIfAborted(ctx.signal);
      const b = buildBatchInputs(plan, batch);
      const take = Math.min(b.rows, max - count);
      const values = b.inputs[feed.input]!.values;
      const out = new Float32Array(take * D);
      for (let i = 0; i < take * D; i++) out[i] = Number(values[i]);
      chunks.push(out);
      if (b.nanFeatureCells > 0) {
        throw new DistillError('bad-data', `${options.purpose} has empty or NaN feature cells (first at ${b.nanRowLocations.join('; ')}); fill or drop those rows, the student cannot learn from NaN`, file);
      }
      if (b.labels) {
        if (b.labels instanceof Float64Array) for (let i = 0; i < take; i++) numLabels.push(b.labels[i]!);
        else for (let i = 0; i < take; i++) textLabels.push(b.labels[i]!);
      }
      count += take;
      if (count >= max) {
        truncated = true;
        break;
      }
    }
    if (count === 0) throw new DistillError('bad-data', `${options.purpose} holds no rows`, file);
    const x = new Float32Array(count * D);
    let at = 0;
    for (const c of chunks) {
      x.set(c, at);
      at += c.length;
    }
    const warnings = [...source.notes];
    if (truncated) warnings.push(`${options.purpose}: only the first ${max} rows were used`);
    const labels = plan.label === null ? null : plan.labelKind === 'text' || textLabels.length > 0 ? textLabels : Float64Array.from(numLabels);
    return {
      file,
      input: feed.input,
      inputType: feed.dataType,
      rowShape: feed.rowShape,
      width: D,
      count,
      x,
      labelColumn: plan.label,
      labels,
      classNames: source.classNames ?? null,
      plan,
      warnings,
    };
  } catch (e) {
    if (isDatasetError(e)) throw new DistillError('bad-data', `${options.purpose} does not fit the teacher: ${e.message}`);
    throw e;
  }
}

/** Rows `index` of `rows.x` gathered into one buffer (count × D). */
export function gatherRows(x: Float32Array, D: number, index: ArrayLike<number>, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(index.length * D);
  for (let r = 0; r < index.length; r++) {
    const s = index[r]! * D;
    o.set(x.subarray(s, s + D), r * D);
  }
  return o;
}
