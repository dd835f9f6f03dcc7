/**
 * Evaluation metrics matching scikit-learn 1.x definitions (classification, ranking curves, calibration,
 * regression). Pure TypeScript on typed arrays: no VS Code, no onnxruntime, no DOM.
 */
export { MetricsError, isMetricsError } from './errors';
export type { MetricsErrorCode } from './errors';
export type {
  BinaryClassificationMetrics,
  CalibrationCurve,
  ClassificationInput,
  ClassificationMetrics,
  CommonClassificationMetrics,
  MulticlassClassificationMetrics,
  NumericArray,
  OvrRocCurve,
  PerClassMetrics,
  PrCurve,
  RegressionMetrics,
  ResidualSample,
  RocCurve,
} from './types';
export { classificationMetrics, isBinaryMetrics, isMulticlassMetrics, rocCurvesOvr } from './classification';
export { confusionMatrix } from './labels';
export {
  averagePrecision,
  binaryClfCurve,
  prCurve,
  rocAuc,
  rocCurve,
  trapezoidArea,
} from './curves';
export type { BinaryClfCurve } from './curves';
export { calibrationCurve } from './calibration';
export type { CalibrationStrategy } from './calibration';
export { argmaxRows, brierScore, logLoss, topKAccuracy, FLOAT64_EPS } from './probabilistic';
export { evenlySpacedIndices, regressionMetrics, residualSample } from './regression';
export { mean, median, pairwiseSum, quantileSorted } from './reductions';
