/** Ids of the Quantize Model command and their report panel, shared with package.json contributions. */
export const QUANTIZE_PANEL_VIEW_TYPE = 'ptp.quantization';

export const QUANTIZE_COMMANDS = {
  quantizeModel: 'ptp.quantizeModel',
} as const;

/** The graph overlay this feature sets, and its node action (handled under the `quantize` prefix). */
export const SQNR_OVERLAY_ID = 'quantize-sqnr';
export const EXCLUDE_ACTION = { id: 'quantize.exclude', label: 'Exclude from quantization' } as const;
