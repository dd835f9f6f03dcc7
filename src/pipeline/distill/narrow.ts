/**
 * The `narrow` student: the teacher itself with every prunable layer keeping `width` of its channels (structured
 * pruning's graph surgery keeps the strongest channels by L1 norm, so training starts from the teacher's own
 * weights). The trainer fits the teacher's logits — the input of a final Softmax (or Sigmoid, for one column) when the
 * teacher outputs probabilities — or its regression output.
 */
import type { OnnxModel } from '../../core';
import { longToNumber } from '../../core/long';
import type { onnx } from '../../core/proto/onnx';
import { isPruneError } from '../prune/errors';
import { pruneGraph } from '../prune/prune-graph';
import type { OperationContext } from '../types';
import { DistillError } from './errors';
import type { StudentGraph } from './student';
import type { TeacherHead } from './teacher';

type Node = onnx.NodeProto.$Properties;

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
  return { proto, input, scores: scoresOf(proto, head, file), architecture: describe(proto), warnings };
}

/** The tensor to fit: the teacher's logits output, the input of the Softmax making its probabilities, or its values. */
function scoresOf(proto: onnx.ModelProto, head: TeacherHead, file: string): string {
  if (head.kind === 'regression') return head.output;
  if (head.transform === 'softmax') return head.scoreOutput;
  const producer = (proto.graph?.node ?? []).find((n) => n.output?.includes(head.scoreOutput));
  const final = head.oneColumn ? 'Sigmoid' : 'Softmax';
  if (!producer || producer.opType !== final) {
    throw new DistillError('bad-teacher', `the teacher's probabilities ('${head.scoreOutput}') do not come from a final ${final}, so there are no logits to fit; use an mlp student`, file);
  }
  return producer.input![0]!;
}

/** `Conv 4 → Relu → MaxPool → Flatten → Gemm 10`: op types in order, with the output channels of weighted layers. */
function describe(proto: onnx.ModelProto): string {
  const inits = new Map((proto.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  return (proto.graph?.node ?? [])
    .map((n: Node) => {
      const w = n.input?.[1] ? inits.get(n.input[1]) : undefined;
      if (!w || !['Conv', 'Gemm', 'MatMul'].includes(n.opType ?? '')) return n.opType ?? '?';
      const dims = (w.dims ?? []).map((d) => longToNumber(d));
      const transB = (n.attribute ?? []).some((a) => a.name === 'transB' && longToNumber(a.i) === 1);
      const out = n.opType === 'Conv' ? dims[0] : n.opType === 'Gemm' && transB ? dims[0] : dims[dims.length - 1];
      return `${n.opType} ${out}`;
    })
    .join(' → ');
}
