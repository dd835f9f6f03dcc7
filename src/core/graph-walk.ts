import type { Graph, Node } from './onnx-types';


export interface GraphVisit {
  readonly graph: Graph;
  /** `main`, then e.g. `main/loop_1:body`, `main/if_0:then_branch/…`. */
  readonly path: string;
  readonly depth: number;
  /** Names visible from enclosing graphs (outer scope), for subgraphs. */
  readonly parent?: GraphVisit;
  /** The node whose attribute holds this graph. */
  readonly owner?: Node;
}

/** The subgraphs a node's attributes hold (If/Loop/Scan bodies, any GRAPH/GRAPHS attribute). */
export function subgraphsOf(node: Node): { attr: string; graph: Graph }[] {
  const out: { attr: string; graph: Graph }[] = [];
  for (const a of node.attribute ?? []) {
    if (a.g) out.push({ attr: a.name ?? '', graph: a.g });
    for (const g of a.graphs ?? []) out.push({ attr: a.name ?? '', graph: g });
  }
  return out;
}

/**
 * Every graph reachable from `root` through node attributes, parents before children, iteratively
 * (so pathological nesting cannot overflow the stack).
 */
export function* walkGraphs(root: Graph, rootPath = 'main'): Generator<GraphVisit> {
  const stack: GraphVisit[] = [{ graph: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const v = stack.pop()!;
    yield v;
    const nodes = v.graph.node ?? [];
    const children: GraphVisit[] = [];
    nodes.forEach((n, i) => {
      for (const s of subgraphsOf(n)) {
        const label = n.name || `${n.opType ?? 'node'}_${i}`;
        children.push({ graph: s.graph, path: `${v.path}/${label}:${s.attr}`, depth: v.depth + 1, parent: v, owner: n });
      }
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Domain as ONNX writes it in reports: the default domain ('' or 'ai.onnx') is `ai.onnx`. */
export function normalizeDomain(d: string | null | undefined): string {
  return !d || d === 'ai.onnx' ? 'ai.onnx' : d;
}
