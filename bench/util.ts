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
 * Ctrl-C or SIGTERM (unless `keep`), after killing the measured child processes (exit code 130 or 143).
 */
export async function withScratchDir<T>(prefix: string, keep: boolean, killChildren: () => void, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanup = (): void => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    killChildren();
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    return await body(dir);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    cleanup();
  }
}
