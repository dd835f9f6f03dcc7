/** The distillation settings: the params' values over the defaults, each checked (a bad one is a DistillError). */
import type { DistillParams, DistillResult, StudentSpec } from '../../protocol/distill';
import { DistillError } from './errors';

export type DistillSettings = DistillResult['settings'];

export const DEFAULTS = {
  temperature: 4,
  alpha: 0.7,
  epochs: 200,
  batchSize: 64,
  learningRate: 1e-3,
  validationSplit: 0.2,
  patience: 20,
  seed: 0,
} as const;

/** Rows held in memory at most; more are not read (with a warning). */
export const MAX_ROWS = 500_000;
/** Input values held in memory at most (float32: 800 MB); wide rows lower the row cap accordingly. */
export const MAX_VALUES = 200_000_000;

/** The settings to train with. `hasLabels` false forces alpha to 1 (soft targets only). */
export function resolveSettings(params: DistillParams, hasLabels: boolean): DistillSettings {
  const s = {
    temperature: params.temperature ?? DEFAULTS.temperature,
    alpha: hasLabels ? (params.alpha ?? DEFAULTS.alpha) : 1,
    epochs: params.epochs ?? DEFAULTS.epochs,
    batchSize: params.batchSize ?? DEFAULTS.batchSize,
    learningRate: params.learningRate ?? DEFAULTS.learningRate,
    validationSplit: params.validationSplit ?? DEFAULTS.validationSplit,
    patience: params.patience ?? DEFAULTS.patience,
    seed: params.seed ?? DEFAULTS.seed,
  };
  checkSettings(params);
  return s;
}

/** Checks every given setting; called before any file is read so bad settings fail fast. */
export function checkSettings(p: DistillParams): void {
  const bad = (what: string, v: unknown, want: string): never => {
    throw new DistillError('bad-setting', `${what} must be ${want}, got ${String(v)}`);
  };
  const positiveInt = (what: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1)) bad(what, v, 'a whole number ≥ 1');
  };
  if (p.temperature !== undefined && !(Number.isFinite(p.temperature) && p.temperature > 0)) bad('temperature', p.temperature, 'a number > 0');
  if (p.alpha !== undefined && !(p.alpha >= 0 && p.alpha <= 1)) bad('alpha', p.alpha, 'in [0, 1]');
  positiveInt('epochs', p.epochs);
  positiveInt('batch size', p.batchSize);
  if (p.learningRate !== undefined && !(Number.isFinite(p.learningRate) && p.learningRate > 0 && p.learningRate < 10)) bad('learning rate', p.learningRate, 'a number in (0, 10)');
  if (p.validationSplit !== undefined && !(p.validationSplit >= 0 && p.validationSplit < 1)) bad('validation split', p.validationSplit, 'in [0, 1)');
  if (p.patience !== undefined && !(Number.isSafeInteger(p.patience) && p.patience >= 0)) bad('patience', p.patience, 'a whole number ≥ 0');
  if (p.seed !== undefined && !Number.isSafeInteger(p.seed)) bad('seed', p.seed, 'a whole number');
  if (p.student) checkStudent(p.student);
}

function checkStudent(s: StudentSpec): void {
  if (s.kind === 'mlp') {
    if (s.hidden.length === 0) throw new DistillError('bad-setting', 'the MLP student needs at least one hidden layer, e.g. mlp:64 or mlp:64,32');
    for (const h of s.hidden) {
      if (!(Number.isSafeInteger(h) && h >= 1 && h <= 65536)) throw new DistillError('bad-setting', `hidden layer widths must be whole numbers in [1, 65536], got ${h}`);
    }
    if (s.activation !== undefined && s.activation !== 'relu' && s.activation !== 'tanh') {
      throw new DistillError('bad-setting', `the MLP activation must be relu or tanh, got ${String(s.activation)}`);
    }
  } else if (s.kind === 'narrow') {
    if (!(s.width > 0 && s.width <= 1)) throw new DistillError('bad-setting', `the narrow student's width must be in (0, 1] (the fraction of channels kept), got ${s.width}`);
  } else if (s.kind === 'model') {
    if (typeof s.path !== 'string' || s.path.trim() === '') throw new DistillError('bad-setting', 'the model student needs the path of an ONNX model, e.g. model:pruned.onnx');
    if (s.keepZeros !== undefined && typeof s.keepZeros !== 'boolean') throw new DistillError('bad-setting', `keepZeros must be true or false, got ${String(s.keepZeros)}`);
  } else {
    throw new DistillError('bad-setting', `unknown student kind ${JSON.stringify((s as { kind?: unknown }).kind)}: use mlp, narrow or model`);
  }
}
