/**
 * Lays out the containers of a visible graph bottom-up: a container waits for its expanded children (their
 * frame sizes are its box sizes), then runs as one job; independent containers run in parallel in the
 * worker pool. Results are cached per container, keyed by the container, the name toggle and the sizes of
 * its expanded children — collapsing and re-expanding, or expanding a sibling, re-lays out only the
 * containers on the path to the root.
 */
import { KIND_GROUP } from './graph-index';
import { EDGESEP, NODESEP, RANKSEP, type ItemBoxes } from './item-boxes';
import { chooseEngine, type LayoutEngine, type LayoutEngineChoice, type LayoutInput, type LayoutOutput } from './layout-types';
import type { GraphIndex } from './graph-index';
import type { VisibleContainer, VisibleGraph } from './visible-graph';

/** dagre is only used in `auto` mode when the whole picture is this small (it costs ≈1 ms per node). */
export const DAGRE_AUTO_MAX_VISIBLE = 1200;

export type RunLayout = (engine: LayoutEngine, input: LayoutInput) => Promise<LayoutOutput>;

export interface PlanProgress {
  readonly done: number;
  readonly total: number;
}

export class LayoutCache {
  private readonly map = new Map<string, LayoutOutput>();

  get(key: string): LayoutOutput | undefined {
    return this.map.get(key);
  }

  set(key: string, out: LayoutOutput): void {
    this.map.set(key, out);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

export interface PlanResult {
  readonly layouts: ReadonlyMap<number, LayoutOutput>;
  /** Containers laid out now (not from the cache). */
  readonly computed: number;
}

/**
 * The layout input of one container: its child boxes (expanded children at their frame size), then its
 * ports (zero-size items pinned to the top or bottom); local edges, then port → child and child → port
 * edges. Also the cache key (container, name toggle, sizes of expanded children).
 */
export function containerInput(
  index: GraphIndex,
  c: VisibleContainer,
  boxes: ItemBoxes,
  layouts: ReadonlyMap<number, LayoutOutput>,
): { input: LayoutInput; key: string; pinned: boolean } {
  const n = c.items.length;
  const total = n + c.inPorts + c.outPorts;
  const sizes = new Float64Array(total * 2);
  const pins = new Int8Array(total);
  let key = `${c.id}|${boxes.showNames ? 1 : 0}|`;
  for (let i = 0; i < n; i++) {
    const item = c.items[i]!;
    let w: number;
    let h: number;
    const child = index.kind(item) === KIND_GROUP ? layouts.get(index.groupOf(item)) : undefined;
    if (child) {
      [w, h] = boxes.frameSize(index.groupOf(item), child.width, child.height);
      key += `${i}:${w.toFixed(1)}x${h.toFixed(1)},`;
    } else {
      w = boxes.width(item);
      h = boxes.height(item);
    }
    sizes[2 * i] = w;
    sizes[2 * i + 1] = h;
  }
  const edges = Array.from(c.edges);
  for (let p = 0; p < c.inPorts; p++) pins[n + p] = -1;
  // Entry ports depend on what is drawn outside the group: they are part of the cache key (as a hash).
  let hash = 2166136261;
  for (let k = 0; k < c.inPortEdges.length; k += 2) {
    edges.push(n + c.inPortEdges[k]!, c.inPortEdges[k + 1]!);
    hash = Math.imul(hash ^ c.inPortEdges[k]!, 16777619);
    hash = Math.imul(hash ^ c.inPortEdges[k + 1]!, 16777619);
  }
  key += `in${c.inPorts}:${hash >>> 0}`;
  for (let i = 0; i < n; i++) {
    const k = c.outPort[i]!;
    if (k >= 0) {
      pins[n + c.inPorts + k] = 1;
      edges.push(i, n + c.inPorts + k);
    }
  }
  const pinned = c.inPorts + c.outPorts > 0;
  const input: LayoutInput = { sizes, edges: Int32Array.from(edges), nodesep: NODESEP, ranksep: RANKSEP, edgesep: EDGESEP, ...(pinned ? { pins } : {}) };
  return { input, key, pinned };
}

/** Index of the route of an entry port edge (outside `source` → `child`) in a container's layout, or -1. */
export function inPortEdge(c: VisibleContainer, source: number, child: number): number {
  const port = c.inPortOf.get(source);
  if (port === undefined) return -1;
  const k = c.inPortEdgeOf.get(port * c.items.length + child);
  return k === undefined ? -1 : c.edges.length / 2 + k;
}

/** Index of the route of an exit port edge (`child` → bottom) in a container's layout, or -1. */
export function outPortEdge(c: VisibleContainer, child: number): number {
  const k = c.outPort[child]!;
  return k < 0 ? -1 : c.edges.length / 2 + c.inPortEdges.length / 2 + k;
}

export async function layoutVisibleGraph(
  index: GraphIndex,
  vg: VisibleGraph,
  boxes: ItemBoxes,
  cache: LayoutCache,
  run: RunLayout,
  engine: LayoutEngineChoice,
  onProgress?: (p: PlanProgress) => void,
): Promise<PlanResult> {
  const layouts = new Map<number, LayoutOutput>();
  const pending = new Map<number, Promise<LayoutOutput>>();
  const allowDagre = engine !== 'auto' || vg.leaves.length + vg.containers.length <= DAGRE_AUTO_MAX_VISIBLE;
  const total = vg.containers.length;
  let done = 0;
  let computed = 0;

  const layoutOf = (c: VisibleContainer): Promise<LayoutOutput> => {
    let p = pending.get(c.id);
    if (p) return p;
    const children: Promise<LayoutOutput>[] = [];
    for (const item of c.items) {
      if (index.kind(item) !== KIND_GROUP) continue;
      const child = vg.containerById.get(index.groupOf(item));
      if (child) children.push(layoutOf(child));
    }
    p = Promise.all(children).then(() => {
      const input = containerInput(index, c, boxes, layouts);
      const finish = (out: LayoutOutput) => {
        layouts.set(c.id, out);
        onProgress?.({ done: ++done, total });
        return out;
      };
      const cached = cache.get(input.key);
      if (cached) return finish(cached);
      const chosen = allowDagre ? chooseEngine(engine, c.items.length, c.edges.length / 2, input.pinned) : 'layered';
      computed++;
      return run(chosen, input.input).then((out) => {
        cache.set(input.key, out);
        return finish(out);
      });
    });
    pending.set(c.id, p);
    return p;
  };

  await layoutOf(vg.containers[0]!);
  return { layouts, computed };
}
