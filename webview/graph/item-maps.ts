/**
 * Search hits and diff marks name nodes; on screen they land on the drawn item holding each node (the node
 * itself, or the collapsed group it hides in). Also the item a search hit jumps to. Pure: no DOM.
 */
import type { DiffMark } from './api';
import type { GraphIndex } from './graph-index';
import type { SearchHit } from './search';
import type { VisibleGraph } from './visible-graph';

function drawnItem(index: GraphIndex, vg: VisibleGraph, node: number): number {
  return node >= 0 && node < index.nodeCount ? vg.repOfNode[node]! : node;
}

/** The item a search hit jumps to: the node, or for a tensor the graph input pill, its producer, or the output pill; -1 for none. */
export function jumpItem(index: GraphIndex, hit: SearchHit): number {
  if (hit.kind !== 'tensor') return hit.node;
  return index.inputItem(hit.id) ?? (hit.node >= 0 ? hit.node : (index.outputItem(hit.id) ?? -1));
}

/** Drawn items to outline for search hits (a tensor hit on a graph input outlines the input pill). */
export function hitItems(index: GraphIndex, vg: VisibleGraph, hits: readonly SearchHit[]): Set<number> {
  const out = new Set<number>();
  for (const hit of hits) {
    const io = hit.kind === 'tensor' ? index.inputItem(hit.id) : undefined;
    const item = io ?? drawnItem(index, vg, hit.node);
    if (item >= 0) out.add(item);
  }
  return out;
}

/** Outline colour per drawn item; a collapsed group holding nodes with different marks gets `mixed`. */
export function markItems(index: GraphIndex, vg: VisibleGraph, marks: ReadonlyMap<string, DiffMark>, colors: Readonly<Record<DiffMark, string>>, mixed: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, mark] of marks) {
    const node = index.nodeByKey(key);
    if (node === undefined) continue;
    const item = drawnItem(index, vg, node);
    const prev = out.get(item);
    out.set(item, prev && prev !== colors[mark] ? mixed : colors[mark]);
  }
  return out;
}
