/**
 * The closed accuracy loop: the source and the rewritten (quantized, pruned) model evaluated on the same rows by the
 * evaluation pipeline (`compare`: metrics with scikit-learn names, prediction agreement, max |output difference|),
 * and their latency measured the same way (benchModel: same threads, batch sizes, runs and warm-up, one model after
 * the other).
 */
import type { BenchRow, CompareParams, CompareResult } from '../../protocol/evaluate';
import type { QuantizeResult } from '../../protocol/quantize';
import type { RuntimeOptions } from '../../protocol/worker';
import { benchModel, compare } from '.';
import { isDatasetError } from '../data';
import type { OperationContext } from '../operation';

export type Evaluation = Pick<QuantizeResult, 'data' | 'samples' | 'task' | 'metrics_before' | 'metrics_after' | 'agreement' | 'max_abs_diff'> & {
  readonly warnings: readonly string[];
};

/** What evaluateBoth and latencyBoth read of an operation's params (QuantizeParams and PruneParams have these). */
export interface BothParams extends RuntimeOptions {
  readonly data?: string;
  readonly excludeColumns?: readonly string[];
  readonly sensitive?: readonly string[];
  readonly batchSize?: number;
  readonly latency?: false | { readonly batchSizes?: readonly number[]; readonly runs?: number; readonly warmup?: number };
}

/** The calling operation's error for data problems found while reading rows. */
export type DataErrorOf = (message: string) => Error;

/** Evaluates both models on `params.data` (label as planned: a column name, or null for agreement only). */
export async function evaluateBoth(
  source: string,
  output: string,
  params: BothParams,
  label: string | null,
  ctx: OperationContext,
  dataError: DataErrorOf,
): Promise<Evaluation> {
  const r = await compareOrThrow(
    {
      models: [source, output],
      data: params.data!,
      label,
      excludeColumns: params.excludeColumns,
      sensitive: params.sensitive,
      batchSize: params.batchSize,
      bootstrap: 0,
      intraOpNumThreads: params.intraOpNumThreads,
      executionProviders: params.executionProviders,
    },
    ctx,
    dataError,
  );
  const [before, after] = r.evaluations;
  return {
    data: params.data!,
    samples: r.samples,
    task: r.task,
    metrics_before: before!.metrics,
    metrics_after: after!.metrics,
    ...(r.task === 'classification' ? { agreement: r.agreement[1]! } : {}),
    max_abs_diff: r.max_abs_diff[1]!,
    warnings: [...new Set([...before!.warnings, ...after!.warnings])],
  };
}

/** `compare`, with data problems found while reading rows reported as the operation's data error. */
async function compareOrThrow(params: CompareParams, ctx: OperationContext, dataError: DataErrorOf): Promise<CompareResult> {
  try {
    return await compare(params, ctx);
  } catch (e) {
    if (isDatasetError(e)) throw dataError(`evaluation data: ${e.message}`);
    throw e;
  }
}

export interface LatencyPair {
  readonly before: readonly BenchRow[];
  readonly after: readonly BenchRow[];
}

/** benchModel on both models with identical settings (default batch sizes 1 and 32, 20 runs after 3 warm-up runs). */
export async function latencyBoth(source: string, output: string, params: Pick<BothParams, 'latency' | keyof RuntimeOptions>, ctx: OperationContext): Promise<LatencyPair> {
  const o = params.latency === false ? {} : (params.latency ?? {});
  const common = {
    batchSizes: o.batchSizes ?? [1, 32],
    runs: o.runs ?? 20,
    warmup: o.warmup ?? 3,
    threads: [params.intraOpNumThreads ?? 0],
    intraOpNumThreads: params.intraOpNumThreads,
    executionProviders: params.executionProviders,
  };
  const before = await benchModel({ model: source, ...common }, ctx);
  const after = await benchModel({ model: output, ...common }, ctx);
  return { before: before.results, after: after.results };
}

/** The result fields of the evaluation and the latency of both models; a part not measured leaves its fields out. */
export function comparisonFields(
  evaluation: Evaluation | undefined,
  latency: LatencyPair | undefined,
): Partial<Pick<QuantizeResult, 'data' | 'samples' | 'task' | 'metrics_before' | 'metrics_after' | 'agreement' | 'max_abs_diff' | 'latency_before' | 'latency_after'>> {
  return {
    ...(evaluation
      ? {
          data: evaluation.data,
          samples: evaluation.samples,
          task: evaluation.task,
          metrics_before: evaluation.metrics_before,
          metrics_after: evaluation.metrics_after,
          ...(evaluation.agreement !== undefined ? { agreement: evaluation.agreement } : {}),
          ...(evaluation.max_abs_diff !== undefined ? { max_abs_diff: evaluation.max_abs_diff } : {}),
        }
      : {}),
    ...(latency ? { latency_before: { rows: latency.before }, latency_after: { rows: latency.after } } : {}),
  };
}
