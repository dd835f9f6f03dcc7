/**
 * Seeded pseudo-random input values for sample runs. Pure: the same seed, type and shape always give the same
 * values. Floats ~ N(0, 1); signed ints uniform in [-5, 5]; unsigned ints in [0, 10]; bool 0/1 with p = ½;
 * strings "sample".
 */
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import type { DecodedTensor, TensorValues } from '../../core/tensor/types';
import { RuntimeError } from '../runtime/errors';
import { float16BitsToNumber, numberToFloat16Bits } from '../runtime/float16';

/** A uniform generator in [0, 1). */
export type Rng = () => number;

/** mulberry32: small, fast, good enough for test inputs; seeds are taken modulo 2^32. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller). */
export function normal(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** An integer uniform in [lo, hi]. */
export function uniformInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export const SIGNED_RANGE: readonly [number, number] = [-5, 5];
export const UNSIGNED_RANGE: readonly [number, number] = [0, 10];
export const SAMPLE_STRING = 'sample';

function fill<T extends { length: number; [i: number]: number }>(out: T, f: () => number): T {
  for (let i = 0; i < out.length; i++) out[i] = f();
  return out;
}
function fillBig<T extends { length: number; [i: number]: bigint }>(out: T, f: () => number): T {
  for (let i = 0; i < out.length; i++) out[i] = BigInt(f());
  return out;
}

/** `count` values of element type `dataType`, in the array type the core's DecodedTensor uses for it. */
export function generateValues(dataType: number, count: number, rng: Rng): TensorValues {
  const s = () => uniformInt(rng, SIGNED_RANGE[0], SIGNED_RANGE[1]);
  const u = () => uniformInt(rng, UNSIGNED_RANGE[0], UNSIGNED_RANGE[1]);
  switch (dataType) {
    case DataType.FLOAT:
      return fill(new Float32Array(count), () => normal(rng));
    case DataType.FLOAT16:
      // Rounded to half precision, so the values reported are exactly the values fed.
      return fill(new Float32Array(count), () => float16BitsToNumber(numberToFloat16Bits(normal(rng))));
    case DataType.DOUBLE:
      return fill(new Float64Array(count), () => normal(rng));
    case DataType.INT8:
      return fill(new Int8Array(count), s);
    case DataType.INT16:
      return fill(new Int16Array(count), s);
    case DataType.INT32:
      return fill(new Int32Array(count), s);
    case DataType.INT64:
      return fillBig(new BigInt64Array(count), s);
    case DataType.UINT8:
      return fill(new Uint8Array(count), u);
    case DataType.UINT16:
      return fill(new Uint16Array(count), u);
    case DataType.UINT32:
      return fill(new Uint32Array(count), u);
    case DataType.UINT64:
      return fillBig(new BigUint64Array(count), u);
    case DataType.BOOL:
      return fill(new Uint8Array(count), () => (rng() < 0.5 ? 0 : 1));
    case DataType.STRING:
      return new Array<string>(count).fill(SAMPLE_STRING);
    default:
      throw new RuntimeError('unsupported-dtype', `cannot generate sample values of element type ${dataTypeName(dataType)}`);
  }
}

/** A decoded tensor of generated values. */
export function generateTensor(name: string, dataType: number, dims: readonly number[], rng: Rng): DecodedTensor {
  const size = dims.reduce((a, b) => a * b, 1);
  return { name, dataType, dims: [...dims], size, values: generateValues(dataType, size, rng) };
}
