/** Ids of the Graph commands (Profile Model, Compare Models), shared with package.json contributions. */
export const GRAPH_COMMANDS = {
  profileModel: 'ptp.profileModel',
  compareModels: 'ptp.compareModels',
} as const;
