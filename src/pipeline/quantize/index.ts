/**
 * Post-training quantization of ONNX models: dynamic int8, static int8 (QDQ, calibrated), float16, int4 weight-only
 * (MatMulNBits), with per-node SQNR and the source vs quantized evaluation on the user's data. No vscode.
 *
 *   const r = await quantize({ model: 'm.onnx', mode: 'static', data: 'test.csv', settings: { per_channel: true } });
 *   // r.output = 'm.int8.onnx'; r.nodes: worst SQNR first; r.metrics_before / r.metrics_after; r.lineage = the output's ptp.lineage (params = r.recipe)
 */
export { quantize } from './run';
export { QuantizeError, isQuantizeError, type QuantizeErrorReason } from './errors';
export { DEFAULT_OP_TYPES, MODES, defaultOutputFor, readRecipe, resolveRecipe } from './recipe';
export { DEFAULT_FP16_BLOCK_LIST, ORT_CPU_FP16_NATIVE } from './fp16';
export { computeScaleZeroPoint, quantRange, quantizeBiasInt32, quantizeInt8, quantizeValue, roundHalfEven, typeRange } from './qparams';
export { dequantizeBlockwise4, quantizeBlockwise4, quantizeBlockwise4KN } from './int4-pack';
export { sqnrFromSums, SQNR_CAP_DB } from './sqnr';
