/** Closeness of actual vs expected tensors, as in onnx's backend tests (numpy assert_allclose). */
import { DataType, dataTypeName } from '../../src/core/tensor/dtypes';
import type { DecodedTensor } from '../../src/core/tensor/types';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-5 };

export interface CompareOptions {
  readonly tolerance?: Tolerance;
  /** 'compare' (default); 'ignore' = dtype and shape only; 'strings-as-float32' = STRING values parsed as float32. */
  readonly values?: 'compare' | 'ignore' | 'strings-as-float32';
}

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);

/** Float closeness: |a − e| ≤ atol + rtol·|e|; NaN equals NaN; infinities must be equal. */
export function closeFloat(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** A number written as text ("0.6048455", "NaN", "INF", "-inf") as float32. */
export function parseFloat32(s: string): number {
  const t = s.trim().toLowerCase().replace(/^\+/, '');
  if (t === 'nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Math.fround(Number(t));
}

/**
 * Undefined when `actual` matches `expected`, else a description of the mismatch. Floats compare with the
 * tolerance; everything else (ints, bools, strings) exactly.
 */
export function mismatch(actual: DecodedTensor, expected: DecodedTensor, opts: CompareOptions = {}): string | undefined {
  const tol = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (actual.dataType !== expected.dataType) {
    return `element type ${dataTypeName(actual.dataType)} ≠ expected ${dataTypeName(expected.dataType)}`;
  }
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return `shape [${actual.dims.join(',')}] ≠ expected [${expected.dims.join(',')}]`;
  }
  const a = actual.values;
  const e = expected.values;
  if (a.length !== e.length) return `${a.length} values ≠ expected ${e.length}`;
  if (opts.values === 'ignore') return undefined;
  const isFloat = FLOAT_TYPES.has(expected.dataType);
  const asFloat32 = opts.values === 'strings-as-float32' && expected.dataType === DataType.STRING;
  let bad = 0;
  let first = '';
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    let ok: boolean;
    if (isFloat) ok = closeFloat(x as number, y as number, tol);
    else if (asFloat32) ok = closeFloat(parseFloat32(x as string), parseFloat32(y as string), { rtol: 0, atol: 0 });
    else ok = x === y;
    if (!ok) {
      if (bad === 0) first = `at flat index ${i}: ${JSON.stringify(String(x))} vs expected ${JSON.stringify(String(y))}`;
      bad++;
    }
  }
  return bad ? `${bad} of ${e.length} values differ; first ${first}` : undefined;
}
