/** Helpers shared by the shape-manipulating rules. */
import { numbersOf } from '../constants';
import type { NodeCtx } from '../context';
import { numel } from '../dims';
import type { ConstValue, Dim } from '../types';

/** The same values under new (fixed) dims, when the element counts agree. */
export function reshapeValue(v: ConstValue | undefined, shape: readonly Dim[] | null): ConstValue | undefined {
  if (!v || !shape) return undefined;
  const n = numel(shape);
  if (n === null || n !== v.values.length) return undefined;
  return { dims: shape as number[], values: v.values };
}

export function unknownDims(n: Dim): Dim[] | null {
  return typeof n === 'number' && n >= 0 && n <= 64 ? new Array<Dim>(n).fill(null) : null;
}

/** Axes from input `i` (newer opsets) or the `axes` attribute; 'unknown' when the input is not constant. */
export function axesOf(c: NodeCtx, i: number): number[] | undefined | 'unknown' {
  if (c.has(i)) return numbersOf(c.value(i)) ?? 'unknown';
  return c.ints('axes');
}
