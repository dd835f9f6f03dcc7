/**
 * `drift`: per-column data drift of a current data set against a reference, as Evidently's DataDriftPreset decides
 * it. Each column is typed (numerical / categorical), tested by the test Evidently would choose (or the one asked
 * for), and the data set drifts when the share of drifted columns reaches `driftShare`.
 *
 * Default test (n = the reference's non-missing values, distinct = over both files):
 *   n ≤ 1000: numerical with > 5 distinct → ks; categorical, or numerical with 3–5 distinct → chisquare; ≤ 2 → z.
 *   n > 1000: numerical with > 5 distinct → wasserstein; otherwise → jensenshannon.
 */
import * as path from 'node:path';
import type { ColumnDrift, ColumnKind, DriftParams, DriftResult, StatTestName } from '../../protocol/drift';
import { STAT_TESTS } from '../../protocol/drift';
import { openDataset, type DatasetSource } from '../data';
import type { OperationContext } from '../operation';
import { DriftError } from './errors';
import { writeDriftHtml } from './html';
import { asTextCounts, readColumns, tensorPartName, type TensorPart } from './read';
import { distinctUnion, type ColumnSample } from './samples';
import { STAT_TEST_TABLE } from './stattests';

export const DEFAULT_DRIFT_SHARE = 0.5;
/** A number column with at most this many distinct values (both files) is categorical unless told otherwise. */
export const CATEGORICAL_MAX_DISTINCT = 2;
/** A tensor column with at most this many values per row is read as one number column per position. */
export const MAX_TENSOR_PARTS = 1000;

/** Evidently's default test for a column. */
export function defaultStatTest(ref: ColumnSample, cur: ColumnSample, kind: ColumnKind): StatTestName {
  const distinct = distinctUnion(ref, cur);
  if (ref.n <= 1000) {
    if (kind === 'numerical' && distinct > 5) return 'ks';
    return distinct > 2 ? 'chisquare' : 'z';
  }
  return kind === 'numerical' && distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

/** The column's kind: as told, else text (and booleans read as text) categorical, numbers with ≤ 2 distinct values categorical. */
export function inferKind(ref: ColumnSample, cur: ColumnSample): ColumnKind {
  if (!ref.values || !cur.values) return 'categorical';
  return distinctUnion(ref, cur) <= CATEGORICAL_MAX_DISTINCT ? 'categorical' : 'numerical';
}

function checkOptions(params: DriftParams): void {
  const bad = (message: string): DriftError => new DriftError(params.current, 'bad-option', message);
  if (params.threshold !== undefined && !Number.isFinite(params.threshold)) throw bad(`threshold must be a number, got ${params.threshold}`);
  const share = params.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!(share > 0 && share <= 1)) throw bad(`driftShare must be in (0, 1], got ${share}`);
  const tests = [params.stattest, ...Object.values(params.columnStattests ?? {})];
  for (const t of tests) if (t !== undefined && t !== 'auto' && !(STAT_TESTS as readonly string[]).includes(t)) throw bad(`unknown stattest "${t}" (one of auto, ${STAT_TESTS.join(', ')})`);
  const both = (params.categorical ?? []).filter((c) => (params.numerical ?? []).includes(c));
  if (both.length > 0) throw bad(`column ${both.map((c) => `"${c}"`).join(', ')} cannot be both categorical and numerical`);
}

/** The columns both files must hold: the ones asked for, else all of each file's columns (less the excluded). */
function selectColumns(params: DriftParams, ref: DatasetSource, cur: DatasetSource): string[] {
  const excluded = new Set(params.excludeColumns ?? []);
  for (const [src, other] of [
    [ref, cur],
    [cur, ref],
  ] as const) {
    const named = [...(params.columns ?? []), ...(params.categorical ?? []), ...(params.numerical ?? []), ...Object.keys(params.columnStattests ?? {}), ...Object.keys(params.columnThresholds ?? {}), ...excluded];
    const missing = [...new Set(named)].filter((c) => !src.columns.includes(c) && !tensorPartOf(src, c) && !(excluded.has(c) && other.columns.includes(c)));
    if (missing.length > 0) throw new DriftError(src.file, 'missing-column', `no column ${missing.map((c) => `"${c}"`).join(', ')} (its columns: ${src.columns.join(', ')})`);
  }
  if (params.columns && params.columns.length > 0) return params.columns.filter((c) => !excluded.has(c));
  for (const [src, other] of [
    [cur, ref],
    [ref, cur],
  ] as const) {
    const missing = other.columns.filter((c) => !excluded.has(c) && !src.columns.includes(c));
    if (missing.length > 0) {
      throw new DriftError(
        src.file,
        'column-mismatch',
        `${missing.length === 1 ? 'column' : 'columns'} ${missing.map((c) => `"${c}"`).join(', ')} of ${other.file} ${missing.length === 1 ? 'is' : 'are'} missing here; both files need the same columns (or name the ones to compare with --columns, or leave some out with --exclude)`,
      );
    }
  }
  return ref.columns.filter((c) => !excluded.has(c));
}

/** The columns to read: a tensor column holding a list of numbers per row becomes one column per position (`X[0]` …). */
function expandTensors(selected: readonly string[], ref: DatasetSource, cur: DatasetSource, excluded: ReadonlySet<string>, warnings: string[]): { columns: string[]; parts: Map<string, TensorPart> } {
  const columns: string[] = [];
  const parts = new Map<string, TensorPart>();
  for (const c of selected) {
    const part = tensorPartOf(ref, c);
    if (part && !ref.columns.includes(c)) {
      const width = ref.tensorShapes.get(part.tensor)![0]!;
      if (cur.tensorShapes.get(part.tensor)?.[0] !== width) throw new DriftError(cur.file, 'column-mismatch', `column "${part.tensor}" holds ${cur.tensorShapes.get(part.tensor)?.[0] ?? 'no'} values per row here and ${width} in ${ref.file}`);
      parts.set(c, { tensor: part.tensor, index: part.index, width });
      columns.push(c);
      continue;
    }
    if (ref.kinds.get(c) !== 'tensor' && cur.kinds.get(c) !== 'tensor') {
      columns.push(c);
      continue;
    }
    const shapes = [ref, cur].map((s) => (s.kinds.get(c) === 'tensor' ? s.tensorShapes.get(c) : undefined));
    const [a, b] = shapes;
    if (!a || !b || a.length !== 1 || b.length !== 1 || a[0] !== b[0] || a[0]! > MAX_TENSOR_PARTS) {
      warnings.push(`column "${c}" holds ${a && b ? `arrays of shape [${a.join(', ')}] and [${b.join(', ')}]` : 'arrays in one file only'}; only a list of up to ${MAX_TENSOR_PARTS} numbers per row, the same length in both files, is read as one column per position; not checked`);
      continue;
    }
    for (let i = 0; i < a[0]!; i++) {
      const name = tensorPartName(c, i);
      if (excluded.has(name)) continue;
      parts.set(name, { tensor: c, index: i, width: a[0]! });
      columns.push(name);
    }
  }
  return { columns, parts };
}

/** Compares `current` with `reference`, column by column. */
export async function drift(params: DriftParams, ctx: OperationContext = {}): Promise<DriftResult> {
  checkOptions(params);
  ctx.onProgress?.({ message: 'Opening the reference and current data' });
  const ref = await openDataset(params.reference);
  const cur = await openDataset(params.current);
  const warnings: string[] = [];
  const { columns, parts } = expandTensors(selectColumns(params, ref, cur), ref, cur, new Set(params.excludeColumns ?? []), warnings);
  for (const c of params.numerical ?? []) {
    for (const src of [ref, cur]) if (src.kinds.get(c) === 'text') throw new DriftError(src.file, 'bad-option', `column "${c}" holds text, so it cannot be numerical`);
  }
  const refData = await readColumns(ref, columns, ctx, 'reference', parts);
  const curData = await readColumns(cur, columns, ctx, 'current', parts);

  const results: ColumnDrift[] = [];
  for (const c of columns) {
    const out = compareColumn(params, c, refData.samples.get(c)!, curData.samples.get(c)!, { reference: ref.file, current: cur.file }, warnings, {
      reference: refData.missing.get(c) ?? 0,
      current: curData.missing.get(c) ?? 0,
    });
    if (out) results.push(out);
  }
  if (results.length === 0) throw new DriftError(params.current, 'no-columns', `no column to compare${warnings.length ? ` (${warnings.join('; ')})` : ''}`);
  const drifted = results.filter((x) => x.drift).length;
  const driftShare = params.driftShare ?? DEFAULT_DRIFT_SHARE;
  const share = drifted / results.length;
  const result: DriftResult = {
    reference: params.reference,
    current: params.current,
    dataset_drift: share >= driftShare,
    drift_share: driftShare,
    drifted_columns: drifted,
    share_of_drifted_columns: share,
    n_columns: results.length,
    n_reference: refData.rows,
    n_current: curData.rows,
    columns: results,
    warnings: [...ref.notes.map((n) => `${ref.file}: ${n}`), ...cur.notes.map((n) => `${cur.file}: ${n}`), ...warnings],
  };
  if (params.html === undefined) return result;
  await writeDriftHtml(result, params.html);
  return { ...result, html: path.resolve(params.html) };
}

/**
 * One column's test: its kind (asked for, or inferred over both samples), the test (asked for, or Evidently's
 * choice), the threshold and the verdict. Null (and a warning) when a sample is empty. Shared by `drift` (whole
 * files) and `monitor` (each chunk against the reference).
 */
export function compareColumn(
  params: Pick<DriftParams, 'current' | 'categorical' | 'numerical' | 'stattest' | 'columnStattests' | 'threshold' | 'columnThresholds'>,
  c: string,
  reference: ColumnSample,
  current: ColumnSample,
  files: { readonly reference: string; readonly current: string },
  warnings: string[],
  missing: { readonly reference: number; readonly current: number } = { reference: 0, current: 0 },
  /** The kind and test decided before (monitor: once on all rows, then kept for every chunk). */
  decided?: { readonly kind: ColumnKind; readonly stattest: StatTestName },
): ColumnDrift | null {
  let r = reference;
  let k = current;
  const empty = [r.n === 0 ? files.reference : undefined, k.n === 0 ? files.current : undefined].filter((f): f is string => f !== undefined);
  if (empty.length > 0) {
    warnings.push(`column "${c}": no values in ${empty.join(' and ')} (every cell is empty or NaN); not checked`);
    return null;
  }
  if (!r.values !== !k.values) {
    warnings.push(`column "${c}" holds numbers in ${r.values ? files.reference : files.current} and text in ${r.values ? files.current : files.reference}; compared as categories (numbers by their text)`);
    if (r.values) r = asTextCounts(r);
    if (k.values) k = asTextCounts(k);
  }
  const kind: ColumnKind = decided?.kind ?? ((params.categorical ?? []).includes(c) ? 'categorical' : (params.numerical ?? []).includes(c) ? 'numerical' : inferKind(r, k));
  const dropped = missing.reference + missing.current;
  if (dropped > 0) warnings.push(`column "${c}": ${dropped} empty, NaN or infinite cells left out (reference ${missing.reference}, current ${missing.current})`);
  const name = decided?.stattest ?? chooseTest(params, c, r, k, kind, warnings);
  const test = STAT_TEST_TABLE[name];
  const threshold = params.columnThresholds?.[c] ?? params.threshold ?? test.defaultThreshold;
  const out = test.run(r, k, kind, threshold);
  if (out.note) warnings.push(`column "${c}" (${name}): ${out.note}`);
  // JSON has no Infinity: an infinite statistic (χ² of a value the reference never holds, KL of an empty bin) is null, and said.
  const statistic = out.statistic !== null && Number.isFinite(out.statistic) ? out.statistic : null;
  if (out.statistic !== null && statistic === null) warnings.push(`column "${c}" (${name}): the statistic is infinite (the current data holds values the reference never does)`);
  return { name: c, kind, stattest: name, statistic, p_value: out.pValue, threshold, drift: out.drift };
}

/** `X[3]` of a tensor column X holding a list of numbers per row (3 within it). */
function tensorPartOf(src: DatasetSource, name: string): { tensor: string; index: number } | undefined {
  const m = /^(.*)\[(\d+)\]$/.exec(name);
  if (!m || src.kinds.get(m[1]!) !== 'tensor') return undefined;
  const shape = src.tensorShapes.get(m[1]!);
  const index = Number(m[2]);
  return shape && shape.length === 1 && index < shape[0]! ? { tensor: m[1]!, index } : undefined;
}

function chooseTest(params: Pick<DriftParams, 'current' | 'stattest' | 'columnStattests'>, column: string, ref: ColumnSample, cur: ColumnSample, kind: ColumnKind, warnings: string[]): StatTestName {
  const explicit = params.columnStattests?.[column];
  if (explicit !== undefined) {
    const why = unfit(explicit, ref, cur, kind);
    if (why) throw new DriftError(params.current, 'bad-test', `the ${explicit} test cannot check column "${column}": ${why}`);
    return explicit;
  }
  const global = params.stattest;
  if (global !== undefined && global !== 'auto') {
    const why = unfit(global, ref, cur, kind);
    if (!why) return global;
    const fallback = defaultStatTest(ref, cur, kind);
    warnings.push(`column "${column}": ${global} does not apply (${why}); ${fallback} used`);
    return fallback;
  }
  return defaultStatTest(ref, cur, kind);
}

function unfit(name: StatTestName, ref: ColumnSample, cur: ColumnSample, kind: ColumnKind): string | undefined {
  const test = STAT_TEST_TABLE[name];
  if (!test.kinds.includes(kind)) return `it is for ${test.kinds.join(' or ')} columns and this one is ${kind}`;
  if (test.needsValues && (!ref.values || !cur.values)) return 'it needs numbers and the column holds text';
  return undefined;
}
