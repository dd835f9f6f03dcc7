/** Ids shared by package.json contributions and the code. */
export const MODEL_EDITOR_VIEW_TYPE = 'ptp.modelEditor';
export const SAMPLE_PANEL_VIEW_TYPE = 'ptp.sampleResult';
export const DIAGNOSTIC_COLLECTION = 'ptp';
export const DIAGNOSTIC_SOURCE = 'Post-Training';
export const OUTPUT_CHANNEL_NAME = 'Post-Training';

export const COMMANDS = {
  inspectModel: 'ptp.inspectModel',
  validateModel: 'ptp.validateModel',
  runSampleInputs: 'ptp.runSampleInputs',
} as const;
