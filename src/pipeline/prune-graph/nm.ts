/**
 * N:M semi-structured pruning: in every group of M consecutive weights along the reduction axis, the N of largest
 * |w| are kept (ties: the earlier weight is kept) and the others set to 0.
 */

/** Why a weight of shape `dims` cannot take an N:M pattern along `axis`, or undefined. */
export function nmIssue(dims: readonly number[], axis: number, m: number): string | undefined {
  const r = dims[axis] ?? 0;
  if (r % m !== 0) return `its reduction length ${r} (axis ${axis} of [${dims.join(', ')}]) is not a multiple of M = ${m}`;
  return undefined;
}

/** Applies the N:M mask to `w` (row-major, shape `dims`) in place, groups running along `axis`. */
export function applyNm(w: Float32Array, dims: readonly number[], axis: number, n: number, m: number): void {
  const r = dims[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= dims[d]!;
  const order = new Int32Array(m);
  const idx = new Int32Array(m);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * r * inner + j;
      for (let g = 0; g < r; g += m) {
        for (let k = 0; k < m; k++) {
          idx[k] = base + (g + k) * inner;
          order[k] = k;
        }
        // Insertion sort of the group by |w| descending, earlier index first on ties (M is small).
        for (let a = 1; a < m; a++) {
          const v = order[a]!;
          const mv = Math.abs(w[idx[v]!]!);
          let b = a - 1;
          while (b >= 0 && Math.abs(w[idx[order[b]!]!]!) < mv) {
            order[b + 1] = order[b]!;
            b--;
          }
          order[b + 1] = v;
        }
        for (let k = n; k < m; k++) w[idx[order[k]!]!] = 0;
      }
    }
  }
}
