/**
 * Which groups are expanded, and what that means for every item: the outermost collapsed group holding it
 * (its representative on screen). Pure: no DOM.
 */
import { GraphIndex, ROOT } from './graph-index';

/** Big graphs start collapsed: at most this many items are drawn before the user expands anything. */
export const INITIAL_VISIBLE_BUDGET = 300;

/**
 * The groups to expand when a graph is first shown. Small graphs (≤ budget nodes) open fully; otherwise
 * whole levels of the hierarchy are opened breadth-first while the number of drawn items (nodes plus
 * collapsed group boxes) stays within the budget, so the first picture is a readable overview.
 */
export function initialExpansion(index: GraphIndex, budget = INITIAL_VISIBLE_BUDGET): Set<number> {
  const expanded = new Set<number>();
  if (index.nodeCount <= budget) {
    for (let g = 0; g < index.groupCount; g++) expanded.add(g);
    return expanded;
  }
  let visible = index.childrenOf(ROOT).length;
  let frontier = index.view.rootGroups.slice();
  while (frontier.length > 0) {
    let cost = 0;
    for (const g of frontier) cost += index.childrenOf(g).length - 1;
    if (visible + cost > budget) break;
    visible += cost;
    const next: number[] = [];
    for (const g of frontier) {
      expanded.add(g);
      next.push(...index.group(g).children);
    }
    frontier = next;
  }
  return expanded;
}

/**
 * For every group: the outermost collapsed group among itself and its ancestors, or -1 when it and all
 * its ancestors are expanded (its content is drawn). Parents come before children in GraphView.groups is
 * not guaranteed, so this walks up with memoisation.
 */
export function collapsedRepresentatives(index: GraphIndex, expanded: ReadonlySet<number>): Int32Array {
  const rep = new Int32Array(index.groupCount).fill(-2);
  const resolve = (g: number): number => {
    const stack: number[] = [];
    let p = g;
    while (p !== ROOT && rep[p] === -2) {
      stack.push(p);
      p = index.group(p).parent;
    }
    let above = p === ROOT ? -1 : rep[p]!;
    for (let i = stack.length - 1; i >= 0; i--) {
      const q = stack[i]!;
      rep[q] = above >= 0 ? above : expanded.has(q) ? -1 : q;
      above = rep[q]!;
    }
    return rep[g]!;
  };
  for (let g = 0; g < index.groupCount; g++) if (rep[g] === -2) resolve(g);
  return rep;
}

/** True when the group's box or frame is drawn (all its ancestors are expanded). */
export function isGroupShown(index: GraphIndex, expanded: ReadonlySet<number>, g: number): boolean {
  for (let p = index.group(g).parent; p !== ROOT; p = index.group(p).parent) if (!expanded.has(p)) return false;
  return true;
}

/** A copy of `expanded` with every group holding `item` expanded (so the item is drawn). */
export function expandTo(index: GraphIndex, expanded: ReadonlySet<number>, item: number): Set<number> {
  const next = new Set(expanded);
  for (const g of index.ancestors(item)) next.add(g);
  return next;
}

/** Every group expanded. */
export function expandAll(index: GraphIndex): Set<number> {
  const all = new Set<number>();
  for (let g = 0; g < index.groupCount; g++) all.add(g);
  return all;
}
