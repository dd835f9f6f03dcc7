/**
 * The same container layout through dagre (@dagrejs/dagre: network-simplex ranks, crossing reduction with
 * transpositions, Brandes–Köpf coordinates). Best-looking for small containers; super-linear (≈1 ms per
 * node, and its recursive DFS overflows the stack on chains of a few thousand nodes), so `auto` only gives
 * it small containers. Also the benchmark's whole-graph baseline.
 */
import dagre from '@dagrejs/dagre';
import type { LayoutInput, LayoutOutput } from './layout-types';

export function dagreLayout(input: LayoutInput): LayoutOutput {
  const n = input.sizes.length / 2;
  const E = input.edges.length / 2;
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: input.nodesep, ranksep: input.ranksep, edgesep: input.edgesep, marginx: 0, marginy: 0 });
  for (let v = 0; v < n; v++) g.setNode(String(v), { width: input.sizes[2 * v]!, height: input.sizes[2 * v + 1]! });
  for (let e = 0; e < E; e++) {
    const a = input.edges[2 * e]!;
    const b = input.edges[2 * e + 1]!;
    if (a !== b) g.setEdge(String(a), String(b), {}, String(e));
  }
  dagre.layout(g);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const node = g.node(String(v)) as { x: number; y: number };
    x[v] = node.x;
    y[v] = node.y;
  }
  const edgeStart = new Uint32Array(E + 1);
  const pts: number[] = [];
  for (let e = 0; e < E; e++) {
    edgeStart[e] = pts.length / 2;
    const a = input.edges[2 * e]!;
    const b = input.edges[2 * e + 1]!;
    if (a === b) continue;
    const label = g.edge({ v: String(a), w: String(b), name: String(e) }) as { points?: { x: number; y: number }[] } | undefined;
    for (const p of label?.points ?? []) pts.push(p.x, p.y);
  }
  edgeStart[E] = pts.length / 2;
  const graph = g.graph() as { width?: number; height?: number };
  return { x, y, width: graph.width ?? 0, height: graph.height ?? 0, edgeStart, points: Float32Array.from(pts) };
}
