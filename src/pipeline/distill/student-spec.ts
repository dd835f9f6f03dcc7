/**
 * The student as text — `mlp`, `mlp:<widths>`, `narrow:<width>`, `model:<file.onnx>[,keep-zeros]` — what
 * `ptp distill --student` and a pipeline's distill stage take. Returns 'default' for a bare `mlp` (the default MLP).
 */
import type { StudentSpec } from '../../protocol/distill';
import { DistillError } from './errors';

export function parseStudentSpec(v: string): StudentSpec | 'default' {
  const [kind, rest] = v.split(/:(.*)/s, 2).map((s) => s?.trim());
  const bad = (message: string): never => {
    throw new DistillError('bad-setting', message);
  };
  if (kind === 'mlp') {
    if (!rest) return 'default';
    const hidden = rest.split(',').map((s) => Number(s.trim()));
    if (hidden.some((h) => !Number.isInteger(h) || h < 1)) bad('expected mlp:<widths>, e.g. mlp:64,32 (whole numbers ≥ 1)');
    return { kind: 'mlp', hidden };
  }
  if (kind === 'narrow') {
    const width = Number(rest);
    if (!rest || !(width > 0 && width <= 1)) bad('expected narrow:<width> with width in (0, 1], e.g. narrow:0.5');
    return { kind: 'narrow', width };
  }
  if (kind === 'model') {
    const keepZeros = rest?.endsWith(',keep-zeros') ?? false;
    const file = keepZeros ? rest!.slice(0, -',keep-zeros'.length).trim() : rest;
    if (!file) bad('expected model:<file.onnx>[,keep-zeros], e.g. model:pruned.onnx,keep-zeros');
    return keepZeros ? { kind: 'model', path: file!, keepZeros } : { kind: 'model', path: file! };
  }
  return bad('expected mlp, mlp:<widths> (e.g. mlp:64,32), narrow:<width> (e.g. narrow:0.5) or model:<file.onnx>[,keep-zeros]');
}
