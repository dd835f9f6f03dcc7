import { UserError } from '../../core/user-error';

export type PipelineErrorCode =
  | 'bad-file'
  | 'missing-input'
  | 'unavailable-stage'
  | 'stage-input'
  | 'no-pending-approval'
  | 'locked';

/**
 * A pipeline problem the user can act on: a bad pipeline file (the message starts `FILE:LINE:COL:`), a model or data
 * file that is missing, a stage this version cannot run, an approval asked for that nothing waits on.
 */
export class PipelineError extends UserError {
  readonly category = 'PIPELINE';
  override name = 'PipelineError';
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
