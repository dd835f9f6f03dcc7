/**
 * Teacher vs student: both models' metrics (evaluation pipeline on `evalData`, or the metric functions on the
 * validation rows), how often they agree, their largest output difference, parameters and latency.
 */
import { longToNumber } from '../../core/long';
import type { onnx } from '../../core/proto/onnx';
import type { DistillParams, DistillResult } from '../../protocol/distill';
import { isDatasetError } from '../data';
import { compare } from '../evaluate';
import { classSpace } from '../shared/class-space';
import type { PreparedModel } from '../shared/inference';
import { classificationMetrics, isMetricsError, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from '../evaluate/metrics';
import { classBatch, planOutputs, regressionBatch, resolveTransform } from '../shared/outputs';
import { latencyBoth as latencyPair } from '../evaluate/before-after';
import type { OperationContext } from '../operation';
import { DistillError } from './errors';
import { gatherRows, type TrainingRows } from './rows';
import { runRows, type TeacherHead } from './teacher';

export type Comparison = Pick<DistillResult, 'eval_data' | 'samples' | 'metrics_teacher' | 'metrics_student' | 'agreement' | 'max_abs_diff'> & {
  readonly warnings: readonly string[];
};

/** Both models through the evaluation pipeline on `params.evalData` (label as for training). */
export async function compareOnEvalData(teacher: string, student: string, params: DistillParams, ctx: OperationContext): Promise<Comparison> {
  try {
    const r = await compare(
      {
        models: [teacher, student],
        data: params.evalData!,
        label: params.label,
        excludeColumns: params.excludeColumns,
        bootstrap: 0,
        intraOpNumThreads: params.intraOpNumThreads,
        executionProviders: params.executionProviders,
      },
      ctx,
    );
    const [t, s] = r.evaluations;
    return {
      eval_data: params.evalData!,
      samples: r.samples,
      metrics_teacher: t!.metrics,
      metrics_student: s!.metrics,
      ...(r.task === 'classification' ? { agreement: r.agreement[1]! } : {}),
      max_abs_diff: r.max_abs_diff[1]!,
      warnings: [...new Set([...t!.warnings, ...s!.warnings])],
    };
  } catch (e) {
    if (isDatasetError(e)) throw new DistillError('bad-data', `evaluation data: ${e.message}`);
    throw e;
  }
}

interface Predictions {
  /** n × K class probabilities, or n values. */
  readonly values: Float32Array | Float64Array;
  readonly predicted: Int32Array | null;
  readonly numClasses: number;
}

/** Both models on rows `index` of the training data (the validation rows, or all training rows), scored with the metric functions. */
export async function compareOnRows(
  teacher: PreparedModel,
  student: PreparedModel,
  rows: TrainingRows,
  index: Int32Array,
  head: TeacherHead,
  labels: Int32Array | Float32Array | null,
  which: 'validation' | 'training',
): Promise<Comparison> {
  const sub: TrainingRows = { ...rows, x: gatherRows(rows.x, rows.width, index), count: index.length };
  const t = await predict(teacher, sub, head);
  const s = await predict(student, sub, head);
  const warnings: string[] = [];
  const n = index.length;
  let metricsT: ClassificationMetrics | RegressionMetrics | null = null;
  let metricsS: ClassificationMetrics | RegressionMetrics | null = null;
  let agreement: number | undefined;
  if (labels) {
    try {
      if (head.kind === 'classes') {
        const yTrue = Int32Array.from(index, (r) => labels[r]!);
        const names = [...head.space.names];
        metricsT = classificationMetrics({ yTrue, proba: t.values as Float32Array, numClasses: t.numClasses, classNames: names, yPred: t.predicted! });
        metricsS = classificationMetrics({ yTrue, proba: s.values as Float32Array, numClasses: s.numClasses, classNames: names, yPred: s.predicted! });
      } else {
        const truth = Float64Array.from(index, (r) => labels[r]!);
        metricsT = regressionMetrics(truth, t.values);
        metricsS = regressionMetrics(truth, s.values);
      }
    } catch (e) {
      if (!isMetricsError(e)) throw e;
      warnings.push(`metrics not computed on the validation rows: ${e.message}`);
    }
  }
  if (t.predicted && s.predicted) {
    let same = 0;
    for (let i = 0; i < n; i++) if (t.predicted[i] === s.predicted[i]) same++;
    agreement = same / Math.max(1, n);
  }
  let maxDiff = 0;
  for (let i = 0; i < t.values.length; i++) maxDiff = Math.max(maxDiff, Math.abs(t.values[i]! - s.values[i]!));
  return {
    eval_data: `${which} rows of ${rows.file}`,
    samples: n,
    metrics_teacher: metricsT,
    metrics_student: metricsS,
    ...(agreement !== undefined ? { agreement } : {}),
    max_abs_diff: maxDiff,
    warnings,
  };
}

/** A model's outputs on all rows, read as evaluation reads them (probabilities per class, or values). */
async function predict(model: PreparedModel, rows: TrainingRows, head: TeacherHead): Promise<Predictions> {
  const plan = planOutputs(model.outputs, {
    task: head.kind === 'classes' ? 'classification' : 'regression',
    classLabels: model.zipmap[0]?.classLabels ?? rows.classNames ?? null,
    probaOutput: model.zipmap[0]?.probabilities,
  });
  const fetch = plan.task === 'regression' ? plan.output : plan.scoreOutput;
  if (!fetch) throw new DistillError('bad-teacher', `${model.file} gives no class scores`);
  const out = await runRows(model, rows, 0, rows.count, fetch);
  if (plan.task === 'regression') return { values: regressionBatch(plan, { [fetch]: out }, rows.count), predicted: null, numClasses: 0 };
  const transform = resolveTransform(plan, { [fetch]: out }, rows.count);
  const b = classBatch(plan, transform, { [fetch]: out }, rows.count);
  classSpace(plan.classLabels, b.numClasses, model.file);
  return { values: b.proba!, predicted: b.predicted, numClasses: b.numClasses };
}

/** The teacher's and the student's latency, measured as the quantize and prune reports measure theirs (latencyBoth). */
export async function latencyBoth(
  teacher: string,
  student: string,
  params: DistillParams,
  ctx: OperationContext,
): Promise<Pick<DistillResult, 'latency_teacher' | 'latency_student'>> {
  const { before, after } = await latencyPair(teacher, student, params, ctx);
  return { latency_teacher: { rows: before }, latency_student: { rows: after } };
}

/** Parameters of a model: initializer elements, plus the numbers ai.onnx.ml operators hold in attributes (coefficients, trees). */
export function parameterCount(proto: onnx.ModelProto.$Properties): number {
  let n = 0;
  for (const t of proto.graph?.initializer ?? []) n += (t.dims ?? []).reduce<number>((a, d) => a * longToNumber(d), 1);
  for (const node of proto.graph?.node ?? []) {
    if (node.domain !== 'ai.onnx.ml' || node.opType === 'ZipMap') continue;
    for (const a of node.attribute ?? []) if (/coefficients|intercepts|weights|values|scale|offset/.test(a.name ?? '')) n += (a.floats?.length ?? 0);
  }
  return n;
}
