/** Ids of the Evaluation commands and panel, shared with package.json contributions. */
export const EVALUATION_PANEL_VIEW_TYPE = 'ptp.evaluation';

export const EVALUATION_COMMANDS = {
  evaluateModel: 'ptp.evaluateModel',
  compareOnData: 'ptp.compareOnData',
  benchmarkModel: 'ptp.benchmarkModel',
} as const;
