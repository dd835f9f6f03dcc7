/**
 * The evaluation data of a pruning run, checked against the model's inputs before anything is pruned: a file that
 * does not fit becomes PruneError('bad-data') naming the file and the problem, and the label column is planned
 * once (a column name, or null for agreement only) for both models' evaluations.
 */
import type { ValueSummary } from '../../core/report-types';
import { isDatasetError, openDataset, planFeatures } from '../data';
import { PruneError } from '../prune-graph/errors';

export interface DataOptions {
  readonly label?: string | null;
  readonly excludeColumns?: readonly string[];
  readonly sensitive?: readonly string[];
}

/** The label column the evaluation will use (null: none, agreement only). */
export async function planEvaluationData(file: string, inputs: readonly ValueSummary[], options: DataOptions): Promise<string | null> {
  try {
    const source = await openDataset(file);
    const plan = planFeatures(source, inputs, { label: options.label, requireLabel: false, excludeColumns: options.excludeColumns, sensitive: options.sensitive });
    return plan.label;
  } catch (e) {
    throw asPruneDataError(e);
  }
}

/** DatasetError → PruneError('bad-data'); anything else unchanged. */
export function asPruneDataError(e: unknown): unknown {
  if (!isDatasetError(e)) return e;
  // The message starts with the data file's path; the error names the file once.
  const message = e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message;
  return new PruneError('bad-data', `evaluation data does not fit the model: ${message}`, e.file);
}
