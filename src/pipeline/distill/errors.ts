/** Errors of the distillation pipeline: problems the user can act on, each with a message saying what to do. */
import { OnnxError } from '../../core/errors';

export type DistillErrorReason =
  /** The teacher cannot be distilled (not ONNX, several inputs, outputs we cannot mimic, operators the trainer lacks). */
  | 'bad-teacher'
  /** The `model` student cannot be read, or does not take the teacher's inputs and give its outputs. */
  | 'bad-student'
  /** The training / evaluation data does not fit the teacher, holds no rows, or lacks the label column. */
  | 'bad-data'
  /** A setting is out of range or does not apply. */
  | 'bad-setting'
  /** The output path is the teacher itself or cannot be written. */
  | 'bad-output'
  /** onnxruntime refused the student (a bug of ours: reported with onnxruntime's message). */
  | 'ort-refused-output'
  /** Training diverged (the loss became NaN or infinite). */
  | 'diverged';

/**
 * A distillation problem. It is an OnnxError (code 'unsupported'), so the CLI exits with code 2 and the worker
 * replies with a 'user' error; `reason` tells the kinds apart.
 */
export class DistillError extends OnnxError {
  override readonly category: string = 'DISTILL';
  constructor(
    readonly reason: DistillErrorReason,
    message: string,
    file?: string,
  ) {
    super('unsupported', message, file);
    this.name = 'DistillError';
  }
}

export function isDistillError(e: unknown): e is DistillError {
  return e instanceof DistillError;
}
