/**
 * The explained function f: composite rows (see rows.ts) → the model's outputs as evaluation interprets them —
 * class probabilities (logits → softmax, a single score → [1−p, p], ZipMap read as its probability tensor) or the
 * regression value. One onnxruntime call per `evaluate` (split only when the model fixes its batch size).
 */
import { allocateValues } from '../data/feed';
import { DataType } from '../../core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../core/tensor/types';
import { classSpace } from '../shared/class-space';
import type { PreparedModel } from '../shared/inference';
import { planOutputs, regressionBatch, resolveTransform, type OutputPlan, type ScoreTransform } from '../shared/outputs';
import { ExplainError } from './errors';
import type { FeedSlot, RowLayout } from './rows';

/** The typed array masked rows are built in: float32 when every input is exactly representable in it. */
export type RowBuffer = Float32Array | Float64Array;

const F32_EXACT = new Set<DataType>([DataType.FLOAT, DataType.FLOAT16, DataType.INT8, DataType.INT16, DataType.UINT8, DataType.UINT16, DataType.BOOL]);

export function bufferKind(layout: RowLayout): 'f32' | 'f64' {
  return layout.slots.every((s) => F32_EXACT.has(s.dataType)) ? 'f32' : 'f64';
}

export function allocBuffer(kind: 'f32' | 'f64', n: number): RowBuffer {
  return kind === 'f32' ? new Float32Array(n) : new Float64Array(n);
}

export interface ExplainedModel {
  readonly task: 'classification' | 'regression';
  /** Model output columns per row (K), known after the first call. */
  readonly width: number;
  /** Names of the K columns (class names, or the regression output's name), known after the first call. */
  readonly names: readonly string[];
  /** How the scores were read, for the notes. */
  readonly describe: string;
  readonly calls: number;
  readonly rows: number;
  /**
   * f for `n` composite rows (n × D values of `rows`) → n × K values. The first call resolves how scores are read
   * (probabilities as given, or softmax/sigmoid), so it must be on real rows.
   */
  evaluate(rows: RowBuffer, n: number): Promise<Float64Array>;
}

/** Wraps a prepared model for explanation. Throws ExplainError for models whose outputs cannot be explained. */
export function explainedModel(
  model: PreparedModel,
  layout: RowLayout,
  options: { task?: 'auto' | 'classification' | 'regression'; classNames?: readonly string[] | null },
): ExplainedModel {
  const plan: OutputPlan = planOutputs(model.outputs, {
    task: options.task ?? 'auto',
    classLabels: model.zipmap[0]?.classLabels ?? options.classNames ?? null,
    probaOutput: model.zipmap[0]?.probabilities,
  });
  if (plan.task === 'classification' && !plan.scoreOutput) {
    throw new ExplainError('unsupported', `the model gives predicted labels only (output '${plan.labelOutput}'); SHAP values need class scores or probabilities`);
  }
  const fetch = plan.task === 'regression' ? [plan.output] : [plan.scoreOutput!];
  let transform: Exclude<ScoreTransform, 'auto'> | null = null;
  let width = 0;
  let names: string[] = [];
  let calls = 0;
  let total = 0;
  const fixed = layout.slots.find((s) => s.fixedBatch !== undefined)?.fixedBatch;

  const once = async (rows: RowBuffer, n: number): Promise<Float64Array> => {
    const inputs: Record<string, DecodedTensor> = {};
    for (const s of layout.slots) inputs[s.input] = slotTensor(s, layout, rows, n);
    const { outputs } = await model.run(inputs, fetch);
    calls++;
    total += n;
    if (plan.task === 'regression') {
      width = 1;
      names = [plan.output];
      return regressionBatch(plan, outputs, n);
    }
    transform ??= resolveTransform(plan, outputs, n);
    const data = outputs[plan.scoreOutput!]!.data as ArrayLike<number>;
    const cols = n > 0 ? data.length / n : 0;
    if (width === 0) {
      width = cols === 1 ? 2 : cols;
      names = [...classSpace(plan.classLabels, width, model.file).names];
    }
    if (!Number.isInteger(cols) || (cols === 1 ? 2 : cols) !== width) {
      throw new ExplainError('unsupported', `output '${plan.scoreOutput}' gave ${data.length} values for ${n} rows; expected ${width === 2 ? '1 or 2' : width} per row`);
    }
    return probabilities(data, n, cols, transform);
  };

  return {
    task: plan.task,
    get width() {
      return width;
    },
    get names() {
      return names;
    },
    get describe() {
      if (plan.task === 'regression') return `regression value from output '${plan.output}'`;
      const how = transform === 'softmax' ? 'logits → softmax' : transform === 'sigmoid' ? 'score → sigmoid' : 'probabilities as given';
      const zip = model.zipmap.length ? ` (ZipMap '${model.zipmap[0]!.removedOutput}' read as '${model.zipmap[0]!.probabilities}')` : '';
      return `class probabilities from output '${plan.scoreOutput}'${zip}: ${how}`;
    },
    get calls() {
      return calls;
    },
    get rows() {
      return total;
    },
    async evaluate(rows, n) {
      if (fixed === undefined || n === fixed) return once(rows, n);
      // The model fixes its batch size: run in chunks of exactly that many rows, padding the last with row 0.
      const D = layout.width;
      let out: Float64Array | null = null;
      const chunk = allocBuffer(rows instanceof Float32Array ? 'f32' : 'f64', fixed * D);
      for (let start = 0; start < n; start += fixed) {
        const m = Math.min(fixed, n - start);
        chunk.set(rows.subarray(start * D, (start + m) * D));
        for (let r = m; r < fixed; r++) chunk.copyWithin(r * D, 0, D);
        const part = await once(chunk, fixed);
        out ??= new Float64Array(n * width);
        out.set(part.subarray(0, m * width), start * width);
      }
      return out ?? new Float64Array(0);
    },
  };
}

/**
 * Class probabilities of n rows as evaluation reads them (see classBatch in evaluate/outputs.ts): K ≥ 2 columns
 * as given or through a softmax; one column as p (or sigmoid(score)) → [1 − p, p]. Float64, one pass.
 */
function probabilities(data: ArrayLike<number>, n: number, cols: number, transform: Exclude<ScoreTransform, 'auto'>): Float64Array {
  if (cols === 1) {
    const out = new Float64Array(n * 2);
    for (let r = 0; r < n; r++) {
      const v = data[r]!;
      const p = transform === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : v;
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
    }
    return out;
  }
  const out = new Float64Array(n * cols);
  if (transform !== 'softmax') {
    for (let i = 0; i < n * cols; i++) out[i] = data[i]!;
  } else if (cols === 2) {
    for (let r = 0; r < n; r++) {
      const p1 = 1 / (1 + Math.exp(data[2 * r]! - data[2 * r + 1]!));
      out[2 * r] = 1 - p1;
      out[2 * r + 1] = p1;
    }
  } else {
    for (let r = 0, o = 0; r < n; r++, o += cols) {
      let max = -Infinity;
      for (let c = 0; c < cols; c++) max = Math.max(max, data[o + c]!);
      let s = 0;
      for (let c = 0; c < cols; c++) s += out[o + c] = Math.exp(data[o + c]! - max);
      for (let c = 0; c < cols; c++) out[o + c]! /= s;
    }
  }
  return out;
}

/** One input's tensor for n composite rows: a view when the buffer already has the input's layout and type. */
function slotTensor(s: FeedSlot, layout: RowLayout, rows: RowBuffer, n: number): DecodedTensor {
  const dims = [n, ...s.rowShape];
  const size = n * s.size;
  const single = layout.slots.length === 1;
  if (single && (((s.dataType === DataType.FLOAT || s.dataType === DataType.FLOAT16) && rows instanceof Float32Array) || (s.dataType === DataType.DOUBLE && rows instanceof Float64Array))) {
    return { name: s.input, dataType: s.dataType, dims, size, values: rows.subarray(0, size) };
  }
  const values = allocateValues(s.dataType, size);
  const D = layout.width;
  for (let r = 0; r < n; r++) {
    const src = r * D + s.offset;
    const dst = r * s.size;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let k = 0; k < s.size; k++) values[dst + k] = BigInt(Math.trunc(rows[src + k]!));
    } else {
      const out = values as Exclude<TensorValues, BigInt64Array | BigUint64Array | string[]>;
      if (s.dataType === DataType.BOOL) for (let k = 0; k < s.size; k++) out[dst + k] = rows[src + k]! !== 0 ? 1 : 0;
      else for (let k = 0; k < s.size; k++) out[dst + k] = rows[src + k]!;
    }
  }
  return { name: s.input, dataType: s.dataType, dims, size, values };
}

