/** The public types of the graph component (re-exported by index.ts). */
import type { GraphView, NodeDetail, Overlay, TensorDetail } from '../../src/protocol/graph';
import type { WorkerSource } from './layout-client';
import type { LayoutEngineChoice } from './layout-types';
import type { GraphViewState } from './view-state';

export type ExportKind = 'svg' | 'png';

/** What the component asks of its host (the extension, or a mock in the harness). Every call may reject. */
export interface GraphHost {
  /** Attributes and doc string of one node of the graph at `path`. */
  nodeDetail(path: string, nodeId: number): Promise<NodeDetail>;
  /** Statistics, histogram and preview of an initializer (by name) or of an attribute tensor (`tensorRef`). */
  tensorDetail(path: string, tensorName: string): Promise<TensorDetail>;
  /** Another graph: a subgraph (`main/<node>:<attr>`) or a model-local function (`function:<domain>/<name>`). */
  openGraph(path: string): Promise<GraphView>;
  /** Saves a tensor as .npy (the host asks where). */
  saveNpy(path: string, tensorName: string): Promise<void>;
  /** Saves an export (SVG text or PNG bytes; the host asks where). */
  saveExport(kind: ExportKind, data: string | Uint8Array): Promise<void>;
}

export type DiffMark = 'added' | 'removed' | 'changed';

export interface GraphOptions {
  /**
   * The layout worker: the URL of dist/webview/graph-layout-worker.js (fetched, then started from a Blob),
   * or a function creating the Worker. Without it layouts run on the page (same result, less responsive).
   */
  readonly layoutWorker?: WorkerSource;
  /** `auto` (default): dagre for small containers of small pictures, the fast layered engine otherwise. */
  readonly layoutEngine?: LayoutEngineChoice;
  /** Big graphs start collapsed so that at most this many items are drawn (default 300). */
  readonly initialBudget?: number;
  /**
   * Test/automation hooks (default true): `data-graph-*` attributes on document.body and
   * `window.__ptpGraph`. The compare view turns them off for its two panes and installs its own.
   */
  readonly automation?: boolean;
  /** Called (debounced) whenever the view state changes — store it with vscode setState. */
  readonly onViewStateChange?: (state: GraphViewState) => void;
  /** Called when the selection changes (node name / `#id`, `group:<path>`, `tensor:<name>`, or null). */
  readonly onSelectionChange?: (key: string | null) => void;
  /** Accessible name of the graph region. */
  readonly label?: string;
}

export interface GraphComponent {
  /** Shows a graph (replaces the current one); resolves when it is drawn. */
  show(view: GraphView): Promise<void>;
  /** Colours nodes by per-node values (null removes the overlay). */
  setOverlay(overlay: Overlay | null): void;
  /** Outlines nodes (by name or `#id`) as added / removed / changed. */
  setMarks(marks: ReadonlyMap<string, DiffMark> | null): void;
  getViewState(): GraphViewState | null;
  /** Applies a saved state (ignored when unusable); before `show` it is kept for the next graph. */
  restoreViewState(state: unknown): Promise<void>;
  /** Selects and reveals a node by id, name or `#id` (expanding the groups holding it); false if unknown. */
  select(nodeIdOrName: number | string): Promise<boolean>;
  dispose(): void;
}

export type { GraphViewState };
