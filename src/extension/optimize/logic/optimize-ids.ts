/** Ids of the Optimize Graph command, shared with package.json contributions (its report is the Quantization app's). */
export const OPTIMIZE_COMMANDS = {
  optimizeModel: 'ptp.optimizeModel',
} as const;
