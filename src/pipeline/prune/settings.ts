/**
 * The settings of a pruning run: the params with the defaults filled in (magnitude 50%, structured 25% of the
 * channels, layer scope, 2:4, L1, no rounding), checked before any file is opened; and the default output path.
 * The checks themselves live in graph-settings.ts (checkSettings).
 */
import type { PruneMethod, PruneParams, PruneResult } from '../../protocol/prune';
import { PruneError } from '../prune-graph/errors';
import { checkSettings, type PruneGraphSettings } from '../prune-graph/graph-settings';
import { defaultOutputPath } from '../shared/output-name';

export const METHODS: readonly PruneMethod[] = ['magnitude', 'nm', 'structured'];

/** Default sparsity of a method: half the weights (magnitude), a quarter of the channels (structured). */
export function defaultSparsity(method: PruneMethod): number {
  return method === 'structured' ? 0.25 : 0.5;
}

/** The settings pruneGraph takes, defaults filled in; throws PruneError('bad-setting') when one is out of range. */
export function resolveSettings(params: PruneParams): PruneGraphSettings {
  if (!METHODS.includes(params.method)) {
    throw new PruneError('bad-setting', `unknown pruning method '${String(params.method)}'; use one of ${METHODS.join(', ')}`, params.model);
  }
  const s: PruneGraphSettings = {
    method: params.method,
    sparsity: params.sparsity ?? defaultSparsity(params.method),
    scope: params.scope ?? 'layer',
    n: params.n ?? 2,
    m: params.m ?? 4,
    criterion: params.criterion ?? 'l1',
    round_to: params.roundTo ?? 1,
    exclude: params.excludeNodes ?? [],
    ...(params.layers ? { layers: params.layers } : {}),
    ...(params.layerSparsity ? { layer_sparsity: params.layerSparsity } : {}),
  };
  try {
    checkSettings(s);
  } catch (e) {
    // The checks know no file; the message names the model the settings were given for.
    if (e instanceof PruneError && !e.file) throw new PruneError(e.reason, e.message, params.model);
    throw e;
  }
  return s;
}

/** The settings as the result reports them. */
export function reportedSettings(s: PruneGraphSettings): PruneResult['settings'] {
  return {
    sparsity: s.sparsity,
    scope: s.scope,
    n: s.n,
    m: s.m,
    criterion: s.criterion,
    round_to: s.round_to,
    exclude: [...s.exclude],
    ...(s.layers ? { layers: [...s.layers] } : {}),
    ...(s.layer_sparsity ? { layer_sparsity: { ...s.layer_sparsity } } : {}),
  };
}

/** `<dir>/<name>.pruned.onnx` next to the model (every method). */
export function defaultOutputFor(model: string): string {
  return defaultOutputPath('prune', model);
}
