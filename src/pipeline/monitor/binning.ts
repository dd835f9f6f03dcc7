/**
 * Evidently's binning for the distance tests (`get_binned_data`): a numerical column whose reference holds more
 * than 20 distinct values is cut by histogram edges shared by both samples (numpy's 'sturges' edges of the
 * concatenation); anything else is binned by value. Shares are count / n; `fillZeroes` replaces empty bins by
 * min(non-zero share)/10⁶ when that minimum is ≤ 0.0001, else by 0.0001 (PSI, KL; not Jensen–Shannon).
 */
import type { ColumnKind } from '../../protocol/drift';
import { countAtMost, countBelow, distinctCount, unionKeys, type ColumnSample } from './samples';

/** numpy.histogram_bin_edges(values, bins='sturges') of values spanning [min, max] with `size` values. */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min;
  let last = max;
  const ptp = max - min;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = ptp / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** numpy.histogram counts of ascending values in `edges` (each bin [e_i, e_i+1), the last one closed). */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const out = new Float64Array(bins);
  for (let i = 0; i < bins; i++) {
    const lo = countBelow(sorted, edges[i]!);
    const hi = i === bins - 1 ? countAtMost(sorted, edges[i + 1]!) : countBelow(sorted, edges[i + 1]!);
    out[i] = hi - lo;
  }
  return out;
}

export interface Binned {
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

export function binnedShares(ref: ColumnSample, cur: ColumnSample, kind: ColumnKind, fillZeroes: boolean): Binned {
  let r: Float64Array;
  let c: Float64Array;
  if (kind === 'numerical' && ref.values && cur.values && distinctCount(ref) > 20) {
    const min = Math.min(ref.values[0]!, cur.values[0]!);
    const max = Math.max(ref.values[ref.n - 1]!, cur.values[cur.n - 1]!);
    const edges = sturgesEdges(min, max, ref.n + cur.n);
    r = histogramCounts(ref.values, edges).map((x) => x / ref.n);
    c = histogramCounts(cur.values, edges).map((x) => x / cur.n);
  } else {
    const keys = unionKeys(ref, cur);
    const rc = ref.counts();
    const cc = cur.counts();
    r = Float64Array.from(keys, (k) => (rc.get(k) ?? 0) / ref.n);
    c = Float64Array.from(keys, (k) => (cc.get(k) ?? 0) / cur.n);
  }
  if (fillZeroes) {
    fill(r);
    fill(c);
  }
  return { reference: r, current: c };
}

function fill(p: Float64Array): void {
  let min = Infinity;
  for (const x of p) if (x !== 0 && x < min) min = x;
  if (min === Infinity) return;
  const value = min <= 0.0001 ? min / 1e6 : 0.0001;
  for (let i = 0; i < p.length; i++) if (p[i] === 0) p[i] = value;
}
