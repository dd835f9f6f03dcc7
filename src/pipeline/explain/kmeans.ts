/**
 * A k-means summary of background data, as `shap.kmeans` makes it: k centroids (k-means++ seeding, Lloyd
 * iterations, best of several seeded starts), each value then snapped to the nearest value that feature takes in
 * the data (so categorical and integer features keep valid values), weighted by cluster size.
 */
import type { Rng32 } from '../shared/rng';

export interface KMeansSummary {
  /** k × D centroid values, row-major. */
  readonly centers: Float64Array;
  readonly k: number;
  /** Cluster sizes divided by n (sum 1). */
  readonly weights: Float64Array;
}

const MAX_ITER = 100;
const STARTS = 4;

/** Clusters the n × D rows of `x` into at most k groups (k ≥ n: every row is its own centroid). */
export function kmeansSummary(x: Float64Array, n: number, D: number, k: number, rng: Rng32): KMeansSummary {
  if (k >= n) {
    const weights = new Float64Array(n).fill(1 / n);
    return { centers: x.slice(0, n * D), k: n, weights };
  }
  let best: { centers: Float64Array; assign: Int32Array; inertia: number } | null = null;
  for (let s = 0; s < STARTS; s++) {
    const r = lloyd(x, n, D, seedCenters(x, n, D, k, rng));
    if (!best || r.inertia < best.inertia) best = r;
  }
  const { centers, assign } = best!;
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[assign[i]!]!++;
  snapToData(centers, k, x, n, D);
  // Empty clusters (possible after snapping ties) are dropped.
  const keep = Array.from({ length: k }, (_, c) => c).filter((c) => counts[c]! > 0);
  const out = new Float64Array(keep.length * D);
  const weights = new Float64Array(keep.length);
  keep.forEach((c, j) => {
    out.set(centers.subarray(c * D, (c + 1) * D), j * D);
    weights[j] = counts[c]! / n;
  });
  return { centers: out, k: keep.length, weights };
}

function dist2(a: Float64Array, ai: number, b: Float64Array, bi: number, D: number): number {
  let s = 0;
  for (let j = 0; j < D; j++) {
    const d = a[ai + j]! - b[bi + j]!;
    s += d * d;
  }
  return s;
}

/** k-means++: the first center uniformly, each next one with probability ∝ squared distance to the nearest chosen. */
function seedCenters(x: Float64Array, n: number, D: number, k: number, rng: Rng32): Float64Array {
  const centers = new Float64Array(k * D);
  const first = rng.nextBelow(n);
  centers.set(x.subarray(first * D, (first + 1) * D), 0);
  const near = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      near[i] = Math.min(near[i]!, dist2(x, i * D, centers, (c - 1) * D, D));
      total += near[i]!;
    }
    let pick = n - 1;
    if (total > 0) {
      let u = rng.nextFloat() * total;
      for (let i = 0; i < n; i++) {
        u -= near[i]!;
        if (u < 0) {
          pick = i;
          break;
        }
      }
    } else pick = rng.nextBelow(n);
    centers.set(x.subarray(pick * D, (pick + 1) * D), c * D);
  }
  return centers;
}

function lloyd(x: Float64Array, n: number, D: number, centers: Float64Array): { centers: Float64Array; assign: Int32Array; inertia: number } {
  const k = centers.length / D;
  const assign = new Int32Array(n).fill(-1);
  let inertia = Infinity;
  for (let it = 0; it < MAX_ITER; it++) {
    let changed = false;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dist2(x, i * D, centers, c * D, D);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      inertia += bestD;
      if (assign[i] !== best) {
        assign[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    const sums = new Float64Array(k * D);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = assign[i]!;
      counts[c]!++;
      for (let j = 0; j < D; j++) sums[c * D + j]! += x[i * D + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // keep an empty cluster's center where it was
      for (let j = 0; j < D; j++) centers[c * D + j] = sums[c * D + j]! / counts[c]!;
    }
  }
  return { centers, assign, inertia };
}

/** Replaces every center value by the nearest value of the same feature in the data (binary search per feature). */
function snapToData(centers: Float64Array, k: number, x: Float64Array, n: number, D: number): void {
  const col = new Float64Array(n);
  for (let j = 0; j < D; j++) {
    for (let i = 0; i < n; i++) col[i] = x[i * D + j]!;
    col.sort();
    for (let c = 0; c < k; c++) {
      const v = centers[c * D + j]!;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (col[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      const a = col[lo]!;
      const b = lo > 0 ? col[lo - 1]! : a;
      centers[c * D + j] = Math.abs(b - v) <= Math.abs(a - v) ? b : a;
    }
  }
}
