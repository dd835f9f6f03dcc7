/** Ids of the serving commands and of the Serving panel, shared with package.json contributions. */
export const SERVING_COMMANDS = {
  serveModel: 'ptp.serveModel',
  serveRegistryModel: 'ptp.models.serve',
  stopServing: 'ptp.stopServing',
  showServingPanel: 'ptp.showServingPanel',
} as const;

export const SERVING_PANEL_VIEW_TYPE = 'ptp.serving';
export const SERVING_OUTPUT_CHANNEL = 'Post-Training: ptp serve';
