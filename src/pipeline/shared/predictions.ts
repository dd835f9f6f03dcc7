/**
 * From a batch of model outputs to per-row predictions, as evaluation and batch inference (`predict`) both read
 * them: which outputs to fetch, the output plan of a prepared model (ZipMap labels, an image folder's classes),
 * the predicted class (argmax of the scores, or the model's label output mapped to the classes, one-hot scores),
 * and the plan lines that say how the outputs were read.
 */
import type { ValueSummary } from '../../core/report-types';
import { classSpace, type ClassSpace } from './class-space';
import { planOutputs, rawLabelsOf, regressionBatch, resolveTransform, scoreClasses, writeProba, type BatchOutput, type OutputPlan, type ScoreTransform, type Task } from './outputs';
import type { ZipMapRewrite } from './zipmap';

/** What the output plan needs of a prepared model (a local session or a remote endpoint). */
export interface ModelOutputs {
  readonly outputs: readonly ValueSummary[];
  readonly zipmap: readonly ZipMapRewrite[];
  /** Classes of the score output declared other than by a ZipMap (a served model's metadata). */
  readonly classLabels?: readonly (string | number)[];
}

/** The outputs a plan reads. */
export function fetchList(plan: OutputPlan): string[] {
  if (plan.task === 'regression') return [plan.output];
  return [plan.scoreOutput, plan.labelOutput].filter((x): x is string => x !== null && x !== undefined);
}

/** The output plan of a prepared model: the classes are the ZipMap's labels, else the data's (image folders). */
export function modelOutputPlan(model: ModelOutputs, task: Task | 'auto' | undefined, dataClassNames: readonly string[] | undefined): OutputPlan {
  const declared = model.zipmap[0]?.classLabels ?? model.classLabels ?? dataClassNames ?? null;
  return planOutputs(model.outputs, { task, classLabels: declared, probaOutput: model.zipmap[0]?.probabilities });
}

/** The index of the largest score of each row of an n×K matrix (the first on ties). */
export function argmaxRows(proba: Float32Array, n: number, k: number): Int32Array {
  const predicted = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[r * k + c]! > proba[r * k + best]!) best = c;
    predicted[r] = best;
  }
  return predicted;
}

/** A label-only classifier's labels as class indices (−1: not a class) and one-hot scores. */
export function labelsAsScores(rawLabels: readonly (string | number)[], space: ClassSpace): { predicted: Int32Array; proba: Float32Array } {
  const n = rawLabels.length;
  const k = space.names.length;
  const predicted = Int32Array.from(rawLabels, (l) => space.index.get(String(l)) ?? -1);
  const proba = new Float32Array(n * k);
  for (let r = 0; r < n; r++) if (predicted[r]! >= 0) proba[r * k + predicted[r]!] = 1;
  return { predicted, proba };
}

export const LABELS_ONLY_WARNING = 'the model gives predicted labels only; probability metrics (log loss, ROC AUC) use one-hot scores';

/** How the outputs were read, for the plan lines of a report. */
export function describeOutputs(o: OutputPlan, m: ModelOutputs, transform: Exclude<ScoreTransform, 'auto'> | null): string[] {
  const lines: string[] = [];
  if (m.zipmap.length) lines.push(`ZipMap output '${m.zipmap[0]!.removedOutput}' read as the probability tensor '${m.zipmap[0]!.probabilities}'`);
  if (o.task === 'regression') lines.push(`task regression: prediction from output '${o.output}'`);
  else {
    const how = transform === 'softmax' ? 'logits → softmax' : transform === 'sigmoid' ? 'score → sigmoid' : 'probabilities as given';
    lines.push(`task classification: scores from ${o.scoreOutput ? `output '${o.scoreOutput}' (${how})` : `label output '${o.labelOutput}'`}`);
  }
  return lines;
}

/** One batch's predictions. */
export type BatchPredictions =
  | { readonly task: 'regression'; readonly rows: number; readonly values: Float64Array }
  | {
      readonly task: 'classification';
      readonly rows: number;
      /** rows × classes scores (probabilities; one-hot for a label-only model). */
      readonly proba: Float32Array;
      /** Class index per row (−1 when a label-only model gave a label that is no class). */
      readonly predicted: Int32Array;
    };

/**
 * Reads batch after batch of one model's outputs into predictions (the score transform is decided on the first
 * batch and kept, as evaluation does); `space` is known after the first classification batch.
 */
export class BatchPredictor {
  private resolved: Exclude<ScoreTransform, 'auto'> | null = null;
  private classes: ClassSpace | null = null;
  private labelsOnly = false;

  constructor(
    readonly plan: OutputPlan,
    /** The model file, for error messages. */
    private readonly file: string,
    private readonly dataClassNames?: readonly string[],
  ) {}

  get transform(): Exclude<ScoreTransform, 'auto'> | null {
    return this.resolved;
  }
  get space(): ClassSpace | null {
    return this.classes;
  }
  /** Whether the scores are one-hot labels (the model has no score output). */
  get oneHot(): boolean {
    return this.labelsOnly;
  }

  read(outputs: Readonly<Record<string, BatchOutput>>, rows: number): BatchPredictions {
    const plan = this.plan;
    if (plan.task === 'regression') return { task: 'regression', rows, values: regressionBatch(plan, outputs, rows) };
    this.resolved ??= resolveTransform(plan, outputs, rows);
    const k = scoreClasses(plan, outputs, rows);
    if (plan.scoreOutput) {
      this.classes ??= classSpace(plan.classLabels ?? this.dataClassNames ?? null, k, this.file);
      const proba = new Float32Array(rows * k);
      writeProba(plan, this.resolved, outputs, rows, proba);
      return { task: 'classification', rows, proba, predicted: argmaxRows(proba, rows, k) };
    }
    this.labelsOnly = true;
    this.classes ??= classSpace(plan.classLabels ?? this.dataClassNames ?? null, null, this.file);
    return { task: 'classification', rows, ...labelsAsScores(rawLabelsOf(plan, outputs) ?? [], this.classes) };
  }
}
