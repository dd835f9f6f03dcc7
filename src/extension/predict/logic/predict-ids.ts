/** Ids of the batch-inference command, shared with package.json contributions. */
export const PREDICT_COMMANDS = {
  predictOnData: 'ptp.predictOnData',
} as const;
