/**
 * What Explain Predictions… asks for (ExplainChoices), from the pickers or from a script's arguments object,
 * and the worker params built from it. Also the row-list syntax of the "rows …" input ("3, 10-12"). No vscode.
 *
 *   executeCommand('ptp.explainModel', uri, { data, rows?, maxRows?, background?, method?, output?, nsamples?,
 *                                             maxEvals?, excludeColumns?, sensitive?, label?, seed? })
 */
import type { ExplainBackground, ExplainMethod, ExplainParams } from '../../../protocol/explain';
import type { RuntimeOptions } from '../../../protocol/worker';
import { CommandArgumentsError } from '../../shared/logic/command-args';

export const EXPLAIN_METHODS: readonly ExplainMethod[] = ['exact', 'kernel', 'permutation', 'occlusion'];
/** Rows explained when nothing else is said (the panel's plots want a few; each row costs model calls). */
export const DEFAULT_EXPLAIN_ROWS = 10;
export const DEFAULT_BACKGROUND_SAMPLE = 100;
export const DEFAULT_KMEANS = 10;
/** Most rows a "rows …" list or "first N" may ask for. */
export const MAX_EXPLAIN_ROWS = 10_000;

export interface ExplainChoices {
  readonly data: string;
  readonly rows?: readonly number[];
  readonly maxRows?: number;
  readonly background?: ExplainBackground;
  /** Undefined = automatic (the pipeline's default). */
  readonly method?: ExplainMethod;
  readonly output?: number | string;
  readonly nsamples?: number;
  readonly maxEvals?: number;
  readonly label?: string | null;
  readonly excludeColumns?: readonly string[];
  readonly sensitive?: readonly string[];
  readonly seed?: number;
}

export function explainParams(model: string, c: ExplainChoices, runtime: RuntimeOptions): ExplainParams {
  return {
    model,
    data: c.data,
    ...runtime,
    ...(c.rows ? { rows: c.rows } : { maxRows: c.maxRows ?? DEFAULT_EXPLAIN_ROWS }),
    ...(c.background !== undefined ? { background: c.background } : {}),
    ...(c.method ? { method: c.method } : {}),
    ...(c.output !== undefined ? { output: c.output } : {}),
    ...(c.nsamples !== undefined ? { nsamples: c.nsamples } : {}),
    ...(c.maxEvals !== undefined ? { maxEvals: c.maxEvals } : {}),
    ...(c.label !== undefined ? { label: c.label } : {}),
    ...(c.excludeColumns?.length ? { excludeColumns: c.excludeColumns } : {}),
    ...(c.sensitive?.length ? { sensitive: c.sensitive } : {}),
    ...(c.seed !== undefined ? { seed: c.seed } : {}),
  };
}

/** "3, 10-12 ,20" → [3, 10, 11, 12, 20] (0-based data rows, order kept, duplicates dropped); throws on bad text. */
export function parseRowList(text: string): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const add = (n: number) => {
    if (!seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  };
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a row number or a range like 10-12`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`the range ${part} runs backwards`);
    if (b - a + 1 + out.length > MAX_EXPLAIN_ROWS) throw new Error(`at most ${MAX_EXPLAIN_ROWS} rows can be explained at once`);
    for (let i = a; i <= b; i++) add(i);
  }
  if (out.length === 0) throw new Error('give at least one row number, e.g. 0, 5, 10-12');
  return out;
}

/** Kernel SHAP's default budget, as the pipeline computes it: 2·M + 2048, capped at 2^M − 2. */
export function defaultNsamples(features: number): number {
  return features < 31 ? Math.min(2 * features + 2048, 2 ** features - 2) : 2 * features + 2048;
}

/** The arguments object of a script or test → ExplainChoices; `data` and file backgrounds must be absolute. */
export function parseExplainArgs(command: string, x: Record<string, unknown>, isAbsolute: (p: string) => boolean): ExplainChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const data = x.data;
  if (typeof data !== 'string' || !isAbsolute(data)) fail(`"data" must be the absolute path of a data file or image folder, got ${JSON.stringify(data)}`);
  const int = (key: string, min: number): number | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`"${key}" must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const strings = (key: string): string[] | undefined => {
    const v = x[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(`"${key}" must be an array of column names`);
    return v as string[];
  };
  const rows = x.rows;
  if (rows !== undefined && (!Array.isArray(rows) || rows.length === 0 || rows.some((r) => typeof r !== 'number' || !Number.isInteger(r) || r < 0))) {
    fail(`"rows" must be a non-empty array of 0-based row indices`);
  }
  const method = x.method;
  if (method !== undefined && method !== 'auto' && !EXPLAIN_METHODS.includes(method as ExplainMethod)) {
    fail(`"method" must be "auto", ${EXPLAIN_METHODS.map((m) => `"${m}"`).join(', ')}, got ${JSON.stringify(method)}`);
  }
  const output = x.output;
  if (output !== undefined && typeof output !== 'string' && !(typeof output === 'number' && Number.isInteger(output) && output >= 0)) {
    fail(`"output" must be a class index, a class name or "all"`);
  }
  const label = x.label;
  if (label !== undefined && label !== null && typeof label !== 'string') fail(`"label" must be a column name or null`);
  if (x.exclude !== undefined && x.excludeColumns !== undefined) fail(`give "excludeColumns" or its former name "exclude", not both`);
  const excludeColumns = strings('excludeColumns') ?? strings('exclude');
  return {
    data: data as string,
    ...(rows !== undefined ? { rows: rows as number[] } : {}),
    ...opt('maxRows', int('maxRows', 1)),
    ...opt('background', parseBackground(x.background, isAbsolute, fail)),
    ...(method !== undefined && method !== 'auto' ? { method: method as ExplainMethod } : {}),
    ...(output !== undefined && output !== 'all' ? { output: output as number | string } : {}),
    ...opt('nsamples', int('nsamples', 1)),
    ...opt('maxEvals', int('maxEvals', 1)),
    ...opt('seed', int('seed', 0)),
    ...(label !== undefined ? { label: label as string | null } : {}),
    ...opt('excludeColumns', excludeColumns),
    ...opt('sensitive', strings('sensitive')),
  };
}

function parseBackground(v: unknown, isAbsolute: (p: string) => boolean, fail: (detail: string) => never): ExplainBackground | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return isAbsolute(v) ? v : fail(`"background" must be an absolute path, { sample: n } or { kmeans: k }`);
  if (typeof v !== 'object' || v === null) return fail(`"background" must be an absolute path, { sample: n } or { kmeans: k }`);
  const o = v as Record<string, unknown>;
  const file = o.file;
  if (file !== undefined && (typeof file !== 'string' || !isAbsolute(file))) fail(`"background.file" must be an absolute path`);
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  const withFile = file !== undefined ? { file: file as string } : {};
  if (count(o.sample)) return { ...withFile, sample: o.sample as number };
  if (count(o.kmeans)) return { ...withFile, kmeans: o.kmeans as number };
  return fail(`"background" needs "sample" or "kmeans" as an integer ≥ 1`);
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
