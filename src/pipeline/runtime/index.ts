/**
 * The pipeline's onnxruntime layer: the only module (with the worker) that touches onnxruntime-node, which it
 * loads on first use. Importing this index loads nothing native.
 */
export { checkRuntime } from './check';
export {
  ORT_SUPPORTED_DATA_TYPES,
  fromOrtTensor,
  onnxTypeOf,
  ortTypeOf,
  requireOrtType,
  toOrtTensor,
  type OrtTensorType,
} from './convert';
export { RuntimeError, isRuntimeError, type RuntimeErrorCode } from './errors';
export { float16BitsToNumber, float16ToFloat32Array, float32ToFloat16Array, numberToFloat16Bits } from './float16';
export { loadOrt, ortVersion, type OrtModule, type OrtRunResult, type OrtSession, type OrtTensor } from './ort';
export {
  assertModelFile,
  createSession,
  ortMessage,
  ortSessionOptions,
  type GraphOptimizationLevel,
  type SessionOptions,
} from './session';
