/** The result's error estimate and its notes, from each row's standard errors. */
import type { ExplainErrorEstimate } from '../../protocol/explain';
import type { EstimateOutput } from './estimate';
import { rowError } from './row-error';

/** Per row over the reported outputs: the largest standard error, it relative to Σ|φ|, and every φ's. */
export function errorEstimate(est: EstimateOutput, M: number, K: number, outputs: readonly number[], target: number): ExplainErrorEstimate {
  const zero = new Float64Array(M * K);
  const per = est.phi.map((phi, r) => rowError(phi, est.stdError[r] ?? zero, M, K, outputs));
  return {
    max_std_error: per.map((e) => e.max),
    relative: per.map((e) => e.relative),
    std_errors: est.phi.map((_, r) => Array.from({ length: M }, (_, j) => outputs.map((k) => (est.stdError[r] ?? zero)[j * K + k]!))),
    above_target: per.filter((e) => !(e.relative <= target)).length,
  };
}

/** What the estimate says: the adaptive budget's outcome, or a warning when a fixed budget left rows noisy. */
export function errorNotes(e: ExplainErrorEstimate, target: number, adaptive: { readonly maxCoalitions: number; readonly timeCap: number } | undefined, capped: number, occlusion: boolean): string[] {
  const rows = e.relative.length;
  const known = e.relative.filter((v) => !Number.isNaN(v));
  const worst = known.length ? Math.max(...known) : NaN;
  const pct = (v: number): string => `${(v * 100).toFixed(v < 0.1 ? 2 : 1)}%`;
  const notes: string[] = [];
  if (adaptive) {
    notes.push(
      `adaptive budget: ${rows - e.above_target} of ${rows} rows reached an estimated error ≤ ${pct(target)} (relative L1; largest ${pct(worst)})` +
        (capped
          ? `; ${capped} stopped at the cap of ${adaptive.maxCoalitions.toLocaleString('en-US')} coalitions per row` +
            (Number.isFinite(adaptive.timeCap) ? ` or ${adaptive.timeCap} s/row` : '') +
            ' — raise maxCoalitions (--max-coalitions) for more accurate values'
          : ''),
    );
  } else if (known.length < rows) {
    notes.push(`the error of ${rows - known.length} rows cannot be estimated from a single antithetic pair; raise the budget (max evals) to at least 2 pairs`);
  }
  if (!adaptive && e.above_target > 0) {
    notes.push(
      `warning: estimated error (relative L1) above ${pct(target)} for ${e.above_target} of ${rows} rows (largest ${pct(worst)}); ` +
        (occlusion ? 'raise max evals (--max-evals)' : 'raise nsamples / max evals, or leave them unset for the adaptive budget'),
    );
  }
  return notes;
}
