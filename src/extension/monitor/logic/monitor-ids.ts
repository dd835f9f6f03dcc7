/** Ids of the monitoring commands and the dashboard's view type, shared with package.json contributions. */
export const MONITOR_COMMANDS = {
  monitorModel: 'ptp.monitorModel',
  toggleWatch: 'ptp.monitor.toggleWatch',
  runRetraining: 'ptp.monitor.runRetraining',
} as const;

export const MONITOR_PANEL_VIEW_TYPE = 'ptp.monitor';
