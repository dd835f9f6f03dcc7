/**
 * The laid-out picture in world coordinates, flat typed arrays for fast culling and drawing: boxes (frames
 * of expanded groups first, parents before children, then leaves) and edge polylines with bounding boxes.
 * Built from the per-container layouts: a container's content sits inside its frame (below the header).
 * An edge whose ends lie inside expanded groups is stitched from routes: out of each group holding the
 * source through its exit port, along the route of the container holding both ends, into each group
 * holding the target through its entry port. No DOM.
 */
import { GraphIndex, KIND_GROUP, KIND_INPUT, KIND_NODE, ROOT } from './graph-index';
import { FRAME_HEADER, type ItemBoxes } from './item-boxes';
import type { LayoutOutput } from './layout-types';
import { inPortEdge, outPortEdge } from './layout-plan';
import type { VisibleGraph } from './visible-graph';

export const BOX_NODE = 0;
export const BOX_GROUP = 1;
export const BOX_FRAME = 2;
export const BOX_INPUT = 3;
export const BOX_OUTPUT = 4;

export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface Scene {
  readonly count: number;
  /** Boxes [0, frameCount) are frames of expanded groups; the rest are drawn items. */
  readonly frameCount: number;
  readonly item: Int32Array;
  readonly kind: Uint8Array;
  /** Top-left corner and size. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array;
  readonly h: Float32Array;
  /** Box index of an item, -1 when not drawn. */
  readonly boxOfItem: Int32Array;
  readonly edgeCount: number;
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgeTensor: Int32Array;
  readonly edgeMulti: Int32Array;
  /** 1 for a stub: a short lead into the target of an edge from a broadcast source (see layered-layout.ts). */
  readonly edgeStub: Uint8Array;
  /** Polyline of edge e: points[2*edgeStart[e] .. 2*edgeStart[e+1]). */
  readonly edgeStart: Uint32Array;
  readonly points: Float32Array;
  /** minX, minY, maxX, maxY per edge. */
  readonly edgeBox: Float32Array;
  /** Where an edge label goes (x, y per edge). */
  readonly edgeMid: Float32Array;
  readonly bounds: Bounds;
}

export function composeScene(index: GraphIndex, vg: VisibleGraph, layouts: ReadonlyMap<number, LayoutOutput>, boxes: ItemBoxes): Scene {
  const leaves: number[] = [];
  const frameItems: number[] = [];
  const frameGeom: number[] = [];
  const leafGeom: number[] = [];
  const origin = new Map<number, [number, number]>([[ROOT, [0, 0]]]);

  for (const c of vg.containers) {
    const out = layouts.get(c.id);
    const o = origin.get(c.id);
    if (!out || !o) continue;
    for (let i = 0; i < c.items.length; i++) {
      const item = c.items[i]!;
      const cx = o[0] + out.x[i]!;
      const cy = o[1] + out.y[i]!;
      const childLayout = index.kind(item) === KIND_GROUP ? layouts.get(index.groupOf(item)) : undefined;
      const childExpanded = childLayout !== undefined && vg.containerById.has(index.groupOf(item));
      let w: number;
      let h: number;
      if (childExpanded) {
        [w, h] = boxes.frameSize(index.groupOf(item), childLayout.width, childLayout.height);
        const left = cx - w / 2;
        const top = cy - h / 2;
        // Content centred horizontally inside the frame (the frame may be wider than the content for its title).
        origin.set(index.groupOf(item), [left + (w - childLayout.width) / 2, top + FRAME_HEADER]);
        frameItems.push(item);
        frameGeom.push(left, top, w, h);
      } else {
        w = boxes.width(item);
        h = boxes.height(item);
        leaves.push(item);
        leafGeom.push(cx - w / 2, cy - h / 2, w, h);
      }
    }
  }
  const frameCount = frameItems.length;
  const count = frameCount + leaves.length;
  const item = Int32Array.from(frameItems.concat(leaves));
  const geom = frameGeom.concat(leafGeom);
  const kind = new Uint8Array(count);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const w = new Float32Array(count);
  const h = new Float32Array(count);
  const boxOfItem = new Int32Array(index.itemCount).fill(-1);
  for (let i = 0; i < count; i++) {
    x[i] = geom[4 * i]!;
    y[i] = geom[4 * i + 1]!;
    w[i] = geom[4 * i + 2]!;
    h[i] = geom[4 * i + 3]!;
    const k = index.kind(item[i]!);
    kind[i] = i < frameCount ? BOX_FRAME : k === KIND_NODE ? BOX_NODE : k === KIND_GROUP ? BOX_GROUP : k === KIND_INPUT ? BOX_INPUT : BOX_OUTPUT;
    boxOfItem[item[i]!] = i;
  }

  // Edges.
  const E = vg.edges.length;
  const edgeFrom = new Int32Array(E);
  const edgeTo = new Int32Array(E);
  const edgeTensor = new Int32Array(E);
  const edgeMulti = new Int32Array(E);
  const edgeStub = new Uint8Array(E);
  const edgeStart = new Uint32Array(E + 1);
  const edgeBox = new Float32Array(4 * E);
  const edgeMid = new Float32Array(2 * E);
  const pts: number[] = [];
  /** Appends the route of edge `k` of container `c`'s layout in world coordinates; false when there is none. */
  const route = (c: number, k: number): boolean => {
    const out = layouts.get(c);
    const o = origin.get(c);
    if (!out || !o || k < 0 || k + 1 >= out.edgeStart.length) return false;
    const s0 = out.edgeStart[k]!;
    const s1 = out.edgeStart[k + 1]!;
    if (s1 - s0 < 2) return false;
    for (let q = s0; q < s1; q++) pts.push(o[0] + out.points[2 * q]!, o[1] + out.points[2 * q + 1]!);
    return true;
  };
  for (let e = 0; e < E; e++) {
    const edge = vg.edges[e]!;
    edgeFrom[e] = edge.from;
    edgeTo[e] = edge.to;
    edgeTensor[e] = edge.tensor;
    edgeMulti[e] = edge.count;
    edgeStart[e] = pts.length / 2;
    const fromBox = boxOfItem[edge.from]!;
    const toBox = boxOfItem[edge.to]!;
    if (fromBox < 0 || toBox < 0) continue;
    const start = pts.length;
    // The pieces of the route: out of the groups holding the source (exit ports, innermost first), the
    // route in the container holding both ends, into the groups holding the target (entry ports,
    // outermost first). A stub piece (broadcast source) cuts off everything before it.
    const pieces: number[] = [];
    let item = edge.from;
    for (let c = index.parentOf(item); c !== edge.container && c !== ROOT; item = index.groupItem(c), c = index.parentOf(item)) {
      const vc = vg.containerById.get(c);
      pieces.push(c, vc ? outPortEdge(vc, index.positionOf(item)) : -1);
    }
    pieces.push(edge.container, edge.local);
    const entries: number[] = [];
    item = edge.to;
    for (let c = index.parentOf(item); c !== edge.container && c !== ROOT; item = index.groupItem(c), c = index.parentOf(item)) {
      const vc = vg.containerById.get(c);
      entries.push(c, vc ? inPortEdge(vc, edge.from, index.positionOf(item)) : -1);
    }
    for (let q = entries.length - 2; q >= 0; q -= 2) pieces.push(entries[q]!, entries[q + 1]!);
    let first = 0;
    for (let q = 0; q < pieces.length; q += 2) if (pieces[q + 1]! >= 0 && layouts.get(pieces[q]!)?.stubs?.[pieces[q + 1]!] === 1) first = q;
    edgeStub[e] = first > 0 || layouts.get(pieces[0]!)?.stubs?.[pieces[1]!] === 1 ? 1 : 0;
    for (let q = first; q < pieces.length; q += 2) {
      const added = route(pieces[q]!, pieces[q + 1]!);
      if (!added && pts.length === start) pts.push(x[fromBox]! + w[fromBox]! / 2, y[fromBox]! + h[fromBox]!);
    }
    const endX = x[toBox]! + w[toBox]! / 2;
    const endY = y[toBox]!;
    if (pts.length - start < 4 || Math.abs(pts[pts.length - 1]! - endY) > 0.5) pts.push(endX, endY);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let k = start; k < pts.length; k += 2) {
      minX = Math.min(minX, pts[k]!);
      maxX = Math.max(maxX, pts[k]!);
      minY = Math.min(minY, pts[k + 1]!);
      maxY = Math.max(maxY, pts[k + 1]!);
    }
    edgeBox[4 * e] = minX;
    edgeBox[4 * e + 1] = minY;
    edgeBox[4 * e + 2] = maxX;
    edgeBox[4 * e + 3] = maxY;
    const [mx, my] = midpoint(pts, start, pts.length);
    edgeMid[2 * e] = mx;
    edgeMid[2 * e + 1] = my;
  }
  edgeStart[E] = pts.length / 2;

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, x[i]!);
    minY = Math.min(minY, y[i]!);
    maxX = Math.max(maxX, x[i]! + w[i]!);
    maxY = Math.max(maxY, y[i]! + h[i]!);
  }
  if (count === 0) minX = minY = maxX = maxY = 0;
  return {
    count,
    frameCount,
    item,
    kind,
    x,
    y,
    w,
    h,
    boxOfItem,
    edgeCount: E,
    edgeFrom,
    edgeTo,
    edgeTensor,
    edgeMulti,
    edgeStub,
    edgeStart,
    points: Float32Array.from(pts),
    edgeBox,
    edgeMid,
    bounds: { minX, minY, maxX, maxY },
  };
}

/** The point halfway along a polyline (by length). */
function midpoint(pts: readonly number[], from: number, to: number): [number, number] {
  let length = 0;
  for (let k = from + 2; k < to; k += 2) length += Math.hypot(pts[k]! - pts[k - 2]!, pts[k + 1]! - pts[k - 1]!);
  let half = length / 2;
  for (let k = from + 2; k < to; k += 2) {
    const seg = Math.hypot(pts[k]! - pts[k - 2]!, pts[k + 1]! - pts[k - 1]!);
    if (seg >= half && seg > 0) {
      const t = half / seg;
      return [pts[k - 2]! + (pts[k]! - pts[k - 2]!) * t, pts[k - 1]! + (pts[k + 1]! - pts[k - 1]!) * t];
    }
    half -= seg;
  }
  return [pts[from] ?? 0, pts[from + 1] ?? 0];
}

/** Index of the top-most box at a world point (drawn items before frames), or -1. */
export function hitTest(scene: Scene, wx: number, wy: number): number {
  for (let i = scene.count - 1; i >= scene.frameCount; i--) {
    if (wx >= scene.x[i]! && wx <= scene.x[i]! + scene.w[i]! && wy >= scene.y[i]! && wy <= scene.y[i]! + scene.h[i]!) return i;
  }
  for (let i = scene.frameCount - 1; i >= 0; i--) {
    if (wx >= scene.x[i]! && wx <= scene.x[i]! + scene.w[i]! && wy >= scene.y[i]! && wy <= scene.y[i]! + scene.h[i]!) return i;
  }
  return -1;
}

/** Items in reading order of the picture: top to bottom, then left to right; items not drawn last. */
export function readingOrder(scene: Scene, items: Iterable<number>): number[] {
  const pos = (it: number) => {
    const b = scene.boxOfItem[it]!;
    return b < 0 ? [Infinity, Infinity] : [scene.y[b]!, scene.x[b]!];
  };
  return [...items].sort((a, b) => {
    const [ya, xa] = pos(a);
    const [yb, xb] = pos(b);
    return ya! - yb! || xa! - xb!;
  });
}
