/** Assertions shared by the unit tests. */
import assert from 'node:assert/strict';

/** `a` is a number within `tol` of `b`, relative to max(1, |b|). */
export function assertClose(a: number | null | undefined, b: number, tol = 1e-12): void {
  assert.ok(typeof a === 'number' && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);
}
