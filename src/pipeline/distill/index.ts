/**
 * Knowledge distillation: a smaller student trained (tfjs-core, CPU) to mimic a teacher ONNX model on the user's
 * data, exported as ONNX with the teacher's input and output names, and compared with the teacher. No vscode.
 *
 *   const r = await distill({ teacher: 'm.onnx', data: 'train.csv', student: { kind: 'mlp', hidden: [32] } });
 *   // r.output = 'm.student.onnx'; r.metrics_teacher / r.metrics_student; r.history: one entry per epoch
 *   // A pruned copy fine-tuned from its own weights, its zeros kept (what `prune --finetune` does):
 *   await distill({ teacher: 'm.onnx', data: 'train.csv', student: { kind: 'model', path: 'm.pruned.onnx', keepZeros: true } });
 */
export { distill, defaultOutputFor } from './run';
export { DistillError, isDistillError, type DistillErrorReason } from './errors';
export { parseStudentSpec } from './student-spec';
export { DEFAULTS as DISTILL_DEFAULTS, checkSettings as checkDistillSettings } from './settings';
