/** Ids of the pipeline commands and the Pipeline view, shared with package.json contributions. */
export const PIPELINE_COMMANDS = {
  run: 'ptp.pipeline.run',
  runToHere: 'ptp.pipeline.runToHere',
  approve: 'ptp.pipeline.approve',
  reject: 'ptp.pipeline.reject',
  openStage: 'ptp.pipeline.openStage',
  openReport: 'ptp.pipeline.openReport',
} as const;

export const PIPELINE_VIEW_ID = 'ptp.pipeline';
export const PIPELINE_REPORT_VIEW_TYPE = 'ptp.pipelineReport';
/** The file names the YAML schema and the CodeLens apply to. */
export const PIPELINE_FILE_PATTERN = '**/{ptp.pipeline.yaml,*.ptp.pipeline.yaml}';

/** True for `ptp.pipeline.yaml` and `*.ptp.pipeline.yaml`. */
export function isPipelineFile(file: string): boolean {
  const base = file.split(/[\\/]/).pop() ?? '';
  return base === 'ptp.pipeline.yaml' || base.endsWith('.ptp.pipeline.yaml');
}
