/** An explained row's feature space: the features that vary against the background, masks mapped back, its RNG seed. */
import type { Background, FeatureGroups } from './coalitions';
import type { RowBuffer } from './model-fn';

/** Features whose values differ from some background row's (the others have φ = 0 exactly under v). */
export function varyingFeatures(groups: FeatureGroups, x: RowBuffer, bg: Background): Int32Array {
  const D = x.length;
  const out: number[] = [];
  for (let j = 0; j < groups.count; j++) {
    let varies = false;
    for (let e = groups.start[j]!; e < groups.start[j + 1]! && !varies; e++) {
      const i = groups.elems[e]!;
      const v = x[i]!;
      for (let b = 0; b < bg.count; b++) {
        if (!(bg.rows[b * D + i] === v)) {
          varies = true;
          break;
        }
      }
    }
    if (varies) out.push(j);
  }
  return Int32Array.from(out);
}

/** Masks over the m varying features → masks over all M features (the others 0: background = x there anyway). */
export function expandMasks(masks: Uint8Array, count: number, m: number, map: Int32Array, M: number): Uint8Array {
  if (m === M) return masks;
  const out = new Uint8Array(count * M);
  for (let c = 0; c < count; c++) for (let i = 0; i < m; i++) out[c * M + map[i]!] = masks[c * m + i]!;
  return out;
}

/** A per-row seed from the run's seed and the data-row index: a row's values do not depend on which others are explained. */
export function rowSeed(seed: number, row: number): number {
  return (seed % 2 ** 21) * 2 ** 32 + (Math.imul(row + 1, 0x9e3779b1) >>> 0);
}

/** Values over the m varying features (m × K) → over all M features (the others 0). */
export function toFullSpace(reduced: Float64Array, map: Int32Array, M: number, K: number): Float64Array {
  const full = new Float64Array(M * K);
  for (let i = 0; i < map.length; i++) for (let k = 0; k < K; k++) full[map[i]! * K + k] = reduced[i * K + k]!;
  return full;
}
