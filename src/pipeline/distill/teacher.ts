/**
 * The teacher's side of distillation: which output the student must mimic and how it reads (class logits, class
 * probabilities — also sklearn's label + probabilities, ZipMap read as its probability tensor — or regression values,
 * as the evaluation pipeline interprets outputs), and the teacher's targets for every training row, computed once
 * with onnxruntime. Class targets are kept as logits: log-probabilities when the teacher outputs probabilities.
 */
import { DataType } from '../../core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../core/tensor/types';
import { allocateValues } from '../data/feed';
import { classSpace, labelsToIndices, type ClassSpace } from '../shared/class-space';
import type { PreparedModel } from '../shared/inference';
import { planOutputs, resolveTransform, type BatchOutput } from '../shared/outputs';
import type { ZipMapRewrite } from '../shared/zipmap';
import { isDatasetError } from '../data';
import { throwIfAborted, type OperationContext } from '../operation';
import { DistillError } from './errors';
import type { TrainingRows } from './rows';

export type TeacherHead =
  | {
      readonly kind: 'classes';
      /** The output with class scores (for a ZipMap model: the probability tensor that feeds the ZipMap). */
      readonly scoreOutput: string;
      /** 'softmax': the scores are logits (one column: a sigmoid's logit); 'none': they are probabilities. */
      readonly transform: 'softmax' | 'none';
      readonly numClasses: number;
      /** One column for two classes: the positive class's logit or probability ([N] or [N,1]); targets are still 2 logits. */
      readonly oneColumn: boolean;
      readonly space: ClassSpace;
      /** Declared class labels (ZipMap / classifier attributes), index = class index. */
      readonly classLabels: readonly (string | number)[] | null;
      /** sklearn's predicted-label output, when the teacher has one. */
      readonly labelOutput: string | null;
      readonly zipmap: ZipMapRewrite | null;
    }
  | { readonly kind: 'regression'; readonly output: string; readonly width: number };

/** Targets per row: n × K logits (classification) or n × width values (regression). */
export interface TeacherTargets {
  readonly head: TeacherHead;
  readonly width: number;
  readonly values: Float32Array;
}

const RUN_BATCH = 1024;
/** Probabilities are clipped here before the log, so a zero probability gives a finite logit. */
const PROBA_FLOOR = 1e-7;

/** Runs the teacher over all rows and reads its outputs (the head is resolved on the first batch). */
export async function teacherTargets(model: PreparedModel, rows: TrainingRows, ctx: OperationContext = {}): Promise<TeacherTargets> {
  let plan;
  try {
    plan = planOutputs(model.outputs, {
      task: 'auto',
      labels: rows.labels ?? undefined,
      classLabels: model.zipmap[0]?.classLabels ?? rows.classNames ?? null,
      probaOutput: model.zipmap[0]?.probabilities,
    });
  } catch (e) {
    throw new DistillError('bad-teacher', `cannot tell what the teacher's outputs mean: ${(e as Error).message}`, model.file);
  }
  if (plan.task === 'classification' && !plan.scoreOutput) {
    throw new DistillError('bad-teacher', `the teacher gives predicted labels only (output '${plan.labelOutput}'); distillation needs class scores or probabilities`, model.file);
  }
  const fetch = plan.task === 'regression' ? plan.output : plan.scoreOutput!;
  let head: TeacherHead | undefined;
  let width = 0;
  let values = new Float32Array(0);
  for (let start = 0; start < rows.count; start += RUN_BATCH) {
    throwIfAborted(ctx.signal);
    const n = Math.min(RUN_BATCH, rows.count - start);
    const out = await runRows(model, rows, start, n, fetch);
    const data = out.data as ArrayLike<number>;
    const cols = data.length / n;
    if (!head) {
      if (!Number.isInteger(cols) || cols < 1) throw new DistillError('bad-teacher', `output '${fetch}' gave ${data.length} values for ${n} rows`, model.file);
      if (plan.task === 'regression') head = { kind: 'regression', output: plan.output, width: cols };
      else {
        const t = resolveTransform(plan, { [fetch]: out }, n);
        if (cols === 1 && plan.labelOutput) {
          throw new DistillError('bad-teacher', `the teacher gives one score column ('${fetch}') and a label output ('${plan.labelOutput}'); distillation needs one score per class for such models`, model.file);
        }
        let space: ClassSpace;
        try {
          space = classSpace(plan.classLabels, Math.max(cols, 2), model.file);
        } catch (e) {
          throw new DistillError('bad-teacher', (e as Error).message);
        }
        head = {
          kind: 'classes',
          scoreOutput: fetch,
          transform: t === 'softmax' || t === 'sigmoid' ? 'softmax' : 'none',
          numClasses: Math.max(cols, 2),
          oneColumn: cols === 1,
          space,
          classLabels: plan.classLabels,
          labelOutput: plan.labelOutput,
          zipmap: model.zipmap[0] ?? null,
        };
      }
      width = head.kind === 'classes' ? head.numClasses : cols;
      values = new Float32Array(rows.count * width);
    }
    if (cols !== (head.kind === 'classes' && head.oneColumn ? 1 : width)) throw new DistillError('bad-teacher', `output '${fetch}' gave ${cols} values per row, earlier ${width}`, model.file);
    const base = start * width;
    if (head.kind === 'classes' && head.oneColumn) {
      // One score for two classes: logits [0, score], or [log(1 − p), log(p)] for a probability p (softmax gives [1 − p, p]).
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        values[base + 2 * i] = head.transform === 'softmax' ? 0 : Math.log(Math.max(1 - v, PROBA_FLOOR));
        values[base + 2 * i + 1] = head.transform === 'softmax' ? v : Math.log(Math.max(v, PROBA_FLOOR));
      }
    } else if (head.kind === 'classes' && head.transform === 'none') {
      for (let i = 0; i < data.length; i++) values[base + i] = Math.log(Math.max(data[i]!, PROBA_FLOOR));
    } else {
      for (let i = 0; i < data.length; i++) values[base + i] = data[i]!;
    }
    for (let i = 0; i < n * width; i++) {
      if (!Number.isFinite(values[base + i]!)) {
        throw new DistillError('bad-teacher', `the teacher's output '${fetch}' is not finite for data row ${start + Math.floor(i / width) + 1} of ${rows.file}`, model.file);
      }
    }
  }
  return { head: head!, width, values };
}

/** The class index of every row's label (classification), or the labels as numbers (regression). */
export function labelTargets(head: TeacherHead, rows: TrainingRows): Int32Array | Float32Array | null {
  if (!rows.labels) return null;
  try {
    if (head.kind === 'classes') return labelsToIndices(rows.labels as Float64Array | string[], head.space, rows.file, 0);
  } catch (e) {
    if (isDatasetError(e)) {
      const hint =
        head.kind === 'classes' && head.oneColumn
          ? ` (the teacher gives one value per row, read as a binary classifier's score because of these labels; for a regression teacher name a numeric label column or use --no-label)`
          : '';
      throw new DistillError('bad-data', `label column "${rows.labelColumn}": ${e.message}${hint}`);
    }
    throw e;
  }
  if (!(rows.labels instanceof Float64Array)) {
    throw new DistillError('bad-data', `the teacher is a regression model but label column "${rows.labelColumn}" holds text; name a numeric label column or use --no-label`, rows.file);
  }
  for (let i = 0; i < rows.labels.length; i++) {
    if (Number.isNaN(rows.labels[i]!)) throw new DistillError('bad-data', `the label of data row ${i + 1} ("${rows.labelColumn}") is empty or NaN`, rows.file);
  }
  return Float32Array.from(rows.labels);
}

/** The teacher's output `fetch` for rows [start, start + n) (padded to the batch size the teacher fixes, if any). */
export async function runRows(model: PreparedModel, rows: TrainingRows, start: number, n: number, fetch: string): Promise<BatchOutput> {
  const declared = model.inputs[0]?.shape?.[0];
  const fixed = typeof declared === 'number' && declared > 0 ? declared : undefined;
  if (fixed === undefined || fixed === n) {
    const r = await model.run({ [rows.input]: inputTensor(rows, start, n) }, [fetch]);
    return r.outputs[fetch]!;
  }
  // The model fixes its batch size: run chunks of exactly that many rows, padding the last with its first row.
  const parts: number[] = [];
  for (let s = 0; s < n; s += fixed) {
    const m = Math.min(fixed, n - s);
    const idx = Array.from({ length: fixed }, (_, i) => start + s + (i < m ? i : 0));
    const r = await model.run({ [rows.input]: inputTensorOf(rows, idx) }, [fetch]);
    const d = r.outputs[fetch]!.data as ArrayLike<number>;
    const per = d.length / fixed;
    for (let i = 0; i < m * per; i++) parts.push(d[i]!);
  }
  return { dims: [n, parts.length / Math.max(n, 1)], data: Float32Array.from(parts) };
}

/** Rows [start, start + n) as a tensor of the input's type. */
export function inputTensor(rows: TrainingRows, start: number, n: number): DecodedTensor {
  const D = rows.width;
  return asInput(rows, rows.x.subarray(start * D, (start + n) * D), n);
}

function inputTensorOf(rows: TrainingRows, index: readonly number[]): DecodedTensor {
  const D = rows.width;
  const buf = new Float32Array(index.length * D);
  index.forEach((r, i) => buf.set(rows.x.subarray(r * D, (r + 1) * D), i * D));
  return asInput(rows, buf, index.length);
}

function asInput(rows: TrainingRows, x: Float32Array, n: number): DecodedTensor {
  const dims = [n, ...rows.rowShape];
  if (rows.inputType === DataType.FLOAT) return { name: rows.input, dataType: DataType.FLOAT, dims, size: x.length, values: x };
  const values = allocateValues(rows.inputType, x.length);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) for (let i = 0; i < x.length; i++) values[i] = BigInt(Math.trunc(x[i]!));
  else {
    const out = values as Exclude<TensorValues, BigInt64Array | BigUint64Array | string[]>;
    for (let i = 0; i < x.length; i++) out[i] = x[i]!;
  }
  return { name: rows.input, dataType: rows.inputType, dims, size: x.length, values };
}
