/** Shape inference for ONNX graphs (no onnxruntime): declared types completed through the operators. */
export { functionAsGraph, functionKey, inferGraphTypes, inferShapes, opsetMap, typeInfoOf, type OuterScope } from './infer';
export { inlineConst } from './constants';
export { broadcastShapes, broadcastDim } from './dims';
export type { ConstValue, Dim, InferOptions, InferResult, Opsets, TypeInfo } from './types';
export { MAX_CONST_ELEMENTS } from './types';
