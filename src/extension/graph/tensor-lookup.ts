/**
 * The TensorProto behind a tensor name or attribute reference of a graph (what "Save as .npy" writes): an
 * initializer of the graph or an enclosing one, a Constant's value, or a TENSOR attribute (`@<node>:<attr>`).
 */
import type { OnnxModel } from '../../core';
import type { onnx } from '../../core/proto/onnx';

type Core = typeof import('../../core');
type TensorProto = onnx.TensorProto.$Properties;

export function findTensorProto(core: Core, model: OnnxModel, graphPath: string, ref: string): TensorProto {
  const r = core.resolveGraph(model.proto, graphPath);
  const parsed = core.parseTensorRef(ref);
  let found: TensorProto | undefined;
  if (parsed) {
    const a = r.graph.node?.[parsed.nodeId]?.attribute?.find((x) => x.name === parsed.attr);
    found = parsed.index !== undefined ? (a?.tensors?.[parsed.index] ?? undefined) : (a?.t ?? undefined);
  } else {
    for (let k = r.levels.length - 1; k >= 0 && !found; k--) {
      const g = r.levels[k]!.graph;
      found = g.initializer?.find((x) => x.name === ref);
      if (!found) {
        const c = g.node?.find((n) => n.opType === 'Constant' && (!n.domain || n.domain === 'ai.onnx') && n.output?.[0] === ref);
        found = c?.attribute?.find((x) => x.name === 'value')?.t ?? undefined;
      }
    }
  }
  if (!found) throw new Error(`'${ref}' is not a dense tensor stored in the model (sparse tensors and computed values cannot be saved as .npy).`);
  return found;
}
