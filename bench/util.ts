/** Small helpers the benchmarks share. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';


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

/**
 * Runs `body` with a fresh scratch folder under the OS temp dir, removed afterwards (unless `keep`) and also on
 * Ctrl-C, after killing the measured child processes.
 */
export async function withScratchDir<T>(prefix: string, keep: boolean, killChildren: () => void, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const onSig = (): void => {
    killChildren();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSig);
  try {
    return await body(dir);
  } finally {
    process.removeListener('SIGINT', onSig);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
