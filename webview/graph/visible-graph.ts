/**
 * The graph as drawn for one expansion state: the containers to lay out (the root and every expanded
 * group, parents first), their child items, and the edges between drawn items — aggregated, so two
 * collapsed groups get one edge however many tensors flow between them. Pure: no DOM.
 *
 * Each edge belongs to the innermost container holding both ends (their lowest common ancestor); in that
 * container's layout it runs between the two children that hold its ends ("local" ends). The set of local
 * edges of a container does not depend on what is expanded below it, so a container's layout can be cached
 * by its id and the sizes of its expanded children.
 */
import { GraphIndex, KIND_GROUP, ROOT } from './graph-index';
import { collapsedRepresentatives } from './hierarchy';

export interface VisibleContainer {
  /** Group id, or ROOT. */
  readonly id: number;
  /** Child items (groups, nodes, input/output pills at the root). */
  readonly items: Int32Array;
  /** Local edges as pairs of indices into `items`. */
  readonly edges: Int32Array;
  /**
   * Ports, so that routes inside an expanded group go around its nodes. Entry ports sit on the top rank,
   * one per outside source (drawn item) sending edges in; each has an edge to every child it feeds (a
   * port feeding many far children is a broadcast and gets stubs). Exit ports sit on the bottom rank, one
   * per child with edges leaving the group.
   */
  readonly inPorts: number;
  /** Entry port edges as pairs (port number, child index). */
  readonly inPortEdges: Int32Array;
  /** Entry port edge number by `portOf(source) * items.length + child`. */
  readonly inPortEdgeOf: ReadonlyMap<number, number>;
  /** Entry port number by outside source item. */
  readonly inPortOf: ReadonlyMap<number, number>;
  /** Per child index: its exit port number, or -1. */
  readonly outPort: Int32Array;
  readonly outPorts: number;
}

export interface VisibleEdge {
  /** Drawn items at both ends (nodes, collapsed groups, input/output pills). */
  readonly from: number;
  readonly to: number;
  /** The first tensor carried (for the label); `count` distinct tensors in all. */
  readonly tensor: number;
  readonly count: number;
  /** Container whose layout routes the edge, and the index of its local edge there. */
  readonly container: number;
  readonly local: number;
}

export interface VisibleGraph {
  /** Parents before children; the root first. */
  readonly containers: readonly VisibleContainer[];
  readonly containerById: ReadonlyMap<number, VisibleContainer>;
  /** Items drawn as boxes (not frames): nodes of expanded containers, collapsed groups, pills. */
  readonly leaves: Int32Array;
  readonly edges: readonly VisibleEdge[];
  /** Nodes drawn as nodes. */
  readonly visibleNodes: number;
  /** Per node: the item it is drawn as (itself or its outermost collapsed group). */
  readonly repOfNode: Int32Array;
}

export function computeVisibleGraph(index: GraphIndex, expanded: ReadonlySet<number>): VisibleGraph {
  const view = index.view;
  const groupRep = collapsedRepresentatives(index, expanded);
  const repOfNode = new Int32Array(index.nodeCount);
  let visibleNodes = 0;
  for (let n = 0; n < index.nodeCount; n++) {
    const g = view.nodes[n]!.group;
    const r = g === ROOT ? -1 : groupRep[g]!;
    repOfNode[n] = r >= 0 ? index.groupItem(r) : n;
    if (r < 0) visibleNodes++;
  }

  // Containers: the root and the expanded groups whose ancestors are all expanded, top-down.
  const containerIds: number[] = [ROOT];
  const leaves: number[] = [];
  for (let i = 0; i < containerIds.length; i++) {
    for (const item of index.childrenOf(containerIds[i]!)) {
      if (index.kind(item) === KIND_GROUP && groupRep[index.groupOf(item)] === -1) containerIds.push(index.groupOf(item));
      else leaves.push(item);
    }
  }

  // Leaf-level edges, deduplicated by (from, to).
  const M = index.itemCount;
  // Tensors are visited one at a time, so repeats of the same tensor on an edge are consecutive: `last`
  // makes `count` the number of distinct tensors (one tensor read by three nodes of a group counts once).
  const edgeByKey = new Map<number, { from: number; to: number; tensor: number; count: number; last: number }>();
  const addEdge = (from: number, to: number, tensor: number) => {
    if (from === to) return;
    const key = from * M + to;
    const e = edgeByKey.get(key);
    if (!e) edgeByKey.set(key, { from, to, tensor, count: 1, last: tensor });
    else if (e.last !== tensor) {
      e.count++;
      e.last = tensor;
    }
  };
  for (const t of view.tensors) {
    let from: number;
    if (t.producer >= 0 && t.producer < index.nodeCount) from = repOfNode[t.producer]!;
    else {
      const input = index.inputItem(t.id);
      if (input === undefined) continue; // initializers and outer-scope values are shown in the side panel
      from = input;
    }
    for (const c of t.consumers) if (c >= 0 && c < index.nodeCount) addEdge(from, repOfNode[c]!, t.id);
    const output = index.outputItem(t.id);
    if (output !== undefined) addEdge(from, output, t.id);
  }

  // Route each edge through the lowest common container; collect local edges per container.
  const localIndex = new Map<number, Map<number, number>>();
  const localPairs = new Map<number, number[]>();
  for (const id of containerIds) {
    localIndex.set(id, new Map());
    localPairs.set(id, []);
  }
  const posOf = (_container: number, item: number): number => index.positionOf(item);
  const edges: VisibleEdge[] = [];
  for (const e of edgeByKey.values()) {
    let a = e.from;
    let b = e.to;
    let ca = index.parentOf(a);
    let cb = index.parentOf(b);
    let da = index.containerDepth(ca);
    let db = index.containerDepth(cb);
    while (da > db) {
      a = index.groupItem(ca);
      ca = index.group(ca).parent;
      da--;
    }
    while (db > da) {
      b = index.groupItem(cb);
      cb = index.group(cb).parent;
      db--;
    }
    while (ca !== cb) {
      a = index.groupItem(ca);
      ca = index.group(ca).parent;
      b = index.groupItem(cb);
      cb = index.group(cb).parent;
    }
    const container = ca;
    const la = posOf(container, a);
    const lb = posOf(container, b);
    const key = la * M + lb;
    const map = localIndex.get(container)!;
    let local = map.get(key);
    if (local === undefined) {
      local = map.size;
      map.set(key, local);
      localPairs.get(container)!.push(la, lb);
    }
    edges.push({ from: e.from, to: e.to, tensor: e.tensor, count: e.count, container, local });
  }

  // Ports: walk each edge's ends up to its routing container, through the groups they pass.
  const inPortOf = new Map<number, Map<number, number>>();
  const inPortEdgeOf = new Map<number, Map<number, number>>();
  const inPortEdges = new Map<number, number[]>();
  const outMark = new Map<number, Uint8Array>();
  for (const e of edges) {
    let item = e.from;
    for (let c = index.parentOf(item); c !== e.container && c !== ROOT; item = index.groupItem(c), c = index.parentOf(item)) {
      let m = outMark.get(c);
      if (!m) outMark.set(c, (m = new Uint8Array(index.childrenOf(c).length)));
      m[posOf(c, item)] = 1;
    }
    item = e.to;
    for (let c = index.parentOf(item); c !== e.container && c !== ROOT; item = index.groupItem(c), c = index.parentOf(item)) {
      let ports = inPortOf.get(c);
      if (!ports) {
        inPortOf.set(c, (ports = new Map()));
        inPortEdgeOf.set(c, new Map());
        inPortEdges.set(c, []);
      }
      let port = ports.get(e.from);
      if (port === undefined) ports.set(e.from, (port = ports.size));
      const key = port * index.childrenOf(c).length + posOf(c, item);
      const byKey = inPortEdgeOf.get(c)!;
      if (!byKey.has(key)) {
        byKey.set(key, byKey.size);
        inPortEdges.get(c)!.push(port, posOf(c, item));
      }
    }
  }
  const none = new Map<number, number>();
  const containers = containerIds.map((id) => {
    const items = index.childrenOf(id);
    const outPort = new Int32Array(items.length).fill(-1);
    let outPorts = 0;
    const m = outMark.get(id);
    if (m) for (let i = 0; i < items.length; i++) if (m[i]) outPort[i] = outPorts++;
    return {
      id,
      items,
      edges: Int32Array.from(localPairs.get(id)!),
      inPorts: inPortOf.get(id)?.size ?? 0,
      inPortEdges: Int32Array.from(inPortEdges.get(id) ?? []),
      inPortEdgeOf: inPortEdgeOf.get(id) ?? none,
      inPortOf: inPortOf.get(id) ?? none,
      outPort,
      outPorts,
    };
  });
  return {
    containers,
    containerById: new Map(containers.map((c) => [c.id, c])),
    leaves: Int32Array.from(leaves),
    edges,
    visibleNodes,
    repOfNode,
  };
}

/** The item a node is drawn as in a visible graph (itself, or the collapsed group holding it). */
export function drawnItemOfNode(vg: VisibleGraph, node: number): number {
  return vg.repOfNode[node]!;
}
