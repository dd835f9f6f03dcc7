/** Running passes to a fixpoint, each application checked on sample inputs and undone when it changes outputs. */
import type { PassReport } from '../../protocol/optimize';
import { throwIfAborted } from '../operation';
import type { PassContext } from './context';
import type { OptimizationPass } from './passes';
import type { Comparison } from './verify';

export interface FixpointOptions {
  /** A structural check run after every application that changed something: a message rejects it. */
  readonly check?: (ctx: PassContext) => Promise<string | undefined>;
  /** Compares the working model with the original; undefined when outputs cannot be compared. */
  readonly verify?: (ctx: PassContext) => Promise<Comparison>;
  /** Most rounds over all passes (default 10). */
  readonly maxRounds?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

export interface FixpointResult {
  readonly reports: PassReport[];
  readonly rounds: number;
  /** A round made no change (false: stopped at maxRounds). */
  readonly converged: boolean;
}

interface Tally {
  changes: number;
  verified: boolean;
  maxAbsDiff: number | null;
  rejected: boolean;
  message?: string;
}

/**
 * Rounds over `passes` in order until a round changes nothing. After each application that reports changes
 * the model is checked structurally, then verified on sample inputs; a failing (or throwing) application is
 * undone from a snapshot and the pass is marked rejected and not run again. Without a verifier, changes that
 * pass the structural check are kept and reported unverified.
 */
export async function runToFixpoint(ctx: PassContext, passes: readonly OptimizationPass[], o: FixpointOptions = {}): Promise<FixpointResult> {
  const tallies = new Map<OptimizationPass, Tally>(passes.map((p) => [p, { changes: 0, verified: !!o.verify, maxAbsDiff: o.verify ? 0 : null, rejected: false }]));
  const maxRounds = o.maxRounds ?? 10;
  let rounds = 0;
  let changed = true;
  while (changed && rounds < maxRounds) {
    rounds++;
    changed = false;
    for (const pass of passes) {
      const t = tallies.get(pass)!;
      if (t.rejected) continue;
      throwIfAborted(o.signal);
      o.onProgress?.(`round ${rounds}: ${pass.name}`);
      const before = ctx.snapshot();
      let n: number;
      try {
        n = await pass.run(ctx);
      } catch (e) {
        ctx.restore(before);
        if (e instanceof Error && e.name === 'AbortError') throw e;
        reject(t, `failed: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (n <= 0) continue;
      const problem = await o.check?.(ctx);
      if (problem) {
        ctx.restore(before);
        reject(t, `made the model invalid, undone (${problem})`);
        continue;
      }
      if (o.verify) {
        const c = await o.verify(ctx);
        if (!c.ok) {
          ctx.restore(before);
          reject(t, `changed the outputs beyond tolerance, undone (${c.message ?? `max |diff| ${c.maxAbsDiff}`})`);
          continue;
        }
        t.maxAbsDiff = Math.max(t.maxAbsDiff ?? 0, c.maxAbsDiff);
      }
      t.changes += n;
      changed = true;
    }
  }
  const reports = passes.map((p): PassReport => {
    const t = tallies.get(p)!;
    return { name: p.name, changes: t.changes, verified: t.verified, max_abs_diff: t.maxAbsDiff, rejected: t.rejected, ...(t.message ? { message: t.message } : {}) };
  });
  return { reports, rounds, converged: !changed };
}

function reject(t: Tally, message: string): void {
  t.rejected = true;
  t.verified = false;
  t.message = message;
}
