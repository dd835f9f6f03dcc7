/**
 * The automation contract for Playwright tests and the benchmark: `data-graph-*` attributes on
 * document.body, and `window.__ptpGraph`.
 *
 *   data-graph-state    loading | ready | error
 *   data-nodes-total    nodes of the displayed graph
 *   data-nodes-visible  nodes drawn as nodes (inside expanded groups)
 *   data-layout-ms      wall time of the last layout (visible-graph computation, layouts, scene)
 *   data-selected-node  the selection key (also on the component's root element)
 */

import { panBy, zoomAt, type Camera } from './camera';
import type { Viewport } from './viewport';

export type GraphState = 'loading' | 'ready' | 'error';

export interface GraphTestApi {
  /** Selects (and reveals) a node by name or `#id`; false when there is no such node. */
  selectNode(name: string): Promise<boolean>;
  /** Centre of a drawn node in client (CSS px) coordinates; null when the node is not drawn. */
  nodeScreenPosition(name: string): { x: number; y: number } | null;
  /** The drawn box (client coordinates) of a node, `group:<path>` or `tensor:<name>`; null when not drawn. */
  nodeScreenRect(name: string): { x: number; y: number; width: number; height: number } | null;
  /** Bench helpers. */
  expandAll(): Promise<void>;
  collapseAll(): Promise<void>;
  fit(): void;
  /** Pans by screen pixels and draws immediately. */
  panBy(dx: number, dy: number): void;
  /** Zooms (screen px per world unit) around the viewport centre and draws immediately. */
  zoomTo(scale: number): void;
  stats(): {
    nodesTotal: number;
    nodesVisible: number;
    boxes: number;
    edges: number;
    layoutMs: number;
    scale: number;
    workers: boolean;
    /** Phases of the last layout, ms: visibleGraph, layouts, scene, a11yTree, minimap. */
    phases?: Record<string, number>;
  };
}

declare global {
  interface Window {
    __ptpGraph?: GraphTestApi;
  }
}

/** What the test API needs from a component. */
export interface TestApiHost {
  select(name: string): Promise<boolean>;
  /** The item of a selection key (node name, `#id`, `group:<path>`, `tensor:<name>`); undefined when unknown. */
  itemOfKey(name: string): number | undefined;
  /** The component's camera; moved without reporting a move, then `draw` is called. */
  readonly viewport: Viewport;
  /** The graph canvas (the viewport's screen coordinates start at its top-left). */
  readonly canvas: HTMLElement;
  /** Draws immediately. */
  draw(): void;
  expandAll(): Promise<void>;
  collapseAll(): Promise<void>;
  stats(): ReturnType<GraphTestApi['stats']>;
}

export function createTestApi(h: TestApiHost): GraphTestApi {
  const view = h.viewport;
  const screenRect = (name: string) => {
    const item = h.itemOfKey(name);
    const box = item === undefined ? null : view.screenBox(item);
    if (!box) return null;
    const r = h.canvas.getBoundingClientRect();
    return { x: r.left + box.x, y: r.top + box.y, width: box.width, height: box.height };
  };
  const setCamera = (f: (cam: Camera, viewW: number, viewH: number) => Camera) => {
    view.set(f(view.camera, view.width, view.height));
    h.draw();
  };
  return {
    selectNode: (name) => h.select(name),
    nodeScreenPosition: (name) => {
      const r = screenRect(name);
      return r ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    },
    nodeScreenRect: (name) => screenRect(name),
    expandAll: () => h.expandAll(),
    collapseAll: () => h.collapseAll(),
    fit: () => {
      view.fitSilently();
      h.draw();
    },
    panBy: (dx, dy) => setCamera((cam) => panBy(cam, dx, dy)),
    zoomTo: (scale) => setCamera((cam, w, hgt) => zoomAt(cam, w / 2, hgt / 2, scale / cam.scale)),
    stats: () => h.stats(),
  };
}

/** Installs `api` as window.__ptpGraph; the returned function removes it (when it is still the one installed). */
export function installTestApi(api: GraphTestApi): () => void {
  window.__ptpGraph = api;
  return () => {
    if (window.__ptpGraph === api) delete window.__ptpGraph;
  };
}

type DataValues = Readonly<Record<string, string | number | null>>;

function setData(el: HTMLElement, values: DataValues): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete el.dataset[k];
    else el.dataset[k] = String(v);
  }
}

/** Sets `data-*` attributes on document.body (null removes one). */
export function setBodyData(values: DataValues): void {
  setData(document.body, values);
}

/** Sets `data-*` attributes on a component's root element and, when `body`, on document.body too. */
export function publishData(root: HTMLElement, body: boolean, values: DataValues): void {
  setData(root, values);
  if (body) setBodyData(values);
}
