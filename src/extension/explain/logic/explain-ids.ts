/** Ids of the Explain command and the Attributions panel, shared with package.json contributions. */
export const EXPLAIN_PANEL_VIEW_TYPE = 'ptp.explain';

export const EXPLAIN_COMMANDS = {
  explainModel: 'ptp.explainModel',
} as const;
