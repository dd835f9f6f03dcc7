/** The one-line description of a drawn item: the canvas tooltip, and the source named on a stub edge. */
import { KIND_GROUP, KIND_NODE, type GraphIndex } from './graph-index';
import { BOX_FRAME, type Scene } from './scene';

/** `op — name` for a node, `path — N nodes (click to expand|collapse)` for a group, the tensor name for an input/output. */
export function itemTitle(index: GraphIndex, scene: Scene | null, item: number): string {
  const kind = index.kind(item);
  if (kind === KIND_NODE) return `${index.node(item).opType} — ${index.nodeLabel(item)}`;
  if (kind === KIND_GROUP) {
    const g = index.group(index.groupOf(item));
    const open = scene && scene.kind[scene.boxOfItem[item]!] === BOX_FRAME;
    return `${g.path} — ${g.totalNodes} nodes (click to ${open ? 'collapse' : 'expand'})`;
  }
  return index.view.tensors[index.ioTensorOf(item)]!.name;
}
