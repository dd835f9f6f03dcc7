/**
 * A column's values as the drift tests see them, missing values (NaN, ±inf, empty cells) already dropped, as
 * Evidently drops them: a numerical column's values sorted ascending, or a categorical column's counts per value.
 */

export type CategoryKey = string | number;

export interface ColumnSample {
  /** Number of values (missing ones dropped). */
  readonly n: number;
  /** The values, ascending (number columns only). */
  readonly values?: Float64Array;
  /** Count per distinct value (text columns; for number columns, built from `values` on first use). */
  counts(): ReadonlyMap<CategoryKey, number>;
}

export function numberSample(sorted: Float64Array): ColumnSample {
  let counts: Map<CategoryKey, number> | undefined;
  return {
    n: sorted.length,
    values: sorted,
    counts() {
      if (!counts) {
        counts = new Map();
        for (let i = 0; i < sorted.length; ) {
          let j = i + 1;
          while (j < sorted.length && sorted[j] === sorted[i]) j++;
          counts.set(sorted[i]!, j - i);
          i = j;
        }
      }
      return counts;
    },
  };
}

export function countSample(counts: ReadonlyMap<CategoryKey, number>): ColumnSample {
  let n = 0;
  for (const c of counts.values()) n += c;
  return { n, counts: () => counts };
}

/** Distinct values of one sample. */
export function distinctCount(s: ColumnSample): number {
  const v = s.values;
  if (!v) return s.counts().size;
  let d = v.length > 0 ? 1 : 0;
  for (let i = 1; i < v.length; i++) if (v[i] !== v[i - 1]) d++;
  return d;
}

/** Distinct values over both samples (pandas' nunique of the concatenation). */
export function distinctUnion(a: ColumnSample, b: ColumnSample): number {
  if (a.values && b.values) {
    const x = a.values;
    const y = b.values;
    let i = 0;
    let j = 0;
    let d = 0;
    while (i < x.length || j < y.length) {
      const v = i < x.length && (j >= y.length || x[i]! <= y[j]!) ? x[i]! : y[j]!;
      while (i < x.length && x[i] === v) i++;
      while (j < y.length && y[j] === v) j++;
      d++;
    }
    return d;
  }
  return unionKeys(a, b).length;
}

/** The distinct values of both samples (every key once). */
export function unionKeys(a: ColumnSample, b: ColumnSample): CategoryKey[] {
  const keys = new Set<CategoryKey>(a.counts().keys());
  for (const k of b.counts().keys()) keys.add(k);
  return [...keys];
}

/** Python's ordering of a list of keys of one type: numbers by value, strings by code point. */
export function sortKeys(keys: CategoryKey[]): CategoryKey[] {
  return keys.sort((p, q) => (typeof p === 'number' && typeof q === 'number' ? p - q : String(p) < String(q) ? -1 : String(p) > String(q) ? 1 : 0));
}

/** Merges two ascending arrays. */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Number of values ≤ x in an ascending array (numpy searchsorted side='right'). */
export function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values < x in an ascending array (numpy searchsorted side='left'). */
export function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Population standard deviation (numpy's np.std, ddof 0). */
export function std(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}
