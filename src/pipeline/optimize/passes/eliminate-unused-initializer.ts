/** eliminate-unused-initializer: initializers (dense and sparse) nothing reads. */
import type { PassContext } from '../context';

/**
 * Removes initializers no main-graph node, subgraph or graph output reads, together with their graph-input
 * entries (IR < 4 models, or overridable defaults nobody uses) and value_info. Returns initializers removed.
 */
export async function eliminateUnusedInitializer(ctx: PassContext): Promise<number> {
  const used = ctx.pinnedNames();
  for (const n of ctx.nodes()) for (const i of n.input ?? []) if (i) used.add(i);
  const g = ctx.graph;
  const unused = new Set<string>();
  for (const t of g.initializer ?? []) if (!used.has(t.name ?? '')) unused.add(t.name ?? '');
  for (const s of g.sparseInitializer ?? []) {
    const name = s.values?.name ?? '';
    if (!used.has(name)) unused.add(name);
  }
  if (unused.size === 0) return 0;
  const before = (g.initializer?.length ?? 0) + (g.sparseInitializer?.length ?? 0);
  g.initializer = (g.initializer ?? []).filter((t) => !unused.has(t.name ?? ''));
  g.sparseInitializer = (g.sparseInitializer ?? []).filter((s) => !unused.has(s.values?.name ?? ''));
  g.input = (g.input ?? []).filter((v) => !unused.has(v.name ?? ''));
  ctx.dropValueInfo(unused);
  return before - g.initializer.length - g.sparseInitializer.length;
}
