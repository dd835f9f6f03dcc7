/**
 * What the graph view remembers (the host app stores it with vscode getState/setState): the graph path,
 * the view centre and zoom (a centre, so a re-created webview of another size shows the same place),
 * expanded groups (by scope path), the selection (node name or `#id`, `group:<path>`, `tensor:<name>`)
 * and the name toggle. Parsing is defensive: saved state may come from an older version
 * or another model. Pure: no DOM.
 */
import type { Camera } from './camera';
import { GraphIndex, KIND_GROUP, KIND_NODE } from './graph-index';

export interface GraphViewState {
  readonly version: 1;
  readonly path: string;
  /** World point at the centre of the view and the zoom (screen px per world unit). */
  readonly center: Camera | null;
  readonly expanded: readonly string[];
  readonly selected: string | null;
  readonly showNames: boolean;
}

export function selectionKey(index: GraphIndex, item: number): string | null {
  if (item < 0 || item >= index.itemCount) return null;
  const kind = index.kind(item);
  if (kind === KIND_NODE) return index.nodeKey(item);
  if (kind === KIND_GROUP) return `group:${index.groupKey(index.groupOf(item))}`;
  return `tensor:${index.view.tensors[index.ioTensorOf(item)]!.name}`;
}

/** The item a selection key names (a node name or `#id` also works without prefix). */
export function itemOfKey(index: GraphIndex, key: string): number | undefined {
  if (key.startsWith('group:')) {
    const g = index.groupByKey(key.slice('group:'.length));
    return g === undefined ? undefined : index.groupItem(g);
  }
  if (key.startsWith('tensor:')) {
    const name = key.slice('tensor:'.length);
    for (let k = 0; k < index.ioTensor.length; k++) {
      if (index.view.tensors[index.ioTensor[k]!]!.name === name) return index.nodeCount + index.groupCount + k;
    }
    return undefined;
  }
  return index.nodeByKey(key);
}

export function captureViewState(index: GraphIndex, expanded: ReadonlySet<number>, center: Camera | null, selected: number, showNames: boolean): GraphViewState {
  return {
    version: 1,
    path: index.view.path,
    center: center ? { x: center.x, y: center.y, scale: center.scale } : null,
    expanded: [...expanded].sort((a, b) => a - b).map((g) => index.groupKey(g)),
    selected: selectionKey(index, selected),
    showNames,
  };
}

export function expandedFromState(index: GraphIndex, keys: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const key of keys) {
    const g = index.groupByKey(key);
    if (g !== undefined) out.add(g);
  }
  return out;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseViewState(x: unknown): GraphViewState | null {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  if (o.version !== 1 || typeof o.path !== 'string') return null;
  let center: Camera | null = null;
  if (typeof o.center === 'object' && o.center !== null) {
    const c = o.center as Record<string, unknown>;
    if (finite(c.x) && finite(c.y) && finite(c.scale) && c.scale > 0) center = { x: c.x, y: c.y, scale: c.scale };
  }
  return {
    version: 1,
    path: o.path,
    center,
    expanded: Array.isArray(o.expanded) ? o.expanded.filter((k): k is string => typeof k === 'string') : [],
    selected: typeof o.selected === 'string' ? o.selected : null,
    showNames: o.showNames === true,
  };
}
