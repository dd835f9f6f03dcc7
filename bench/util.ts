/** Small helpers the benchmarks share. */

/** Numeric option `name` from the argument list, or `def`. */
export function numberArg(args: readonly string[], name: string, def: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
}

/** xorshift32 uniform numbers in [0, 1): deterministic synthetic data and weights. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
