/**
 * The `narrow` student: the teacher itself with every prunable layer keeping `width` of its channels (structured
 * pruning's graph surgery keeps the strongest channels by L1 norm, so training starts from the teacher's own
 * weights). The trainer fits the teacher's logits (student-graph.ts).
 */
import type { OnnxModel } from '../../core';
import { isPruneError } from '../prune-graph/errors';
import { pruneGraph } from '../prune-graph/prune-graph';
import type { OperationContext } from '../operation';
import { DistillError } from './errors';
import type { StudentGraph } from './student';
import { describeLayers, scoresOf } from './student-graph';
import type { TeacherHead } from './teacher';

export async function buildNarrow(teacher: OnnxModel, head: TeacherHead, width: number, ctx: OperationContext): Promise<StudentGraph> {
  const file = teacher.file ?? 'teacher';
  if (head.kind === 'classes' && head.zipmap) {
    throw new DistillError('bad-teacher', 'the narrow student needs a neural-network teacher (Conv / Gemm / MatMul layers); this one is an sklearn model: use an mlp student', file);
  }
  const warnings: string[] = [];
  let proto = teacher.proto;
  if (width < 1) {
    try {
      const r = await pruneGraph(teacher, { method: 'structured', sparsity: 1 - width, scope: 'layer', n: 2, m: 4, criterion: 'l1', round_to: 1, exclude: [] }, ctx);
      if (r.layers.length === 0) {
        throw new DistillError('bad-teacher', `no layer of the teacher can be narrowed${r.skipped.length ? ` (${r.skipped.slice(0, 3).map((s) => `${s.node}: ${s.reason}`).join('; ')})` : ''}; use an mlp student`, file);
      }
      proto = r.proto;
      warnings.push(...r.warnings);
    } catch (e) {
      if (isPruneError(e)) throw new DistillError('bad-teacher', `cannot narrow the teacher: ${e.message}`, file);
      throw e;
    }
  }
  const input = (proto.graph?.input ?? []).find((i) => !(proto.graph?.initializer ?? []).some((t) => t.name === i.name))?.name ?? '';
  return { proto, input, scores: scoresOf(proto, head, file, "the teacher's", 'use an mlp student'), architecture: describeLayers(proto), warnings };
}
