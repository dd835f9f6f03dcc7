/**
 * Pruning of ONNX models: unstructured magnitude (per layer or global), N:M semi-structured, and structured channel
 * removal that really shrinks the tensors; per-layer sensitivity sweeps; the source vs pruned evaluation on the
 * user's data. No vscode.
 *
 *   const r = await prune({ model: 'm.onnx', method: 'structured', sparsity: 0.25, data: 'test.csv' });
 *   // r.output = 'm.pruned.onnx'; r.layers: per-layer sparsity and params; r.metrics_before / r.metrics_after
 *   const f = await prune({ model: 'm.onnx', method: 'structured', data: 'test.csv', finetune: { data: 'train.csv' } });
 *   // the pruned model trained back toward m.onnx on train.csv before it is evaluated; f.finetune.history per epoch
 *   const s = await pruneSensitivity({ model: 'm.onnx', data: 'test.csv', sparsities: [0.3, 0.6, 0.9] });
 *   // s.layers[i].points: accuracy (or r2) and agreement at each sparsity with only that layer pruned
 */
export { prune } from './run';
export { pruneSensitivity, DEFAULT_SENSITIVITY_ROWS, DEFAULT_SPARSITIES } from './sensitivity';
export { PruneError, isPruneError, type PruneErrorReason } from '../prune-graph/errors';
export { METHODS, defaultOutputFor, defaultSparsity } from './settings';
export { listPrunable } from '../prune-graph/prune-graph';
export { FINETUNE_DEFAULTS } from './finetune';
