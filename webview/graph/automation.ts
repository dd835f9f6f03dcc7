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
  /** Client rectangle of a drawn item by selection key, or null. */
  screenRect(name: string): { x: number; y: number; width: number; height: number } | null;
  expandAll(): Promise<void>;
  collapseAll(): Promise<void>;
  fit(): void;
  /** Replaces the camera (given the viewport size) and draws immediately. */
  setCamera(f: (cam: Camera, viewW: number, viewH: number) => Camera): void;
  stats(): ReturnType<GraphTestApi['stats']>;
}

export function createTestApi(h: TestApiHost): GraphTestApi {
  return {
    selectNode: (name) => h.select(name),
    nodeScreenPosition: (name) => {
      const r = h.screenRect(name);
      return r ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    },
    nodeScreenRect: (name) => h.screenRect(name),
    expandAll: () => h.expandAll(),
    collapseAll: () => h.collapseAll(),
    fit: () => h.fit(),
    panBy: (dx, dy) => h.setCamera((cam) => panBy(cam, dx, dy)),
    zoomTo: (scale) => h.setCamera((cam, w, hgt) => zoomAt(cam, w / 2, hgt / 2, scale / cam.scale)),
    stats: () => h.stats(),
  };
}

export function setBodyData(values: Readonly<Record<string, string | number | null>>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete document.body.dataset[k];
    else document.body.dataset[k] = String(v);
  }
}
