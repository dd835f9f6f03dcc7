/** Ids of the Prune Model command, its report panel and its graph overlay, shared with package.json contributions. */
export const PRUNE_PANEL_VIEW_TYPE = 'ptp.pruning';

export const PRUNE_COMMANDS = {
  pruneModel: 'ptp.pruneModel',
} as const;

/** The graph overlay of a pruning run: per-node sparsity (or removed parameters, structured) in %. */
export const SPARSITY_OVERLAY_ID = 'prune-sparsity';
