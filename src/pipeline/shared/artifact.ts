/**
 * What every operation that writes a model file shares: the hidden temp name it writes first (same folder, so the
 * final rename is atomic), its phase timings, and the check that onnxruntime loads what was written.
 */
import { tempPath } from '../../core/temp-files';
import type { RuntimeOptions } from '../../protocol/worker';
import { createSession, ortMessage } from '../runtime';
import { isRuntimeError } from '../runtime/errors';

/**
 * A hidden temp name next to `target` (core/temp-files.ts: `.<name>.<pid>.<8 hex>[.<purpose>].tmp`), recognised and
 * removed by the next write in that folder when its process was killed. `suffix` (`.lineage.tmp`) names the purpose.
 */
export function stagingPath(target: string, suffix = '.tmp'): string {
  const purpose = suffix.replace(/^\./, '').replace(/\.?tmp$/, '');
  return tempPath(target, purpose || undefined);
}

/** Wall time per phase: `lap(name)` records the ms since the previous lap (or the start) under `name`. */
export function phaseTimer(): { readonly timings: Record<string, number>; lap(name: string): void } {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  return {
    timings,
    lap(name: string) {
      const now = performance.now();
      timings[name] = Math.round((now - mark) * 10) / 10;
      mark = now;
    },
  };
}

/** onnxruntime's message when it cannot create a session for `file` (default optimizations, as users run it), else undefined. */
export async function loadProblem(file: string, runtime: RuntimeOptions): Promise<string | undefined> {
  try {
    const s = await createSession(file, runtime);
    await s.release().catch(() => undefined);
    return undefined;
  } catch (e) {
    return isRuntimeError(e) ? (e.ortMessage ?? e.message) : ortMessage(e);
  }
}

/**
 * Checks that onnxruntime loads the written `file`. When it does not, the source model is tried too, so the error
 * says whose problem it is; `fail` builds the operation's own typed error from that message.
 */
export async function verifyLoads(file: string, source: string, runtime: RuntimeOptions, fail: (message: string, sourceToo: boolean) => Error): Promise<void> {
  const m = await loadProblem(file, runtime);
  if (m === undefined) return;
  throw fail(m, (await loadProblem(source, runtime)) !== undefined);
}
