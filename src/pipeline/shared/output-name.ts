/**
 * Where an operation writes its model when no output is given: one rule for every operation, used by the
 * pipeline, the CLI and the extension alike (so VS Code proposes exactly the file `ptp` writes).
 *
 *   <dir>/<name>.<tag>.onnx  next to the source, `<name>` = the file name without a trailing `.onnx`
 *
 * | op       | tag                                              |
 * | -------- | ------------------------------------------------ |
 * | quantize | `int8` (dynamic, static), `fp16`, `int4`          |
 * | optimize | `opt`                                            |
 * | prune    | `pruned`                                         |
 * | distill  | `student` (next to the teacher)                  |
 */
import * as path from 'node:path';
import type { QuantizeMode } from '../../protocol/quantize';

export type ModelWritingOp = 'quantize' | 'optimize' | 'prune' | 'distill';

const TAGS: Record<Exclude<ModelWritingOp, 'quantize'>, string> = { optimize: 'opt', prune: 'pruned', distill: 'student' };

/** The absolute path without a trailing `.onnx` (any case); other extensions stay part of the name. */
export function stemPath(model: string): string {
  const abs = path.resolve(model);
  const ext = path.extname(abs).toLowerCase() === '.onnx' ? path.extname(abs) : '';
  return abs.slice(0, abs.length - ext.length);
}

export function quantizeTag(mode: QuantizeMode): string {
  return mode === 'fp16' ? 'fp16' : mode === 'int4' ? 'int4' : 'int8';
}

export function defaultOutputPath(op: 'quantize', model: string, mode: QuantizeMode): string;
export function defaultOutputPath(op: Exclude<ModelWritingOp, 'quantize'>, model: string): string;
export function defaultOutputPath(op: ModelWritingOp, model: string, mode?: QuantizeMode): string {
  const tag = op === 'quantize' ? quantizeTag(mode ?? 'dynamic') : TAGS[op];
  return `${stemPath(model)}.${tag}.onnx`;
}

/** True when `output` names the source model itself (the one file no operation may write). */
export function isSourcePath(model: string, output: string): boolean {
  return path.resolve(model) === path.resolve(output);
}
