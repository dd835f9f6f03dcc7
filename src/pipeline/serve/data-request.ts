/**
 * A test request from a data file: the first rows of a data set mapped onto a served model's inputs the way
 * `ptp evaluate` maps them (src/pipeline/data: planFeatures + buildBatchInputs — the label, id and excluded columns
 * set aside, the features shaped to each input's per-row shape), as V2 tensors for `V2Client.infer`. The model's
 * inputs come from its V2 metadata (the server's signature), so the client needs no model file.
 */
import { DataType } from '../../core/tensor/dtypes';
import type { ValueSummary } from '../../core/report-types';
import { buildBatchInputs, openDataset, planFeatures, type PlanOptions } from '../data';
import { onnxTypeOfV2, v2TypeOfOnnx, type TensorData, type V2Tensor } from './datatypes';
import { ServeError } from './errors';
import type { TensorSpec } from './signature';

export interface DataRequest {
  readonly inputs: readonly V2Tensor[];
  /** Rows taken from the file (fewer when the file has fewer; the model's fixed batch size when it has one). */
  readonly rows: number;
  /** How the columns feed the inputs (the plan's lines), for the user. */
  readonly plan: readonly string[];
}

/** The model's inputs as the data layer's plan takes them (dynamic dims unknown). */
export function inputSummaries(specs: readonly TensorSpec[]): ValueSummary[] {
  return specs.map((s) => ({ name: s.name, kind: 'tensor', elem_type: onnxTypeOfV2(s.datatype), shape: s.shape.map((d) => (d < 0 ? null : d)) }));
}

/** Reads the first `rows` rows of `file` (at most) and builds the model's input tensors from them. */
export async function requestFromData(file: string, specs: readonly TensorSpec[], rows: number, options: PlanOptions = {}): Promise<DataRequest> {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new ServeError('bad-request', `rows must be a positive integer, got ${rows}`);
  const source = await openDataset(file, { sampleRows: Math.max(rows, 100) });
  const plan = planFeatures(source, inputSummaries(specs), options);
  const fixed = plan.feeds.find((f) => f.fixedBatch !== undefined)?.fixedBatch;
  const take = fixed ?? rows;
  for await (const batch of source.batches(take)) {
    if (fixed !== undefined && batch.rowCount !== fixed) throw new ServeError('bad-request', `${file}: the model takes batches of exactly ${fixed} rows; the file has ${batch.rowCount}`);
    const built = buildBatchInputs(plan, batch);
    const inputs = plan.feeds.map((feed): V2Tensor => {
      const t = built.inputs[feed.input]!;
      if (feed.dataType === DataType.FLOAT16) throw new ServeError('bad-request', `input "${feed.input}" is FLOAT16; a test request from a data file sends FP32, FP64 and integer inputs only`);
      const datatype = v2TypeOfOnnx(feed.elemType);
      if (!datatype) throw new ServeError('bad-request', `input "${feed.input}" has type ${feed.elemType}, which the Open Inference Protocol has no datatype for`);
      return { name: feed.input, datatype, shape: [...t.dims], data: t.values as TensorData };
    });
    return { inputs, rows: batch.rowCount, plan: plan.describe() };
  }
  throw new ServeError('bad-request', `${file}: the data set has no rows`);
}
