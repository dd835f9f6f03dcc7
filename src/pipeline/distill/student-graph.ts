/**
 * What students kept as ONNX graphs (`narrow`, `model`) share: the tensor the trainer fits — the teacher's logits
 * output, the input of the final Softmax (or Sigmoid, for one column) when the teacher outputs probabilities, or the
 * regression output — and the human-readable layer list of the report.
 */
import { longToNumber } from '../../core/long';
import type { onnx } from '../../core/proto/onnx';
import { DistillError } from './errors';
import type { TeacherHead } from './teacher';
import type { Node } from '../../core/onnx-types';


/**
 * The tensor of `proto` to fit to the teacher's targets. `whose` names the graph in messages ("the teacher's",
 * "the student's"); `otherwise` says what to do when there are no logits.
 */
export function scoresOf(proto: onnx.ModelProto, head: TeacherHead, file: string, whose: string, otherwise: string): string {
  if (head.kind === 'regression') return head.output;
  if (head.transform === 'softmax') return head.scoreOutput;
  const producer = (proto.graph?.node ?? []).find((n) => n.output?.includes(head.scoreOutput));
  const final = head.oneColumn ? 'Sigmoid' : 'Softmax';
  if (!producer || producer.opType !== final) {
    throw new DistillError('bad-teacher', `${whose} probabilities ('${head.scoreOutput}') do not come from a final ${final}, so there are no logits to fit; ${otherwise}`, file);
  }
  return producer.input![0]!;
}

/** `Conv 4 → Relu → MaxPool → Flatten → Gemm 10`: op types in order, with the output channels of weighted layers. */
export function describeLayers(proto: onnx.ModelProto): string {
  const inits = new Map((proto.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  return (proto.graph?.node ?? [])
    .filter((n: Node) => n.opType !== 'Constant')
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
