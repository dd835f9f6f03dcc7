/**
 * A small seeded PRNG for bootstrap resampling: xoshiro128** (Blackman & Vigna) seeded through splitmix32.
 * Deterministic across platforms (32-bit integer arithmetic only).
 */

export interface Rng32 {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform integer in [0, n), unbiased (rejection sampling), for 1 ≤ n ≤ 2³². */
  nextBelow(n: number): number;
  /** Fills `out` with uniform integers in [0, n) (same sequence as repeated `nextBelow(n)`). */
  fillBelow(out: Uint32Array, n: number): void;
  /** A uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number;
}

function splitmix32(state: number): () => number {
  let a = state | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

const TWO_32 = 4294967296;
const TWO_21 = 2097152;

function checkBound(n: number): void {
  if (!(n >= 1 && n <= TWO_32 && Number.isInteger(n))) throw new RangeError(`The bound must be an integer in [1, 2^32], got ${n}.`);
}

/** A generator for `seed` (any safe integer; its low and high 32 bits both matter). */
export function createRng32(seed: number): Rng32 {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`The seed must be a safe integer, got ${seed}.`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32) >>> 0;
  const sm = splitmix32(lo ^ Math.imul(hi, 0x85ebca6b));
  return xoshiro128ss(sm(), sm(), sm(), sm());
}

/** xoshiro128** from an explicit state (not all zero). */
export function xoshiro128ss(a: number, b: number, c: number, d: number): Rng32 {
  let s0 = a | 0;
  let s1 = b | 0;
  let s2 = c | 0;
  let s3 = d | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point
  const nextUint32 = (): number => {
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  /**
   * Uniform in [0, n) given t = 2³² mod n. Lemire's multiply-shift with rejection when x·n < 2⁵³ is exact in a
   * double (n ≤ 2²¹), otherwise modulo with rejection; both unbiased.
   */
  const draw = (n: number, t: number): number => {
    for (;;) {
      const x = nextUint32();
      if (n <= TWO_21) {
        const m = x * n;
        const high = Math.floor(m / TWO_32);
        if (m - high * TWO_32 >= t) return high;
      } else if (x < TWO_32 - t) {
        return x % n;
      }
    }
  };
  return {
    nextUint32,
    nextBelow(n: number): number {
      checkBound(n);
      return draw(n, TWO_32 % n);
    },
    fillBelow(out: Uint32Array, n: number): void {
      checkBound(n);
      const t = TWO_32 % n;
      for (let i = 0; i < out.length; i++) out[i] = draw(n, t);
    },
    nextFloat: () => nextUint32() / TWO_32,
  };
}
