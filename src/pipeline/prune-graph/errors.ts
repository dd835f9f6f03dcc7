/** Errors of the pruning pipeline: problems the user can act on, each with a message saying what to do. */
import { OnnxError } from '../../core/errors';

export type PruneErrorReason =
  /** A setting is out of range, names a node the model lacks, or does not apply. */
  | 'bad-setting'
  /** A requested layer cannot be pruned by the method (the message says why and which layers can). */
  | 'not-prunable'
  /** The model has no layer the method can prune. */
  | 'nothing-to-prune'
  /** The evaluation data does not fit the model's inputs, or holds no rows. */
  | 'bad-data'
  /** The output path is the model itself or cannot be written. */
  | 'bad-output'
  /** Fine-tuning the pruned model failed (the source model or the pruned one cannot be trained, or training diverged). */
  | 'cannot-finetune'
  /** onnxruntime refused the pruned model (a bug of ours: reported with onnxruntime's message). */
  | 'ort-refused-output';

/**
 * A pruning problem. It is an OnnxError (code 'unsupported'), so the CLI exits with code 2 and the worker replies
 * with a 'user' error; `reason` tells the kinds apart.
 */
export class PruneError extends OnnxError {
  override readonly category: string = 'PRUNE';
  constructor(
    readonly reason: PruneErrorReason,
    message: string,
    file?: string,
  ) {
    super('unsupported', message, file);
    this.name = 'PruneError';
  }
}

export function isPruneError(e: unknown): e is PruneError {
  return e instanceof PruneError;
}
