/** Evaluation: metrics, fairness, robustness, latency and model comparison on real data through onnxruntime. */
export { evaluate, compare, scoreRows, type RowScores } from './run';
export { benchModel } from './bench';
export { saveRun } from './save';
export { planOutputs, type OutputPlan } from '../shared/outputs';
