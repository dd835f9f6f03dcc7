import { UserError } from '../../core/user-error';
/**
 * Output interpretation: which model output holds the prediction and what it means — logits (softmax
 * applied when rows are not probability distributions), probabilities, a single positive-class probability or
 * score, label + probability outputs as sklearn-onnx writes them (ZipMap removed beforehand, see zipmap.ts),
 * regression outputs [N] or [N,1].
 */
import type { ValueSummary } from '../../core/report-types';

export type Task = 'classification' | 'regression';

/** How raw scores become class probabilities; 'auto' is resolved on the first batch. */
export type ScoreTransform = 'auto' | 'none' | 'softmax' | 'sigmoid';

export type OutputPlan =
  | {
      readonly task: 'classification';
      /** Output with scores: [N,K] (K ≥ 2), or [N]/[N,1] for one positive-class probability/score. */
      readonly scoreOutput: string | null;
      /** Output with predicted labels ([N] ints or strings), e.g. sklearn's `label`. */
      readonly labelOutput: string | null;
      readonly transform: ScoreTransform;
      /** Class labels the model declares (ZipMap / classifier attributes), index = class index. */
      readonly classLabels: readonly (string | number)[] | null;
    }
  | { readonly task: 'regression'; readonly output: string };

/** One output's values for a batch, as the runtime returned them. */
export interface BatchOutput {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number> | ArrayLike<bigint> | readonly string[];
}

export class OutputPlanError extends UserError {
  readonly category = 'OUTPUT_PLAN';
  // Reported to the user as a data problem (tests and messages expect the name); recognised by class, not name.
  override name = 'DatasetError';
}

const isNumericType = (t: string | null): boolean =>
  t !== null && t !== 'STRING' && t !== 'BOOL' && !t.startsWith('map(') && !t.startsWith('seq(');
const isFloatType = (t: string | null): boolean => t === 'FLOAT' || t === 'DOUBLE' || t === 'FLOAT16' || t === 'BFLOAT16';

/** Number of values per row of an output shape (null when unknown or symbolic). */
function perRow(shape: ValueSummary['shape']): number | null {
  if (!shape) return null;
  if (shape.length <= 1) return 1;
  let n = 1;
  for (const d of shape.slice(1)) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/**
 * Chooses the outputs and the task. `task: 'auto'` picks classification when the model has a label output or
 * a score output with ≥ 2 columns, or when the labels look categorical (strings, or few distinct integers);
 * regression when a single float column meets continuous labels.
 */
export function planOutputs(
  outputs: readonly ValueSummary[],
  options: { task?: Task | 'auto'; labels?: ArrayLike<number> | readonly string[]; classLabels?: readonly (string | number)[] | null; probaOutput?: string },
): OutputPlan {
  const tensors = outputs.filter((o) => o.kind === 'tensor');
  if (tensors.length === 0) {
    throw new OutputPlanError(`the model has no tensor outputs to evaluate (outputs: ${outputs.map((o) => `${o.name} (${o.kind})`).join(', ')})`);
  }
  const scoreCandidates = tensors.filter((o) => isFloatType(o.elem_type));
  const wide = scoreCandidates.filter((o) => (perRow(o.shape) ?? 2) >= 2);
  const narrow = scoreCandidates.filter((o) => perRow(o.shape) === 1);
  const labelOutput =
    tensors.find((o) => /label/i.test(o.name) && (o.elem_type === 'INT64' || o.elem_type === 'INT32' || o.elem_type === 'STRING') && perRow(o.shape) === 1)?.name ?? null;

  let task = options.task ?? 'auto';
  if (task === 'auto') task = guessTask(options.labels, wide.length > 0 || labelOutput !== null, narrow.length > 0);

  if (task === 'regression') {
    const out = narrow[0] ?? scoreCandidates[0] ?? tensors.find((o) => isNumericType(o.elem_type));
    if (!out) throw new OutputPlanError('no numeric output for regression');
    return { task, output: out.name };
  }
  const chosen = options.probaOutput ? tensors.find((o) => o.name === options.probaOutput) : undefined;
  if (options.probaOutput && !chosen) {
    throw new OutputPlanError(`output '${options.probaOutput}' not found (outputs: ${tensors.map((o) => o.name).join(', ')})`);
  }
  const score = chosen ?? preferProbabilities(wide) ?? narrow[0] ?? null;
  if (!score && !labelOutput) {
    throw new OutputPlanError(`no output looks like class scores or labels (outputs: ${tensors.map((o) => `${o.name} ${o.elem_type}`).join(', ')})`);
  }
  return { task: 'classification', scoreOutput: score?.name ?? null, labelOutput, transform: 'auto', classLabels: options.classLabels ?? null };
}

function preferProbabilities(wide: readonly ValueSummary[]): ValueSummary | undefined {
  return wide.find((o) => /prob/i.test(o.name)) ?? wide[0];
}

function guessTask(labels: ArrayLike<number> | readonly string[] | undefined, hasClassOutputs: boolean, hasSingleFloat: boolean): Task {
  if (hasClassOutputs) return 'classification';
  if (!labels || labels.length === 0) return hasSingleFloat ? 'regression' : 'classification';
  if (typeof labels[0] === 'string') return 'classification';
  const distinct = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v)) return 'regression';
    distinct.add(v);
    if (distinct.size > 50) return 'regression';
  }
  return hasSingleFloat && distinct.size > 2 ? 'regression' : 'classification';
}

/** Whether every row of an n×k matrix is a probability distribution (within 1e-3). */
export function rowsAreDistributions(values: ArrayLike<number>, n: number, k: number): boolean {
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const v = values[r * k + c]!;
      if (!(v >= -1e-6 && v <= 1 + 1e-6)) return false;
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) return false;
  }
  return true;
}

/** Row-wise softmax (numerically stable), in place into `out`. */
export function softmaxRows(values: ArrayLike<number>, n: number, k: number, out: Float32Array): void {
  for (let r = 0, base = 0; r < n; r++, base += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, values[base + c]!);
    let s = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(values[base + c]! - max);
      out[base + c] = e;
      s += e;
    }
    // Divides the stored (float32) exponentials, as the probabilities have always been computed.
    for (let c = 0; c < k; c++) out[base + c] = out[base + c]! / s;
  }
}

export interface ClassBatch {
  /** n×K probabilities (null when the model only gives labels). */
  readonly proba: Float32Array | null;
  readonly numClasses: number;
  /** Predicted class index per row, or the raw label values when there are no scores. */
  readonly predicted: Int32Array | null;
  readonly rawLabels: readonly (string | number)[] | null;
}

/**
 * Number of classes K the score output gives for `rows` rows (a single score column counts as 2: [1−p, p]);
 * 0 when the plan has no score output.
 */
export function scoreClasses(plan: Extract<OutputPlan, { task: 'classification' }>, outputs: Readonly<Record<string, BatchOutput>>, rows: number): number {
  if (!plan.scoreOutput) return 0;
  const data = outputs[plan.scoreOutput]!.data as ArrayLike<number>;
  const width = rows > 0 ? data.length / rows : 0;
  if (!Number.isInteger(width)) throw new OutputPlanError(`output '${plan.scoreOutput}' has ${data.length} values for ${rows} rows`);
  return width === 1 ? 2 : width;
}

/**
 * Writes one batch's class probabilities (rows × K, K from `scoreClasses`) into `out`. `transform` must be
 * resolved ('auto' → `resolveTransform` on the first batch).
 */
export function writeProba(
  plan: Extract<OutputPlan, { task: 'classification' }>,
  transform: Exclude<ScoreTransform, 'auto'>,
  outputs: Readonly<Record<string, BatchOutput>>,
  rows: number,
  out: Float32Array,
): void {
  const k = scoreClasses(plan, outputs, rows);
  if (k === 0) return;
  const data = outputs[plan.scoreOutput!]!.data as ArrayLike<number>;
  if (data.length === rows) {
    for (let r = 0; r < rows; r++) {
      const v = data[r]!;
      const p = transform === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : v;
      out[r * 2] = 1 - p;
      out[r * 2 + 1] = p;
    }
  } else if (transform === 'softmax') softmaxRows(data, rows, k, out);
  else if (data instanceof Float32Array) out.set(data.subarray(0, rows * k));
  else for (let i = 0; i < rows * k; i++) out[i] = data[i]!;
}

/**
 * Turns one batch of outputs into class probabilities. `transform` must be resolved ('auto' → call
 * `resolveTransform` on the first batch). A single score column becomes [1−p, p].
 */
export function classBatch(
  plan: Extract<OutputPlan, { task: 'classification' }>,
  transform: Exclude<ScoreTransform, 'auto'>,
  outputs: Readonly<Record<string, BatchOutput>>,
  rows: number,
): ClassBatch {
  const k = scoreClasses(plan, outputs, rows);
  let proba: Float32Array | null = null;
  if (plan.scoreOutput) {
    proba = new Float32Array(rows * k);
    writeProba(plan, transform, outputs, rows, proba);
  }
  const rawLabels = rawLabelsOf(plan, outputs);
  let predicted: Int32Array | null = null;
  if (proba) {
    predicted = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[r * k + c]! > proba[r * k + best]!) best = c;
      predicted[r] = best;
    }
  }
  return { proba, numClasses: k, predicted, rawLabels };
}

/** The label output's values (bigints as numbers), or null when the plan has none. */
export function rawLabelsOf(plan: Extract<OutputPlan, { task: 'classification' }>, outputs: Readonly<Record<string, BatchOutput>>): (string | number)[] | null {
  if (!plan.labelOutput || !outputs[plan.labelOutput]) return null;
  const d = outputs[plan.labelOutput]!.data;
  return Array.from(d as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}

/** Resolves 'auto' from the first batch of scores: distributions as they are, a 0..1 column as a probability, else softmax/sigmoid. */
export function resolveTransform(plan: Extract<OutputPlan, { task: 'classification' }>, outputs: Readonly<Record<string, BatchOutput>>, rows: number): Exclude<ScoreTransform, 'auto'> {
  if (plan.transform !== 'auto') return plan.transform;
  if (!plan.scoreOutput || rows === 0) return 'none';
  const data = outputs[plan.scoreOutput]!.data as ArrayLike<number>;
  const k = data.length / rows;
  if (k === 1) {
    for (let i = 0; i < data.length; i++) if (!(data[i]! >= 0 && data[i]! <= 1)) return 'sigmoid';
    return 'none';
  }
  return rowsAreDistributions(data, rows, k) ? 'none' : 'softmax';
}

/** Regression predictions of a batch ([N] or [N,1]). */
export function regressionBatch(plan: Extract<OutputPlan, { task: 'regression' }>, outputs: Readonly<Record<string, BatchOutput>>, rows: number): Float64Array {
  const d = outputs[plan.output]!.data as ArrayLike<number>;
  if (d.length !== rows) throw new OutputPlanError(`output '${plan.output}' has ${d.length} values for ${rows} rows; regression needs one per row`);
  return Float64Array.from(d);
}
