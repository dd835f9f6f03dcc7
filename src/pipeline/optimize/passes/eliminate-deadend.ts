/** eliminate-deadend: nodes none of whose outputs reaches a graph output. */
import type { PassContext } from '../context';
import { subgraphReferences, type Node } from '../../shared/nodes';

/**
 * Removes main-graph nodes whose outputs reach no graph output (liveness walks back from the graph outputs;
 * a live node's subgraphs keep alive whatever they read from outside). Returns nodes removed.
 */
export async function eliminateDeadEnd(ctx: PassContext): Promise<number> {
  const { producer } = ctx.index();
  const live = new Set<Node>();
  const seen = new Set<string>();
  const work = [...ctx.graphOutputs()];
  while (work.length > 0) {
    const name = work.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const p = producer.get(name);
    if (!p || live.has(p)) continue;
    live.add(p);
    for (const i of p.input ?? []) if (i) work.push(i);
    for (const r of subgraphReferences(p)) work.push(r);
  }
  const dead = new Set(ctx.nodes().filter((n) => !live.has(n)));
  ctx.removeNodes(dead);
  return dead.size;
}
