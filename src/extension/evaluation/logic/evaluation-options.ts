/**
 * What the Evaluation commands send to the worker: the `ptp.evaluation.*` settings, the choices made in the
 * pickers (or passed by a script as an arguments object) and the runtime settings, turned into
 * EvaluateParams / CompareParams / BenchParams. No vscode: unit tested on plain Node.
 */
import type { BenchParams, CompareParams, EvaluateParams, EvaluationTask } from '../../../protocol/evaluate';
import type { RuntimeOptions } from '../../../protocol/worker';
import { CommandArgumentsError } from '../../shared/logic/command-args';
import type { EvaluationSettings } from '../../config/logic/ptp-settings';

/** The choices of Evaluate Model… (pickers or arguments object). */
export interface EvaluateChoices {
  /** Absolute path of the data file or image folder. */
  readonly data: string;
  /** undefined: auto-detect; null: no labels (predictions only). */
  readonly label?: string | null;
  readonly task?: EvaluationTask | 'auto';
  readonly sensitive?: readonly string[];
  readonly excludeColumns?: readonly string[];
  readonly robustness?: boolean;
  readonly positiveClass?: string | number;
  readonly maxRows?: number;
  /** Write per-row predictions (CSV) to this file. */
  readonly outputsFile?: string;
  /** Override the settings for one run. */
  readonly batchSize?: number;
  readonly bootstrap?: number;
}

export interface BenchChoices {
  readonly batchSizes: readonly number[];
  readonly runs?: number;
  readonly warmup?: number;
  readonly threads?: readonly number[];
}

export const DEFAULT_BENCH_BATCH_SIZES: readonly number[] = [1, 8, 32];

export function evaluateParams(model: string, c: EvaluateChoices, settings: EvaluationSettings, runtime: RuntimeOptions): EvaluateParams {
  return {
    model,
    ...sharedParams(c, settings, runtime),
    ...(c.robustness ? { robustness: true } : {}),
    ...(c.outputsFile ? { outputsFile: c.outputsFile } : {}),
  };
}

export function compareParams(models: readonly string[], c: EvaluateChoices, settings: EvaluationSettings, runtime: RuntimeOptions): CompareParams {
  return { models: [...models], ...sharedParams(c, settings, runtime) };
}

/** What evaluate and compare both take. */
function sharedParams(c: EvaluateChoices, settings: EvaluationSettings, runtime: RuntimeOptions): Omit<CompareParams, 'models'> {
  return {
    data: c.data,
    ...(c.label !== undefined ? { label: c.label } : {}),
    ...(c.task && c.task !== 'auto' ? { task: c.task } : {}),
    ...(c.sensitive?.length ? { sensitive: [...c.sensitive] } : {}),
    ...(c.excludeColumns?.length ? { excludeColumns: [...c.excludeColumns] } : {}),
    ...(c.positiveClass !== undefined ? { positiveClass: c.positiveClass } : {}),
    ...(c.maxRows !== undefined ? { maxRows: c.maxRows } : {}),
    batchSize: c.batchSize ?? settings.batchSize,
    bootstrap: c.bootstrap ?? settings.bootstrap,
    ...runtime,
  };
}

export function benchParams(model: string, c: BenchChoices, runtime: RuntimeOptions): BenchParams {
  return {
    model,
    batchSizes: [...c.batchSizes],
    ...(c.runs !== undefined ? { runs: c.runs } : {}),
    ...(c.warmup !== undefined ? { warmup: c.warmup } : {}),
    ...(c.threads?.length ? { threads: [...c.threads] } : {}),
    ...runtime,
  };
}

/**
 * `{ data, label?, task?, sensitive?, robustness?, excludeColumns?, positiveClass?, maxRows?, batchSize?, bootstrap? }`
 * → EvaluateChoices; `data` must be an absolute path (`isAbsolute` decides for the host's platform). `exclude` is still
 * accepted as the former name of `excludeColumns` (giving both is an error).
 */
export function parseEvaluateArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): EvaluateChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const data = x.data;
  if (typeof data !== 'string' || !isAbsolute(data)) fail(`"data" must be the absolute path of a data file or image folder, got ${JSON.stringify(data)}`);
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null, got ${JSON.stringify(label)}`);
  const task = x.task;
  if (task !== undefined && task !== 'auto' && task !== 'classification' && task !== 'regression') {
    fail(`"task" must be "auto", "classification" or "regression", got ${JSON.stringify(task)}`);
  }
  const strings = (key: string): string[] | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(`"${key}" must be an array of column names`);
    return v as string[];
  };
  const int = (key: string, min: number): number | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`"${key}" must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  if (x.exclude !== undefined && x.excludeColumns !== undefined) fail(`give "excludeColumns" or its former name "exclude", not both`);
  const excludeColumns = strings('excludeColumns') ?? strings('exclude');
  const robustness = x.robustness;
  if (robustness !== undefined && typeof robustness !== 'boolean') fail(`"robustness" must be true or false`);
  const positive = x.positiveClass;
  if (positive !== undefined && typeof positive !== 'string' && typeof positive !== 'number') fail(`"positiveClass" must be a class name or index`);
  const outputsFile = x.outputsFile;
  if (outputsFile !== undefined && (typeof outputsFile !== 'string' || !isAbsolute(outputsFile))) fail(`"outputsFile" must be an absolute path`);
  return {
    data: data as string,
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...(task !== undefined ? { task: task as EvaluateChoices['task'] } : {}),
    ...optional('sensitive', strings('sensitive')),
    ...optional('excludeColumns', excludeColumns),
    ...(robustness !== undefined ? { robustness: robustness as boolean } : {}),
    ...(positive !== undefined ? { positiveClass: positive as string | number } : {}),
    ...optional('maxRows', int('maxRows', 1)),
    ...optional('batchSize', int('batchSize', 1)),
    ...optional('bootstrap', int('bootstrap', 0)),
    ...(outputsFile !== undefined ? { outputsFile: outputsFile as string } : {}),
  };
}

/** `{ batchSizes?, runs?, warmup?, threads? }` → BenchChoices (batch sizes default to 1, 8, 32). */
export function parseBenchArgs(command: string, x: Record<string, unknown>): BenchChoices {
  const ints = (key: string, min: number): number[] | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0 || v.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < min)) {
      throw new CommandArgumentsError(command, `"${key}" must be a non-empty array of integers ≥ ${min}`);
    }
    return v as number[];
  };
  const int = (key: string, min: number): number | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new CommandArgumentsError(command, `"${key}" must be an integer ≥ ${min}`);
    return v;
  };
  return {
    batchSizes: ints('batchSizes', 1) ?? DEFAULT_BENCH_BATCH_SIZES,
    ...optional('runs', int('runs', 1)),
    ...optional('warmup', int('warmup', 0)),
    ...optional('threads', ints('threads', 0)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
