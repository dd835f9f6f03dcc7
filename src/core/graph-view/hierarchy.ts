/**
 * Nested groups from name scopes (`/encoder/layer.0/attn/MatMul` → encoder › layer.0 › attn), with scopes of
 * more than 1,000 direct children split into artificial groups of ≤ 1,000 (as Model Explorer does).
 */
import type { GvGroup } from './graph-types';

/** Most direct children a group shows before they are split into artificial groups. */
export const MAX_GROUP_CHILDREN = 1000;

interface TreeGroup {
  label: string;
  path: string;
  artificial: boolean;
  /** Direct children in order of first appearance: groups and node ids. */
  items: (TreeGroup | number)[];
  sub: Map<string, TreeGroup>;
  /** Smallest node index in the group's subtree (its place in graph order). */
  first: number;
}

export interface Hierarchy {
  readonly groups: GvGroup[];
  readonly rootGroups: number[];
  readonly rootNodes: number[];
  /** Innermost group of each node (-1 = top level). */
  readonly nodeGroup: Int32Array;
}

function newGroup(label: string, path: string, artificial = false): TreeGroup {
  return { label, path, artificial, items: [], sub: new Map(), first: Number.POSITIVE_INFINITY };
}

function firstIndex(x: TreeGroup | number): number {
  return typeof x === 'number' ? x : x.first;
}

/**
 * Splits over-full item lists into artificial groups, repeatedly, until every list has ≤ max entries. Items
 * (direct nodes and sub-groups alike) are cut in graph order — by their first node index — so consecutive
 * chunks follow the data flow instead of a scope's direct nodes landing after its sub-groups (which makes
 * edges run back and forth between the chunks).
 */
function split(g: TreeGroup, max: number): void {
  if (g.items.length <= max) return;
  g.items = g.items
    .map((x, k) => ({ x, k, f: firstIndex(x) }))
    .sort((a, b) => a.f - b.f || a.k - b.k)
    .map((e) => e.x);
  while (g.items.length > max) {
    const chunks: TreeGroup[] = [];
    const allNodes = g.items.every((x) => typeof x === 'number');
    for (let i = 0; i < g.items.length; i += max) {
      const end = Math.min(i + max, g.items.length);
      const label = `${allNodes ? 'nodes' : 'items'} ${i + 1}–${end}`;
      const c = newGroup(label, `${g.path}#${i + 1}-${end}`, true);
      c.items = g.items.slice(i, end);
      c.first = firstIndex(c.items[0]!);
      chunks.push(c);
    }
    g.items = chunks.sort((a, b) => a.first - b.first);
  }
}

/** Groups of node names; `names[i]` is node i's name. */
export function buildHierarchy(names: readonly string[], max = MAX_GROUP_CHILDREN): Hierarchy {
  const root = newGroup('', '');
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const cut = name.lastIndexOf('/');
    if (cut <= 0) {
      root.items.push(i);
      continue;
    }
    let g = root;
    g.first = Math.min(g.first, i);
    let start = 0;
    while (start < cut) {
      let end = name.indexOf('/', start);
      if (end < 0 || end > cut) end = cut;
      if (end > start) {
        const seg = name.slice(start, end);
        let child = g.sub.get(seg);
        if (!child) {
          child = newGroup(seg, name.slice(0, end));
          g.sub.set(seg, child);
          g.items.push(child);
        }
        g = child;
        g.first = Math.min(g.first, i);
      }
      start = end + 1;
    }
    g.items.push(i);
  }

  // Split, then number groups in preorder (iteratively: scopes can nest deeply).
  const groups: GvGroup[] = [];
  const nodeGroup = new Int32Array(names.length).fill(-1);
  const rootGroups: number[] = [];
  const rootNodes: number[] = [];
  interface Pending { g: TreeGroup; parent: number }
  interface Building { id: number; label: string; path: string; parent: number; children: number[]; nodes: number[]; artificial: boolean }
  const built: Building[] = [];
  split(root, max);
  const stack: Pending[] = [];
  const pushChildren = (items: (TreeGroup | number)[], parent: number): void => {
    for (let k = items.length - 1; k >= 0; k--) {
      const it = items[k]!;
      if (typeof it !== 'number') stack.push({ g: it, parent });
    }
  };
  for (const it of root.items) if (typeof it === 'number') rootNodes.push(it);
  pushChildren(root.items, -1);
  while (stack.length > 0) {
    const { g, parent } = stack.pop()!;
    split(g, max);
    const id = built.length;
    const b: Building = { id, label: g.label, path: g.path, parent, children: [], nodes: [], artificial: g.artificial };
    built.push(b);
    if (parent < 0) rootGroups.push(id);
    else built[parent]!.children.push(id);
    for (const it of g.items) {
      if (typeof it === 'number') {
        b.nodes.push(it);
        nodeGroup[it] = id;
      }
    }
    pushChildren(g.items, id);
  }
  // Children were pushed in order onto a LIFO stack reversed, so preorder ids follow the item order.
  const total = new Array<number>(built.length).fill(0);
  for (let id = built.length - 1; id >= 0; id--) {
    const b = built[id]!;
    total[id]! += b.nodes.length;
    if (b.parent >= 0) total[b.parent]! += total[id]!;
  }
  for (const b of built) {
    groups.push({
      id: b.id,
      label: b.label,
      path: b.path,
      parent: b.parent,
      children: b.children,
      nodes: b.nodes,
      totalNodes: total[b.id]!,
      ...(b.artificial ? { artificial: true } : {}),
    });
  }
  return { groups, rootGroups, rootNodes, nodeGroup };
}
