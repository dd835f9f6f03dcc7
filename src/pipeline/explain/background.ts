/**
 * The background data of an explanation: a file used as it is, or a seeded sample / k-means summary of a file
 * (the data file by default). Background rows go through the same feature plan as the explained rows; a file
 * whose features differ (missing, extra) is refused, one whose columns are only in another order is reordered.
 */
import type { ExplainBackground } from '../../protocol/explain';
import { DatasetError, openDataset, planFeatures, type DatasetSource, type FeaturePlan, type PlanOptions } from '../data';
import { createRng32 } from '../shared/rng';
import type { ValueSummary } from '../../core/report-types';
import type { OperationContext } from '../operation';
import { ExplainError } from './errors';
import { kmeansSummary } from './kmeans';
import { readRows, rowLayout, type RowLayout } from './rows';

/** shap's advice: more background rows than this make Kernel SHAP slow. */
const LARGE_BACKGROUND = 1000;
/** Rows k-means sees at most (a uniform sample of the file when it is larger). */
const KMEANS_MAX_ROWS = 10_000;
export const DEFAULT_BACKGROUND_SAMPLE = 100;

export interface BackgroundRows {
  /** count × D values in the explained rows' layout. */
  readonly values: Float64Array;
  readonly count: number;
  /** Sum 1. */
  readonly weights: Float64Array;
  readonly how: 'all' | 'sample' | 'kmeans';
  readonly source: string;
  readonly notes: readonly string[];
}

export interface BackgroundContext {
  readonly data: DatasetSource;
  readonly dataPlan: FeaturePlan;
  readonly layout: RowLayout;
  readonly inputs: readonly ValueSummary[];
  readonly planOptions: PlanOptions;
  readonly seed: number;
}

/** Reads (and summarises) the background. */
export async function loadBackground(spec: ExplainBackground | undefined, bc: BackgroundContext, ctx: OperationContext): Promise<BackgroundRows> {
  const s = spec ?? { sample: DEFAULT_BACKGROUND_SAMPLE };
  const file = typeof s === 'string' ? s : (s.file ?? bc.data.file);
  const notes: string[] = [];
  const { source, plan, reorder } = file === bc.data.file ? { source: bc.data, plan: bc.dataPlan, reorder: null } : await otherFile(file, bc);
  const D = bc.layout.width;
  let values: Float64Array;
  let count: number;
  let weights: Float64Array;
  let how: BackgroundRows['how'];
  const layout = rowLayout(plan);
  if (typeof s === 'string') {
    const r = await readRows(source, plan, layout, { kind: 'first', n: Number.MAX_SAFE_INTEGER }, ctx);
    ({ values, count } = r);
    weights = new Float64Array(count).fill(1 / Math.max(count, 1));
    how = 'all';
    if (count > LARGE_BACKGROUND) notes.push(`the background has ${count} rows; every model evaluation is repeated for each — summarise it (sample:N or kmeans:K) for speed`);
  } else if ('sample' in s) {
    const n = positive(s.sample, 'background sample size');
    const r = await readRows(source, plan, layout, { kind: 'sample', n, rng: createRng32(bc.seed) }, ctx);
    ({ values, count } = r);
    weights = new Float64Array(count).fill(1 / Math.max(count, 1));
    how = 'sample';
    if (r.seen <= n) notes.push(`background: all ${r.seen} rows of ${file} (asked for a sample of ${n})`);
  } else {
    const k = positive(s.kmeans, 'background k-means size');
    const r = await readRows(source, plan, layout, { kind: 'sample', n: KMEANS_MAX_ROWS, rng: createRng32(bc.seed) }, ctx);
    if (r.seen > KMEANS_MAX_ROWS) notes.push(`k-means ran on a uniform sample of ${KMEANS_MAX_ROWS} of the ${r.seen} rows of ${file}`);
    const km = kmeansSummary(r.values, r.count, D, k, createRng32(bc.seed + 1));
    values = km.centers;
    count = km.k;
    weights = km.weights;
    how = 'kmeans';
  }
  if (count === 0) throw new DatasetError(file, 'malformed', 'the background holds no rows');
  if (reorder) values = permuteColumns(values, count, reorder);
  return { values, count, weights, how, source: file, notes };
}

function positive(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new ExplainError('invalid-option', `${what} must be a positive integer, got ${n}`);
  return n;
}

/** Opens a separate background file and maps its features onto the data's (same names, maybe another order). */
async function otherFile(file: string, bc: BackgroundContext): Promise<{ source: DatasetSource; plan: FeaturePlan; reorder: Int32Array | null }> {
  const source = await openDataset(file);
  const has = (c: string) => source.columns.includes(c);
  const o = bc.planOptions;
  const plan = planFeatures(source, bc.inputs, {
    label: typeof o.label === 'string' && !has(o.label) ? null : o.label,
    sensitive: (o.sensitive ?? []).filter(has),
    excludeColumns: (o.excludeColumns ?? []).filter(has),
  });
  const names = rowLayout(plan).names;
  const want = bc.layout.names;
  if (names.length === want.length && names.every((n, i) => n === want[i])) return { source, plan, reorder: null };
  const pos = new Map(names.map((n, i) => [n, i]));
  const missing = want.filter((n) => !pos.has(n));
  const extra = names.filter((n) => !want.includes(n));
  if (missing.length || extra.length || pos.size !== names.length) {
    const list = (xs: readonly string[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(', ')}, … (${xs.length})` : xs.join(', '));
    throw new DatasetError(
      file,
      'feature-mismatch',
      `the background's features do not match the data's: ${missing.length ? `missing ${list(missing)}` : ''}${missing.length && extra.length ? '; ' : ''}` +
        `${extra.length ? `extra ${list(extra)}` : ''} (data features: ${list(want)}); exclude the extra columns or use a background with the same columns`,
    );
  }
  return { source, plan, reorder: Int32Array.from(want, (n) => pos.get(n)!) };
}

/** Rows with their columns taken in `order` (new column i = old column order[i]). */
function permuteColumns(values: Float64Array, count: number, order: Int32Array): Float64Array {
  const D = order.length;
  const out = new Float64Array(values.length);
  for (let r = 0; r < count; r++) for (let i = 0; i < D; i++) out[r * D + i] = values[r * D + order[i]!]!;
  return out;
}
