/** Interpretability: SHAP values (exact, Kernel, Permutation) and occlusion maps through onnxruntime. */
export { explain } from './run';
export { ExplainError, isExplainError, type ExplainErrorCode } from './errors';
export { EXACT_MAX_FEATURES } from './exact';
