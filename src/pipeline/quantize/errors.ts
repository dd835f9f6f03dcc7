/** Errors of the quantization pipeline: problems the user can act on, each with a message saying what to do. */
import { OnnxError } from '../../core/errors';

export type QuantizeErrorReason =
  /** The model has no node the mode can quantize (e.g. only ai.onnx.ml operators). */
  | 'no-quantizable-ops'
  /** The model's opset lacks the operators the mode writes (QDQ < 10, per-channel < 13, dynamic < 11). */
  | 'opset-too-old'
  /** The calibration / evaluation data does not fit the model's inputs, or holds no rows. */
  | 'bad-data'
  /** A setting is out of range or does not apply. */
  | 'bad-setting'
  /** The output path is the model itself or cannot be written. */
  | 'bad-output'
  /** onnxruntime refused the quantized model (a bug of ours: reported with onnxruntime's message). */
  | 'ort-refused-output';

/**
 * A quantization problem. It is an OnnxError (code 'unsupported'), so the CLI exits with code 2 and the worker
 * replies with a 'user' error; `reason` tells the kinds apart.
 */
export class QuantizeError extends OnnxError {
  override readonly category: string = 'QUANTIZE';
  constructor(
    readonly reason: QuantizeErrorReason,
    message: string,
    file?: string,
  ) {
    super('unsupported', message, file);
    this.name = 'QuantizeError';
  }
}

export function isQuantizeError(e: unknown): e is QuantizeError {
  return e instanceof QuantizeError;
}
