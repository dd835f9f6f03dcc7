/**
 * The graph component: owns the state (graph, expansion, camera, selection, overlay, marks) and wires
 * the parts — toolbar and search, canvas renderer, minimap, side panel, accessible tree, layout pool.
 * Expanding or collapsing re-lays out only the containers whose content changed (layout-plan.ts), keeping
 * the clicked group where it was on screen.
 */
import type { GraphView, Overlay } from '../../src/protocol/graph';
import { h } from '../shared/dom';
import { A11yTree } from './a11y-tree';
import type { DiffMark, ExportKind, GraphComponent, GraphHost, GraphOptions } from './api';
import { createTestApi, setBodyData, type GraphState, type GraphTestApi } from './automation';
import { centerOn, fitBounds, initialCamera, toScreen, toWorld, zoomAt, type Camera } from './camera';
import { edgeLabelText } from './edge-labels';
import { renderPng } from './export-png';
import { sceneToSvg } from './export-svg';
import { GraphIndex, KIND_GROUP, KIND_NODE } from './graph-index';
import { expandAll, expandTo, initialExpansion, INITIAL_VISIBLE_BUDGET } from './hierarchy';
import { FONT_SIZE, FRAME_HEADER, ItemBoxes, type FontRole } from './item-boxes';
import { hitItems, markItems } from './item-maps';
import { isNavKey, navigate } from './keyboard';
import { LayoutCancelledError, LayoutPool } from './layout-client';
import { LayoutCache, layoutVisibleGraph } from './layout-plan';
import { renderLegend } from './legend';
import { Minimap } from './minimap';
import { bindPointer } from './pointer';
import { overlayColors, overlayPaints } from './overlay';
import type { OverlayPaint } from './paint';
import { LayoutProgress } from './progress';
import { Renderer, type DrawState, type EdgeLabel } from './renderer';
import { BOX_FRAME, composeScene, hitTest, type Scene } from './scene';
import { GraphSearch, type SearchHit } from './search';
import { SidePanel } from './side-panel';
import { readTheme, type GraphTheme } from './theme';
import { Toolbar } from './toolbar';
import { captureViewState, expandedFromState, itemOfKey, parseViewState, selectionKey, type GraphViewState } from './view-state';
import { computeVisibleGraph, type VisibleGraph } from './visible-graph';

interface RelayoutOptions {
  /** 'initial' (fit, or the top at a readable zoom), 'fit' the whole picture, 'keep' the camera, or a view centre. */
  readonly camera: { readonly center: Camera } | 'initial' | 'fit' | 'keep';
  /** Keep this item's top-left corner at this screen point. */
  readonly anchor?: { readonly item: number; readonly sx: number; readonly sy: number };
  /** Expansion to go back to when the layout is cancelled. */
  readonly revert?: Set<number>;
}

export class GraphViewComponent implements GraphComponent {
  private readonly root: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly toolbar: Toolbar;
  private readonly panel: SidePanel;
  private readonly minimap: Minimap;
  private readonly tree: A11yTree;
  private readonly progress = new LayoutProgress();
  private readonly legendSlot: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly pool: LayoutPool;
  private readonly caches = new Map<string, LayoutCache>();
  private readonly measureCache = new Map<string, number>();
  private readonly cleanups: (() => void)[] = [];
  private theme: GraphTheme;
  private renderer: Renderer | null = null;
  private index: GraphIndex | null = null;
  private searchIndex: GraphSearch | null = null;
  private boxes: ItemBoxes | null = null;
  private expanded = new Set<number>();
  private vg: VisibleGraph | null = null;
  private scene: Scene | null = null;
  private edgeLabels: (EdgeLabel | null | undefined)[] = [];
  private camera: Camera = { x: 0, y: 0, scale: 1 };
  private needsFit = false;
  /** A view centre to apply once the stage has a size. */
  private pendingCenter: Camera | null = null;
  private showNames = false;
  private selected = -1;
  private hover = -1;
  private searchHits: readonly SearchHit[] | null = null;
  private hitItems: Set<number> | null = null;
  private overlay: Overlay | null = null;
  private overlayPaint: Map<number, OverlayPaint> | null = null;
  private marks: ReadonlyMap<string, DiffMark> | null = null;
  private markItems: Map<number, string> | null = null;
  private stack: { view: GraphView; state: GraphViewState | null }[] = [];
  private pendingState: GraphViewState | null = null;
  private layoutGen = 0;
  private layoutMs = 0;
  /** Phases of the last relayout (ms), for the benchmark. */
  private phases: Record<string, number> = {};
  private viewW = 0;
  private viewH = 0;
  private dpr = 1;
  private frame = 0;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    container: HTMLElement,
    private readonly host: GraphHost,
    private readonly options: GraphOptions = {},
  ) {
    this.pool = new LayoutPool(options.layoutWorker);
    void this.pool.warmUp();
    this.canvas = h('canvas', { class: 'ptp-graph-canvas', 'aria-hidden': 'true' });
    this.ctx = this.canvas.getContext('2d', { alpha: false })!;
    this.minimap = new Minimap((wx, wy) => {
      this.camera = centerOn(this.camera, wx, wy, this.viewW, this.viewH);
      this.afterCameraMove();
    });
    this.legendSlot = h('div', { class: 'ptp-graph-legend-slot' });
    this.errorSlot = h('div', { class: 'ptp-graph-error', role: 'alert', hidden: true });
    this.tree = new A11yTree(
      { focusItem: (item) => this.setSelected(item, { ensureVisible: true }), activateItem: (item) => this.activate(item) },
      options.label ?? 'Graph nodes',
    );
    this.stage = h(
      'div',
      { class: 'ptp-graph-stage', tabindex: 0, role: 'application', 'aria-roledescription': 'graph', 'aria-label': `${options.label ?? 'Graph'}: arrows move the selection, Enter expands or opens, F fits, + and − zoom` },
      this.canvas,
      this.minimap.element,
      this.legendSlot,
      this.progress.element,
      this.errorSlot,
    );
    this.panel = new SidePanel(host, {
      selectNode: (n) => void this.reveal(n),
      selectTensorItem: (t) => {
        const item = this.index?.inputItem(t) ?? this.index?.outputItem(t);
        if (item !== undefined) void this.reveal(item);
      },
      openGraph: (path) => void this.openGraph(path),
      toggleGroup: (g) => this.toggleGroup(g),
      selectGroup: (g) => this.index && void this.reveal(this.index.groupItem(g)),
      close: () => this.setSelected(-1),
    });
    this.toolbar = new Toolbar({
      run: (q) => {
        this.searchIndex ??= this.index ? new GraphSearch(this.index.view) : null;
        return this.searchIndex ? this.searchIndex.run(q) : { query: q, mode: 'empty', hits: [], total: 0 };
      },
      highlight: (hits) => {
        this.searchHits = hits;
        this.refreshItemMaps();
        this.requestDraw();
      },
      jump: (hit) => void this.jumpTo(hit),
      navigate: (path) => void this.navigate(path),
      toggleNames: () => this.toggleNames(),
      fit: () => this.fit(),
      expandAll: () => void this.expandAllGroups(),
      collapseAll: () => void this.collapseAllGroups(),
      exportAs: (kind) => void this.exportAs(kind),
    });
    this.root = h(
      'div',
      { class: 'ptp-graph', 'data-graph-state': 'loading' },
      this.toolbar.element,
      h('div', { class: 'ptp-graph-body' }, this.stage, this.panel.element),
      this.tree.element,
    );
    container.appendChild(this.root);
    this.theme = readTheme(this.root);
    this.bindInput();
    this.observeSize();
    this.observeTheme();
    if (options.automation !== false) this.installTestApi();
    this.setGraphState('loading');
  }

  // ---------------------------------------------------------------------------------------------- API

  async show(view: GraphView): Promise<void> {
    // A new model (or the same path after the file changed): cached layouts may no longer match.
    this.caches.clear();
    this.stack = [];
    const pending = this.pendingState && this.pendingState.path === view.path ? this.pendingState : null;
    this.pendingState = null;
    await this.display(view, pending);
  }

  setOverlay(overlay: Overlay | null): void {
    this.overlay = overlay;
    this.updateOverlay();
    this.requestDraw();
  }

  setMarks(marks: ReadonlyMap<string, DiffMark> | null): void {
    this.marks = marks;
    this.refreshItemMaps();
    this.requestDraw();
  }

  getViewState(): GraphViewState | null {
    if (!this.index) return this.pendingState;
    const c = this.pendingCenter ?? (this.viewW > 0 ? { x: this.camera.x + this.viewW / 2 / this.camera.scale, y: this.camera.y + this.viewH / 2 / this.camera.scale, scale: this.camera.scale } : null);
    return captureViewState(this.index, this.expanded, c, this.selected, this.showNames);
  }

  async restoreViewState(raw: unknown): Promise<void> {
    const state = parseViewState(raw);
    if (!state) return;
    if (!this.index) {
      this.pendingState = state;
      return;
    }
    if (state.path === this.index.view.path) {
      await this.display(this.index.view, state);
      return;
    }
    try {
      const view = await this.host.openGraph(state.path);
      this.stack = [];
      await this.display(view, state);
    } catch {
      // The saved graph is gone (e.g. the model changed): keep what is shown.
    }
  }

  async select(nodeIdOrName: number | string): Promise<boolean> {
    const index = this.index;
    if (!index) return false;
    const item = typeof nodeIdOrName === 'number' ? (nodeIdOrName >= 0 && nodeIdOrName < index.nodeCount ? nodeIdOrName : undefined) : itemOfKey(index, nodeIdOrName);
    if (item === undefined) return false;
    await this.reveal(item);
    return this.selected === item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.layoutGen++;
    this.progress.stop();
    this.pool.dispose();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.stateTimer);
    for (const c of this.cleanups) c();
    this.root.remove();
  }

  // ------------------------------------------------------------------------------------ graph & layout

  private async display(view: GraphView, state: GraphViewState | null): Promise<void> {
    this.layoutGen++;
    this.setGraphState('loading');
    this.errorSlot.hidden = true;
    const index = new GraphIndex(view);
    // The old picture belongs to the old index: drop it (the stage is blank until the new layout is in).
    this.scene = null;
    this.vg = null;
    this.minimap.setScene(null, null, this.theme);
    this.index = index;
    this.searchIndex = null;
    this.renderer = new Renderer(index);
    if (state) this.showNames = state.showNames;
    this.boxes = new ItemBoxes(index, this.showNames, (text, role) => this.measure(text, role));
    this.expanded = state ? expandedFromState(index, state.expanded) : initialExpansion(index, this.options.initialBudget ?? INITIAL_VISIBLE_BUDGET);
    const selected = state?.selected ? itemOfKey(index, state.selected) : undefined;
    if (selected !== undefined) this.expanded = expandTo(index, this.expanded, selected);
    this.selected = -1;
    this.hover = -1;
    this.panel.clear();
    this.updateOverlay();
    this.toolbar.setBreadcrumb(view);
    this.toolbar.setNames(this.showNames);
    this.toolbar.say('');
    this.root.dataset.nodesTotal = String(view.nodes.length);
    if (this.options.automation !== false) setBodyData({ nodesTotal: view.nodes.length });
    const ok = await this.relayout({ camera: state?.center ? { center: state.center } : 'initial' });
    if (ok && selected !== undefined) this.setSelected(selected);
    this.toolbar.search.refresh();
  }

  private cacheFor(path: string): LayoutCache {
    let c = this.caches.get(path);
    if (!c) this.caches.set(path, (c = new LayoutCache()));
    return c;
  }

  private async relayout(opts: RelayoutOptions): Promise<boolean> {
    const index = this.index!;
    const boxes = this.boxes!;
    const gen = ++this.layoutGen;
    const t0 = performance.now();
    this.setGraphState('loading');
    const vg = computeVisibleGraph(index, this.expanded);
    const tVisible = performance.now();
    this.progress.start(() => this.pool.cancel());
    let layouts;
    try {
      const run = (engine: Parameters<LayoutPool['run']>[0], input: Parameters<LayoutPool['run']>[1]) => this.pool.run(engine, input);
      const progress = (p: { done: number; total: number }) => gen === this.layoutGen && this.progress.update(p);
      layouts = (await layoutVisibleGraph(index, vg, boxes, this.cacheFor(index.view.path), run, this.options.layoutEngine ?? 'auto', progress)).layouts;
    } catch (e) {
      if (gen !== this.layoutGen || this.disposed) return false;
      this.progress.stop();
      if (e instanceof LayoutCancelledError && opts.revert && this.scene) {
        this.expanded = opts.revert;
        this.toolbar.say('Layout cancelled.');
        this.setGraphState('ready');
        return false;
      }
      this.showError(e instanceof LayoutCancelledError ? 'Layout cancelled.' : `Layout failed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    if (gen !== this.layoutGen || this.disposed) return false;
    this.progress.stop();
    const tLayouts = performance.now();
    const scene = composeScene(index, vg, layouts, boxes);
    const tScene = performance.now();
    this.vg = vg;
    this.scene = scene;
    this.edgeLabels = new Array(scene.edgeCount);
    if (this.selected >= 0 && scene.boxOfItem[this.selected]! < 0) this.setSelected(-1);
    this.refreshItemMaps();
    if (opts.camera === 'fit' || opts.camera === 'initial') this.fitCamera(opts.camera);
    else if (opts.camera !== 'keep') this.centerCamera(opts.camera.center);
    if (opts.anchor) {
      const b = scene.boxOfItem[opts.anchor.item]!;
      if (b >= 0) this.camera = { x: scene.x[b]! - opts.anchor.sx / this.camera.scale, y: scene.y[b]! - opts.anchor.sy / this.camera.scale, scale: this.camera.scale };
    }
    this.tree.build(index, vg, (c) => this.layoutOrder(c));
    if (this.selected >= 0) this.tree.select(this.selected);
    const tTree = performance.now();
    this.minimap.setScene(scene, index, this.theme);
    const tMinimap = performance.now();
    this.layoutMs = performance.now() - t0;
    this.phases = { visibleGraph: tVisible - t0, layouts: tLayouts - tVisible, scene: tScene - tLayouts, a11yTree: tTree - tScene, minimap: tMinimap - tTree };
    this.root.dataset.nodesVisible = String(vg.visibleNodes);
    this.root.dataset.layoutMs = String(Math.round(this.layoutMs));
    if (this.options.automation !== false) setBodyData({ nodesVisible: vg.visibleNodes, layoutMs: Math.round(this.layoutMs) });
    this.drawNow();
    this.setGraphState('ready');
    this.emitViewState();
    return true;
  }

  private showError(message: string): void {
    this.errorSlot.replaceChildren(h('p', null, message));
    const retry = h('button', { type: 'button', class: 'ptp-graph-button' }, 'Collapse all and retry');
    retry.addEventListener('click', () => void this.collapseAllGroups());
    this.errorSlot.appendChild(retry);
    this.errorSlot.hidden = false;
    this.setGraphState('error');
  }

  private setGraphState(state: GraphState): void {
    this.root.dataset.graphState = state;
    this.root.setAttribute('aria-busy', String(state === 'loading'));
    if (this.options.automation !== false) setBodyData({ graphState: state });
  }

  private layoutOrder(container: number): number[] {
    const scene = this.scene!;
    const items = [...this.index!.childrenOf(container)];
    const pos = (it: number) => {
      const b = scene.boxOfItem[it]!;
      return b < 0 ? [Infinity, Infinity] : [scene.y[b]!, scene.x[b]!];
    };
    return items.sort((a, b) => {
      const [ya, xa] = pos(a);
      const [yb, xb] = pos(b);
      return ya! - yb! || xa! - xb!;
    });
  }

  private toggleGroup(g: number): void {
    const index = this.index;
    const scene = this.scene;
    if (!index || !scene) return;
    const item = index.groupItem(g);
    const b = scene.boxOfItem[item]!;
    const revert = new Set(this.expanded);
    if (this.expanded.has(g) && b >= 0 && scene.kind[b] === BOX_FRAME) this.expanded.delete(g);
    else this.expanded.add(g);
    const anchor = b >= 0 ? { item, sx: (scene.x[b]! - this.camera.x) * this.camera.scale, sy: (scene.y[b]! - this.camera.y) * this.camera.scale } : undefined;
    void this.relayout({ camera: 'keep', anchor, revert }).then((ok) => ok && this.setSelected(item));
  }

  private async expandAllGroups(): Promise<void> {
    if (!this.index) return;
    const revert = new Set(this.expanded);
    this.expanded = expandAll(this.index);
    await this.relayout({ camera: 'fit', revert });
  }

  private async collapseAllGroups(): Promise<void> {
    if (!this.index) return;
    this.errorSlot.hidden = true;
    const revert = new Set(this.expanded);
    this.expanded = new Set();
    await this.relayout({ camera: 'fit', revert });
  }

  private toggleNames(): void {
    if (!this.index) return;
    this.showNames = !this.showNames;
    this.toolbar.setNames(this.showNames);
    this.boxes = new ItemBoxes(this.index, this.showNames, (text, role) => this.measure(text, role));
    const anchor = this.selected >= 0 && this.scene ? this.anchorOf(this.selected) : undefined;
    void this.relayout({ camera: 'keep', anchor });
  }

  private anchorOf(item: number): RelayoutOptions['anchor'] {
    const b = this.scene!.boxOfItem[item]!;
    if (b < 0) return undefined;
    const [sx, sy] = toScreen(this.camera, this.scene!.x[b]!, this.scene!.y[b]!);
    return { item, sx, sy };
  }

  /** Expands the groups holding an item if needed, centres it and selects it. */
  private async reveal(item: number): Promise<void> {
    const index = this.index;
    if (!index || !this.scene) return;
    if (this.scene.boxOfItem[item]! < 0) {
      const revert = new Set(this.expanded);
      this.expanded = expandTo(index, this.expanded, item);
      if (!(await this.relayout({ camera: 'keep', revert }))) return;
    }
    const scene = this.scene;
    const b = scene.boxOfItem[item]!;
    if (b < 0) return;
    const scale = this.camera.scale < 0.6 ? 1 : this.camera.scale;
    this.camera = centerOn(this.camera, scene.x[b]! + scene.w[b]! / 2, scene.y[b]! + scene.h[b]! / 2, this.viewW, this.viewH, scale);
    this.setSelected(item);
    this.afterCameraMove();
  }

  private async jumpTo(hit: SearchHit): Promise<void> {
    const index = this.index;
    if (!index) return;
    let item = hit.node;
    if (hit.kind === 'tensor') item = index.inputItem(hit.id) ?? (hit.node >= 0 ? hit.node : (index.outputItem(hit.id) ?? -1));
    if (item >= 0) await this.reveal(item);
  }

  private async openGraph(path: string): Promise<void> {
    const index = this.index;
    if (!index) return;
    const current = { view: index.view, state: this.getViewState() };
    this.toolbar.say('Opening…');
    this.setGraphState('loading');
    try {
      const view = await this.host.openGraph(path);
      this.stack.push(current);
      await this.display(view, null);
    } catch (e) {
      this.toolbar.say(`Could not open ${path}: ${e instanceof Error ? e.message : String(e)}`);
      this.setGraphState(this.scene ? 'ready' : 'error');
    }
  }

  private async navigate(path: string): Promise<void> {
    const at = this.stack.findIndex((s) => s.view.path === path);
    if (at >= 0) {
      const entry = this.stack[at]!;
      this.stack.length = at;
      await this.display(entry.view, entry.state);
      return;
    }
    try {
      const view = await this.host.openGraph(path);
      this.stack = [];
      await this.display(view, null);
    } catch (e) {
      this.toolbar.say(`Could not open ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Enter on an item: expand/collapse a group, open a node's subgraph or function. */
  private activate(item: number): void {
    const index = this.index;
    if (!index || item < 0) return;
    const kind = index.kind(item);
    if (kind === KIND_GROUP) this.toggleGroup(index.groupOf(item));
    else if (kind === KIND_NODE) {
      const node = index.node(item);
      const path = node.subgraphs?.[0]?.path ?? node.functionPath;
      if (path) void this.openGraph(path);
    }
  }

  // ------------------------------------------------------------------------------- selection & maps

  private setSelected(item: number, opts: { ensureVisible?: boolean } = {}): void {
    const index = this.index;
    if (!index) return;
    this.selected = item;
    if (item >= 0) this.panel.show(index, item);
    else this.panel.clear();
    this.tree.select(item);
    const key = selectionKey(index, item);
    if (key === null) delete this.root.dataset.selectedNode;
    else this.root.dataset.selectedNode = key;
    if (this.options.automation !== false) setBodyData({ selectedNode: key });
    this.options.onSelectionChange?.(key);
    if (opts.ensureVisible) this.ensureVisible(item);
    this.requestDraw();
    this.emitViewState();
  }

  private ensureVisible(item: number): void {
    const scene = this.scene;
    if (!scene) return;
    const b = scene.boxOfItem[item]!;
    if (b < 0) return;
    const [sx0, sy0] = toScreen(this.camera, scene.x[b]!, scene.y[b]!);
    const [sx1, sy1] = toScreen(this.camera, scene.x[b]! + scene.w[b]!, scene.y[b]! + scene.h[b]!);
    if (sx0 >= 0 && sy0 >= 0 && sx1 <= this.viewW && sy1 <= this.viewH) return;
    this.camera = centerOn(this.camera, scene.x[b]! + scene.w[b]! / 2, scene.y[b]! + scene.h[b]! / 2, this.viewW, this.viewH);
    this.afterCameraMove();
  }

  /** Search hits and diff marks are by node; on screen they land on the drawn item holding the node. */
  private refreshItemMaps(): void {
    const vg = this.vg;
    const index = this.index;
    if (!vg || !index) return;
    this.hitItems = this.searchHits ? hitItems(index, vg, this.searchHits) : null;
    const t = this.theme;
    this.markItems = this.marks ? markItems(index, vg, this.marks, { added: t.added, removed: t.removed, changed: t.changed }, t.changed) : null;
  }

  private updateOverlay(): void {
    this.legendSlot.replaceChildren();
    this.overlayPaint = null;
    if (!this.overlay || !this.index) return;
    this.overlayPaint = overlayPaints(this.index, this.overlay);
    this.legendSlot.appendChild(renderLegend(this.overlay, overlayColors(this.overlay), this.overlayPaint.size));
  }

  private edgeLabel(e: number): EdgeLabel | null {
    let label = this.edgeLabels[e];
    if (label === undefined) {
      const scene = this.scene!;
      const index = this.index!;
      const from = scene.edgeFrom[e]!;
      const stubFrom = scene.edgeStub[e] ? (index.kind(from) === KIND_NODE ? index.nodeLabel(from) : this.describe(from)) : undefined;
      label = edgeLabelText(index.view.tensors[scene.edgeTensor[e]!], scene.edgeMulti[e]!, stubFrom);
      this.edgeLabels[e] = label;
    }
    return label;
  }

  // -------------------------------------------------------------------------------------- drawing

  private drawState(): DrawState {
    return {
      selected: this.selected,
      hover: this.hover,
      hits: this.hitItems,
      marks: this.markItems,
      overlay: this.overlayPaint,
      boxes: this.boxes!,
      edgeLabel: (e) => this.edgeLabel(e),
    };
  }

  private requestDraw(): void {
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  private drawNow(): void {
    if (this.viewW === 0) return;
    if (!this.scene || !this.renderer) {
      this.ctx.setTransform(1, 0, 0, 1, 0, 0);
      this.ctx.fillStyle = this.theme.background;
      this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      return;
    }
    this.renderer.draw(this.ctx, this.scene, this.camera, this.viewW, this.viewH, this.dpr, this.theme, this.drawState());
    this.minimap.draw(this.camera, this.viewW, this.viewH, this.theme);
  }

  private centerCamera(center: Camera): void {
    if (this.viewW === 0 || this.viewH === 0) {
      this.pendingCenter = center;
      return;
    }
    this.pendingCenter = null;
    this.needsFit = false;
    this.camera = centerOn(this.camera, center.x, center.y, this.viewW, this.viewH, center.scale);
  }

  private fitCamera(mode: 'fit' | 'initial' = 'fit'): void {
    if (!this.scene) return;
    this.pendingCenter = null;
    if (this.viewW === 0 || this.viewH === 0) {
      this.needsFit = true;
      return;
    }
    this.needsFit = false;
    this.camera = mode === 'initial' ? initialCamera(this.scene.bounds, this.viewW, this.viewH) : fitBounds(this.scene.bounds, this.viewW, this.viewH);
  }

  private fit(): void {
    this.fitCamera();
    this.afterCameraMove();
  }

  private zoomBy(factor: number, sx = this.viewW / 2, sy = this.viewH / 2): void {
    this.camera = zoomAt(this.camera, sx, sy, factor);
    this.afterCameraMove();
  }

  private afterCameraMove(): void {
    this.requestDraw();
    this.emitViewState();
  }

  private emitViewState(): void {
    if (!this.options.onViewStateChange) return;
    clearTimeout(this.stateTimer);
    this.stateTimer = setTimeout(() => {
      const s = this.getViewState();
      if (s) this.options.onViewStateChange?.(s);
    }, 250);
  }

  private measure(text: string, role: FontRole): number {
    const key = `${role}\u0000${text}`;
    let w = this.measureCache.get(key);
    if (w === undefined) {
      const weight = role === 'op' || role === 'group' ? '600 ' : '';
      this.ctx.font = `${weight}${FONT_SIZE[role]}px ${this.theme.fontFamily}`;
      w = this.ctx.measureText(text).width;
      this.measureCache.set(key, w);
    }
    return w;
  }

  // --------------------------------------------------------------------------------------- export

  private async exportAs(kind: ExportKind): Promise<void> {
    const scene = this.scene;
    const index = this.index;
    if (!scene || !index || !this.boxes) return;
    this.toolbar.say(`Exporting ${kind.toUpperCase()}…`);
    try {
      const data =
        kind === 'svg'
          ? sceneToSvg(scene, index, this.boxes, this.theme, { title: index.view.name || index.view.path, overlay: this.overlayPaint, marks: this.markItems, edgeLabel: (e) => this.edgeLabel(e) })
          : await renderPng(this.renderer!, scene, this.theme, this.drawState());
      await this.host.saveExport(kind, data);
      this.toolbar.say(`${kind.toUpperCase()} exported.`);
    } catch (e) {
      this.toolbar.say(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // ---------------------------------------------------------------------------------------- input

  private bindInput(): void {
    bindPointer(
      {
        canvas: this.canvas,
        stage: this.stage,
        camera: () => this.camera,
        moveCamera: (c) => {
          this.camera = c;
          this.afterCameraMove();
        },
        zoomBy: (factor, sx, sy) => this.zoomBy(factor, sx, sy),
        viewHeight: () => this.viewH,
        click: (sx, sy) => this.click(sx, sy),
        doubleClick: (sx, sy) => {
          const item = this.itemAt(sx, sy);
          if (item >= 0 && this.index?.kind(item) === KIND_NODE) this.activate(item);
        },
        hover: (sx, sy) => this.updateHover(sx, sy),
        leave: () => {
          if (this.hover < 0) return;
          this.hover = -1;
          this.requestDraw();
        },
      },
      (el, type, fn, opts) => this.listen(el, type, fn, opts),
    );
    this.listen(this.root, 'keydown', (e: KeyboardEvent) => this.onKey(e));
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      this.toolbar.search.focus();
      return;
    }
    if (target !== this.stage) return;
    const scene = this.scene;
    let handled = true;
    if (e.key === '+' || e.key === '=') this.zoomBy(1.25);
    else if (e.key === '-' || e.key === '_') this.zoomBy(0.8);
    else if (e.key === 'f' || e.key === 'F') this.fit();
    else if (e.key === '0') this.zoomBy(1 / this.camera.scale);
    else if (e.key === 'n' || e.key === 'N') this.toggleNames();
    else if (e.key === '/') this.toolbar.search.focus();
    else if (e.key === 'Escape') {
      if (this.selected >= 0) this.setSelected(-1);
      else this.toolbar.search.clear();
    } else if (e.key === 'Enter') this.activate(this.selected);
    else if (isNavKey(e.key) && scene) {
      const next = navigate(scene, this.selected, e.key);
      if (next >= 0 && next !== this.selected) this.setSelected(next, { ensureVisible: true });
    } else handled = false;
    if (handled) e.preventDefault();
  }

  private itemAt(sx: number, sy: number): number {
    if (!this.scene) return -1;
    const [wx, wy] = toWorld(this.camera, sx, sy);
    const b = hitTest(this.scene, wx, wy);
    return b >= 0 ? this.scene.item[b]! : -1;
  }

  private click(sx: number, sy: number): void {
    const scene = this.scene;
    const index = this.index;
    if (!scene || !index) return;
    this.toolbar.search.hideList();
    const [wx, wy] = toWorld(this.camera, sx, sy);
    const b = hitTest(scene, wx, wy);
    if (b < 0) {
      this.setSelected(-1);
      return;
    }
    const item = scene.item[b]!;
    if (scene.kind[b] === BOX_FRAME) {
      if (wy - scene.y[b]! <= FRAME_HEADER) this.toggleGroup(index.groupOf(item));
      else this.setSelected(item);
    } else if (index.kind(item) === KIND_GROUP) this.toggleGroup(index.groupOf(item));
    else this.setSelected(item);
  }

  private updateHover(sx: number, sy: number): void {
    const item = this.itemAt(sx, sy);
    if (item === this.hover) return;
    this.hover = item;
    this.canvas.style.cursor = item >= 0 ? 'pointer' : '';
    this.canvas.title = item >= 0 && this.index ? this.describe(item) : '';
    this.requestDraw();
  }

  private describe(item: number): string {
    const index = this.index!;
    const kind = index.kind(item);
    if (kind === KIND_NODE) return `${index.node(item).opType} — ${index.nodeLabel(item)}`;
    if (kind === KIND_GROUP) {
      const g = index.group(index.groupOf(item));
      const open = this.scene && this.scene.kind[this.scene.boxOfItem[item]!] === BOX_FRAME;
      return `${g.path} — ${g.totalNodes} nodes (click to ${open ? 'collapse' : 'expand'})`;
    }
    return index.view.tensors[index.ioTensorOf(item)]!.name;
  }

  // ------------------------------------------------------------------------------ environment

  private listen<K extends keyof HTMLElementEventMap>(el: HTMLElement, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions): void {
    el.addEventListener(type, fn as EventListener, opts);
    this.cleanups.push(() => el.removeEventListener(type, fn as EventListener, opts));
  }

  private observeSize(): void {
    const resize = () => {
      const r = this.stage.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const w = Math.floor(r.width);
      const hgt = Math.floor(r.height);
      if (w === this.viewW && hgt === this.viewH && dpr === this.dpr) return;
      // Keep the world point at the centre where it was (the details panel opening narrows the stage).
      if (this.viewW > 0 && this.viewH > 0) {
        this.camera = { ...this.camera, x: this.camera.x + (this.viewW - w) / 2 / this.camera.scale, y: this.camera.y + (this.viewH - hgt) / 2 / this.camera.scale };
      }
      this.viewW = w;
      this.viewH = hgt;
      this.dpr = dpr;
      this.canvas.width = Math.max(1, Math.round(w * dpr));
      this.canvas.height = Math.max(1, Math.round(hgt * dpr));
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${hgt}px`;
      this.minimap.element.hidden = w < 480 || hgt < 320;
      if (this.pendingCenter) this.centerCamera(this.pendingCenter);
      else if (this.needsFit) this.fitCamera();
      this.drawNow();
    };
    const ro = new ResizeObserver(resize);
    ro.observe(this.stage);
    this.cleanups.push(() => ro.disconnect());
    resize();
  }

  private observeTheme(): void {
    const mo = new MutationObserver(() => {
      this.theme = readTheme(this.root);
      this.measureCache.clear();
      this.refreshItemMaps();
      if (this.scene && this.index) this.minimap.setScene(this.scene, this.index, this.theme);
      this.requestDraw();
    });
    mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    this.cleanups.push(() => mo.disconnect());
  }

  private installTestApi(): void {
    const api = this.testApi();
    window.__ptpGraph = api;
    this.cleanups.push(() => {
      if (window.__ptpGraph === api) delete window.__ptpGraph;
    });
  }

  /** The automation hooks of this component (installed as window.__ptpGraph unless `automation: false`). */
  testApi(): GraphTestApi {
    return createTestApi({
      select: (name) => this.select(name),
      screenRect: (name) => {
        const index = this.index;
        const scene = this.scene;
        const item = index ? itemOfKey(index, name) : undefined;
        const b = item === undefined || !scene ? -1 : scene.boxOfItem[item]!;
        if (b < 0) return null;
        const [sx, sy] = toScreen(this.camera, scene!.x[b]!, scene!.y[b]!);
        const r = this.canvas.getBoundingClientRect();
        return { x: r.left + sx, y: r.top + sy, width: scene!.w[b]! * this.camera.scale, height: scene!.h[b]! * this.camera.scale };
      },
      expandAll: () => this.expandAllGroups(),
      collapseAll: () => this.collapseAllGroups(),
      fit: () => {
        this.fitCamera();
        this.drawNow();
      },
      setCamera: (f) => {
        this.camera = f(this.camera, this.viewW, this.viewH);
        this.drawNow();
      },
      stats: () => ({
        nodesTotal: this.index?.nodeCount ?? 0,
        nodesVisible: this.vg?.visibleNodes ?? 0,
        boxes: this.scene?.count ?? 0,
        edges: this.scene?.edgeCount ?? 0,
        layoutMs: this.layoutMs,
        scale: this.camera.scale,
        workers: !this.pool.fallback,
        phases: { ...this.phases },
      }),
    });
  }
}
