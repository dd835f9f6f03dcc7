/**
 * The graph component library (model editor's Graph tab, Compare panel, harness).
 *
 *   const graph = createGraphView(container, host, { layoutWorker: workerUrl, onViewStateChange: save });
 *   await graph.show(view);            // a GraphView from src/protocol/graph.ts
 *   graph.setOverlay(overlay);         // colour nodes by per-node values
 *   graph.restoreViewState(saved);     // zoom, pan, expanded groups, selection, graph path
 *
 * Styles: import './graph.css' in the app entry (esbuild emits it next to the app bundle).
 */
import type { GraphView } from '../../src/protocol/graph';
import type { GraphComponent, GraphHost, GraphOptions } from './api';
import { CompareView, type CompareComponent, type CompareHost, type GraphDiff } from './compare';
import { GraphViewComponent } from './component';

export type { DiffMark, ExportKind, GraphComponent, GraphHost, GraphOptions, GraphViewState } from './api';
export type { GraphTestApi } from './automation';
export type { CompareComponent, CompareHost, GraphDiff } from './compare';

export function createGraphView(container: HTMLElement, host: GraphHost, options?: GraphOptions): GraphComponent {
  return new GraphViewComponent(container, host, options);
}

/**
 * Two graphs side by side with synced selection (by node name) and a diff list: added (green, right),
 * removed (red, left), changed (amber, both). `host` may be one host or one per side.
 */
export function createCompareView(container: HTMLElement, host: CompareHost, left: GraphView, right: GraphView, diff: GraphDiff, options?: GraphOptions): CompareComponent {
  return new CompareView(container, host, left, right, diff, options);
}
