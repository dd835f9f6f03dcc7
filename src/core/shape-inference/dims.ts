/** Dimension arithmetic shared by the operator rules: broadcasting, products, axes. */
import type { Dim } from './types';

/** Numpy broadcast of two dims; null when it cannot be decided (or the dims are incompatible). */
export function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === b) return a;
  if (typeof a === 'number' && typeof b === 'number') return null;
  // A symbolic or unknown dim next to a fixed one > 1 must equal it (or be 1, which broadcasts to it).
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

/** Multidirectional (numpy) broadcast of shapes; null if any rank is unknown. */
export function broadcastShapes(shapes: readonly (readonly Dim[] | null)[]): Dim[] | null {
  let rank = 0;
  for (const s of shapes) {
    if (!s) return null;
    if (s.length > rank) rank = s.length;
  }
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const s of shapes) {
    const off = rank - s!.length;
    for (let i = 0; i < s!.length; i++) out[off + i] = broadcastDim(out[off + i]!, s![i]!);
  }
  return out;
}

/** Product of fixed dims; null if any dim is not a number. */
export function numel(shape: readonly Dim[] | null): number | null {
  if (!shape) return null;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/** Normalises a possibly negative axis against `rank`; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

/**
 * Product of a run of dims as one dim: a number when all are fixed, the symbol when exactly one symbolic dim
 * stands among 1s, else null.
 */
export function productDim(dims: readonly Dim[]): Dim {
  let n = 1;
  let sym: string | null = null;
  for (const d of dims) {
    if (typeof d === 'number') n *= d;
    else if (typeof d === 'string' && sym === null) sym = d;
    else return null;
  }
  if (sym === null) return n;
  return n === 1 ? sym : null;
}

/** Sum of dims as one dim (numbers only; a symbol plus zeros stays the symbol). */
export function sumDims(dims: readonly Dim[]): Dim {
  let n = 0;
  let sym: string | null = null;
  for (const d of dims) {
    if (typeof d === 'number') n += d;
    else if (typeof d === 'string' && sym === null) sym = d;
    else return null;
  }
  if (sym === null) return n;
  return n === 0 ? sym : null;
}

/** Two dims that should agree: the more specific one (fixed beats symbolic beats unknown). */
export function mergeDim(a: Dim, b: Dim): Dim {
  if (a === null) return b;
  if (b === null) return a;
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return a;
}

export function sameShape(a: readonly Dim[] | null, b: readonly Dim[] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
