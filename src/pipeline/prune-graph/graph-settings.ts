/** The settings pruneGraph takes (defaults already filled in), and their validation. */
import type { ChannelCriterion, PruneMethod, PruneScope } from '../../protocol/prune';
import { PruneError } from './errors';

export interface PruneGraphSettings {
  readonly method: PruneMethod;
  /** magnitude: fraction of weights set to 0; structured: fraction of channels removed. In (0, 1). */
  readonly sparsity: number;
  /** magnitude only. */
  readonly scope: PruneScope;
  /** nm: keep n of every m. */
  readonly n: number;
  readonly m: number;
  /** structured: channel importance. */
  readonly criterion: ChannelCriterion;
  /** structured: kept channels rounded up to a multiple of this. */
  readonly round_to: number;
  /** Node names to prune (undefined = every prunable node). */
  readonly layers?: readonly string[];
  /**
   * Node names left alone. Structured: an excluded node removes none of its output channels (and so blocks a
   * residual group it belongs to); it still shrinks on its input side when the layer before it is pruned.
   */
  readonly exclude: readonly string[];
  /** Per-node sparsity overriding `sparsity`. */
  readonly layer_sparsity?: Readonly<Record<string, number>>;
}

const METHODS: readonly PruneMethod[] = ['magnitude', 'nm', 'structured'];
const SCOPES: readonly PruneScope[] = ['layer', 'global'];
const CRITERIA: readonly ChannelCriterion[] = ['l1', 'l2'];

function checkFraction(what: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v >= 1) {
    throw new PruneError('bad-setting', `${what} must be between 0 and 1 (exclusive); got ${String(v)}`);
  }
}

/**
 * Validates settings: sparsity (and layer_sparsity values) strictly inside (0, 1); n, m integers with 0 < n < m;
 * round_to an integer ≥ 1; method, scope and criterion among the known ones. Throws PruneError('bad-setting').
 */
export function checkSettings(s: PruneGraphSettings): void {
  if (!METHODS.includes(s.method)) throw new PruneError('bad-setting', `method must be one of ${METHODS.join(', ')}; got '${String(s.method)}'`);
  if (!SCOPES.includes(s.scope)) throw new PruneError('bad-setting', `scope must be 'layer' or 'global'; got '${String(s.scope)}'`);
  if (!CRITERIA.includes(s.criterion)) throw new PruneError('bad-setting', `criterion must be 'l1' or 'l2'; got '${String(s.criterion)}'`);
  checkFraction('sparsity', s.sparsity);
  for (const [name, v] of Object.entries(s.layer_sparsity ?? {})) checkFraction(`layer_sparsity of '${name}'`, v);
  if (!Number.isInteger(s.n) || !Number.isInteger(s.m) || s.n <= 0 || s.n >= s.m) {
    throw new PruneError('bad-setting', `N:M needs whole numbers with 0 < N < M (e.g. 2:4); got ${String(s.n)}:${String(s.m)}`);
  }
  if (!Number.isInteger(s.round_to) || s.round_to < 1) {
    throw new PruneError('bad-setting', `round_to must be a whole number of at least 1; got ${String(s.round_to)}`);
  }
}
