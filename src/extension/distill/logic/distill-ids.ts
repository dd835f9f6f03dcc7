/** Ids of the Distill Model command and its report panel, shared with package.json contributions. */
export const DISTILL_PANEL_VIEW_TYPE = 'ptp.distillation';

export const DISTILL_COMMANDS = {
  distillModel: 'ptp.distillModel',
} as const;
