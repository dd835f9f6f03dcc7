/**
 * The graph component: owns the graph state (graph, expansion, picture, selection, names) and composes the
 * parts — navigation (viewport.ts), layout runs (layout-runner.ts), what is painted over the picture
 * (decorations.ts), canvas (stage-canvas.ts), stage input (stage-input.ts), toolbar and search, minimap,
 * side panel, accessible tree. Expanding or collapsing re-lays out only the containers whose content
 * changed (layout-plan.ts), keeping the clicked group where it was on screen.
 */
import type { GraphView, Overlay } from '../../src/protocol/graph';
import { h } from '../shared/dom';
import { A11yTree } from './a11y-tree';
import type { DiffMark, ExportKind, GraphComponent, GraphHost, GraphOptions } from './api';
import { createTestApi, installTestApi, publishData, type GraphState, type GraphTestApi } from './automation';
import { Decorations } from './decorations';
import { ErrorNotice } from './error-notice';
import { exportPicture } from './export-picture';
import { GraphIndex, KIND_GROUP, KIND_NODE } from './graph-index';
import { GraphTrail } from './graph-trail';
import { expandAll, expandTo, initialExpansion, INITIAL_VISIBLE_BUDGET } from './hierarchy';
import { ItemBoxes } from './item-boxes';
import { jumpItem } from './item-maps';
import { LayoutRunner } from './layout-runner';
import { Minimap } from './minimap';
import { Renderer } from './renderer';
import { BOX_FRAME, composeScene, readingOrder, type Scene } from './scene';
import { GraphSearch, type SearchHit } from './search';
import { SidePanel } from './side-panel';
import { bindStageInput } from './stage-input';
import { StageCanvas } from './stage-canvas';
import { readTheme, watchTheme, type GraphTheme } from './theme';
import { Toolbar } from './toolbar';
import { captureViewState, expandedFromState, itemOfKey, parseViewState, selectionKey, type GraphViewState } from './view-state';
import { Viewport, type CameraPlacement, type ScreenAnchor } from './viewport';
import type { VisibleGraph } from './visible-graph';

interface RelayoutOptions {
  readonly camera: CameraPlacement;
  /** Keep this item's top-left corner at this screen point. */
  readonly anchor?: ScreenAnchor;
  /** Expansion to go back to when the layout is cancelled. */
  readonly revert?: Set<number>;
}

export class GraphViewComponent implements GraphComponent {
  private readonly root: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly surface = new StageCanvas(() => this.drawNow());
  private readonly view = new Viewport(() => this.scene, () => this.afterCameraMove());
  private readonly layouts: LayoutRunner;
  private readonly decorations: Decorations;
  private readonly toolbar: Toolbar;
  private readonly panel: SidePanel;
  private readonly minimap = new Minimap((wx, wy) => this.view.centerOn(wx, wy));
  private readonly tree: A11yTree;
  private readonly error = new ErrorNotice(() => void this.collapseAllGroups());
  private readonly cleanups: (() => void)[] = [];
  private theme: GraphTheme;
  private renderer: Renderer | null = null;
  private index: GraphIndex | null = null;
  private searchIndex: GraphSearch | null = null;
  private boxes: ItemBoxes | null = null;
  private expanded = new Set<number>();
  private vg: VisibleGraph | null = null;
  private scene: Scene | null = null;
  private showNames = false;
  private selected = -1;
  private readonly trail = new GraphTrail({
    current: () => (this.index ? { view: this.index.view, state: this.getViewState() } : null),
    load: (path) => this.host.openGraph(path),
    display: (view, state) => this.display(view, state),
    say: (text) => this.toolbar.say(text),
    opening: () => this.setGraphState('loading'),
    openFailed: () => this.setGraphState(this.scene ? 'ready' : 'error'),
  });
  private pendingState: GraphViewState | null = null;
  private layoutMs = 0;
  /** Phases of the last relayout (ms), for the benchmark. */
  private phases: Record<string, number> = {};
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    container: HTMLElement,
    private readonly host: GraphHost,
    private readonly options: GraphOptions = {},
  ) {
    this.layouts = new LayoutRunner(options.layoutWorker, options.layoutEngine ?? 'auto');
    const legendSlot = h('div', { class: 'ptp-graph-legend-slot' });
    this.decorations = new Decorations(legendSlot, () => this.theme, () => this.surface.requestDraw());
    this.tree = new A11yTree(
      { focusItem: (item) => this.setSelected(item, { ensureVisible: true }), activateItem: (item) => this.activate(item) },
      options.label ?? 'Graph nodes',
    );
    this.stage = h(
      'div',
      { class: 'ptp-graph-stage', tabindex: 0, role: 'application', 'aria-roledescription': 'graph', 'aria-label': `${options.label ?? 'Graph'}: arrows move the selection, Enter expands or opens, F fits, + and − zoom` },
      this.surface.element,
      this.minimap.element,
      legendSlot,
      this.layouts.progress.element,
      this.error.element,
    );
    this.panel = new SidePanel(host, {
      selectNode: (n) => void this.reveal(n),
      selectTensorItem: (t) => {
        const item = this.index?.inputItem(t) ?? this.index?.outputItem(t);
        if (item !== undefined) void this.reveal(item);
      },
      openGraph: (path) => void this.trail.open(path),
      toggleGroup: (g) => this.toggleGroup(g),
      selectGroup: (g) => this.index && void this.reveal(this.index.groupItem(g)),
      close: () => this.setSelected(-1),
    });
    this.toolbar = new Toolbar({
      run: (q) => {
        this.searchIndex ??= this.index ? new GraphSearch(this.index.view) : null;
        return this.searchIndex ? this.searchIndex.run(q) : { query: q, mode: 'empty', hits: [], total: 0 };
      },
      highlight: (hits) => this.decorations.setSearchHits(hits),
      jump: (hit) => void this.jumpTo(hit),
      navigate: (path) => void this.trail.navigate(path),
      toggleNames: () => this.toggleNames(),
      fit: () => this.view.fit(),
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
    this.observe();
    if (options.automation !== false) this.cleanups.push(installTestApi(this.testApi()));
    this.setGraphState('loading');
  }

  // ---------------------------------------------------------------------------------------------- API

  async show(view: GraphView): Promise<void> {
    // A new model (or the same path after the file changed): cached layouts may no longer match.
    this.layouts.clearCaches();
    this.trail.clear();
    const pending = this.pendingState && this.pendingState.path === view.path ? this.pendingState : null;
    this.pendingState = null;
    await this.display(view, pending);
  }

  setOverlay(overlay: Overlay | null): void {
    this.decorations.setOverlay(overlay);
  }

  setMarks(marks: ReadonlyMap<string, DiffMark> | null): void {
    this.decorations.setMarks(marks);
  }

  getViewState(): GraphViewState | null {
    if (!this.index) return this.pendingState;
    return captureViewState(this.index, this.expanded, this.view.center(), this.selected, this.showNames);
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
      this.trail.clear();
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
    this.layouts.dispose();
    this.surface.dispose();
    clearTimeout(this.stateTimer);
    for (const c of this.cleanups) c();
    this.root.remove();
  }

  // ------------------------------------------------------------------------------------ graph & layout

  private async display(view: GraphView, state: GraphViewState | null): Promise<void> {
    this.layouts.supersede();
    this.setGraphState('loading');
    this.error.hide();
    const index = new GraphIndex(view);
    // The old picture belongs to the old index: drop it (the stage is blank until the new layout is in).
    this.scene = null;
    this.vg = null;
    this.minimap.setScene(null, null, this.theme);
    this.index = index;
    this.searchIndex = null;
    this.renderer = new Renderer(index);
    if (state) this.showNames = state.showNames;
    this.boxes = this.makeBoxes(index);
    this.expanded = state ? expandedFromState(index, state.expanded) : initialExpansion(index, this.options.initialBudget ?? INITIAL_VISIBLE_BUDGET);
    const selected = state?.selected ? itemOfKey(index, state.selected) : undefined;
    if (selected !== undefined) this.expanded = expandTo(index, this.expanded, selected);
    this.selected = -1;
    this.panel.clear();
    this.decorations.setGraph(index);
    this.toolbar.setBreadcrumb(view);
    this.toolbar.setNames(this.showNames);
    this.toolbar.say('');
    this.publish({ nodesTotal: view.nodes.length });
    const ok = await this.relayout({ camera: state?.center ? { center: state.center } : 'initial' });
    if (ok && selected !== undefined) this.setSelected(selected);
    this.toolbar.search.refresh();
  }

  private makeBoxes(index: GraphIndex): ItemBoxes {
    return new ItemBoxes(index, this.showNames, (text, role) => this.surface.measure(text, role, this.theme.fontFamily));
  }

  private async relayout(opts: RelayoutOptions): Promise<boolean> {
    const index = this.index!;
    const boxes = this.boxes!;
    const t0 = performance.now();
    this.setGraphState('loading');
    const outcome = await this.layouts.run(index, this.expanded, boxes);
    if (outcome.status === 'superseded') return false;
    if (outcome.status === 'cancelled' && opts.revert && this.scene) {
      this.expanded = opts.revert;
      this.toolbar.say('Layout cancelled.');
      this.setGraphState('ready');
      return false;
    }
    if (outcome.status !== 'done') {
      this.error.show(outcome.status === 'cancelled' ? 'Layout cancelled.' : `Layout failed: ${outcome.message}`);
      this.setGraphState('error');
      return false;
    }
    const { vg, layouts, ms } = outcome;
    const tLayouts = performance.now();
    const scene = composeScene(index, vg, layouts, boxes);
    const tScene = performance.now();
    this.vg = vg;
    this.scene = scene;
    if (this.selected >= 0 && scene.boxOfItem[this.selected]! < 0) this.setSelected(-1);
    this.decorations.setPicture(vg, scene);
    this.view.place(opts.camera);
    if (opts.anchor) this.view.pin(opts.anchor);
    this.tree.build(index, vg, (c) => readingOrder(scene, index.childrenOf(c)));
    if (this.selected >= 0) this.tree.select(this.selected);
    const tTree = performance.now();
    this.minimap.setScene(scene, index, this.theme);
    const tMinimap = performance.now();
    this.layoutMs = performance.now() - t0;
    this.phases = { visibleGraph: ms.visibleGraph, layouts: ms.layouts, scene: tScene - tLayouts, a11yTree: tTree - tScene, minimap: tMinimap - tTree };
    this.publish({ nodesVisible: vg.visibleNodes, layoutMs: Math.round(this.layoutMs) });
    this.drawNow();
    this.setGraphState('ready');
    this.emitViewState();
    return true;
  }

  private setGraphState(state: GraphState): void {
    this.publish({ graphState: state });
    this.root.setAttribute('aria-busy', String(state === 'loading'));
  }

  /** `data-*` attributes on the root (and on document.body for automation). */
  private publish(values: Readonly<Record<string, string | number | null>>): void {
    publishData(this.root, this.options.automation !== false, values);
  }

  private toggleGroup(g: number): void {
    const index = this.index;
    const scene = this.scene;
    if (!index || !scene) return;
    const item = index.groupItem(g);
    const b = scene.boxOfItem[item]!;
    const next = new Set(this.expanded);
    if (next.has(g) && b >= 0 && scene.kind[b] === BOX_FRAME) next.delete(g);
    else next.add(g);
    void this.changeExpansion(next, 'keep', this.view.anchorOf(item)).then((ok) => ok && this.setSelected(item));
  }

  private async expandAllGroups(): Promise<void> {
    if (this.index) await this.changeExpansion(expandAll(this.index), 'fit');
  }

  private async collapseAllGroups(): Promise<void> {
    if (!this.index) return;
    this.error.hide();
    await this.changeExpansion(new Set(), 'fit');
  }

  /** Lays out another expansion; when that layout is cancelled, the current one comes back. */
  private changeExpansion(next: Set<number>, camera: CameraPlacement, anchor?: ScreenAnchor): Promise<boolean> {
    const revert = this.expanded;
    this.expanded = next;
    return this.relayout({ camera, anchor, revert });
  }

  private toggleNames(): void {
    if (!this.index) return;
    this.showNames = !this.showNames;
    this.toolbar.setNames(this.showNames);
    this.boxes = this.makeBoxes(this.index);
    void this.relayout({ camera: 'keep', anchor: this.selected >= 0 ? this.view.anchorOf(this.selected) : undefined });
  }

  /** Expands the groups holding an item if needed, centres it and selects it. */
  private async reveal(item: number): Promise<void> {
    const index = this.index;
    if (!index || !this.scene) return;
    if (this.scene.boxOfItem[item]! < 0 && !(await this.changeExpansion(expandTo(index, this.expanded, item), 'keep'))) return;
    if (this.view.focus(item)) this.setSelected(item);
  }

  private async jumpTo(hit: SearchHit): Promise<void> {
    const item = this.index ? jumpItem(this.index, hit) : -1;
    if (item >= 0) await this.reveal(item);
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
      if (path) void this.trail.open(path);
    }
  }

  private setSelected(item: number, opts: { ensureVisible?: boolean } = {}): void {
    const index = this.index;
    if (!index) return;
    this.selected = item;
    if (item >= 0) this.panel.show(index, item);
    else this.panel.clear();
    this.tree.select(item);
    const key = selectionKey(index, item);
    this.publish({ selectedNode: key });
    this.options.onSelectionChange?.(key);
    if (opts.ensureVisible) this.view.ensureVisible(item);
    this.surface.requestDraw();
    this.emitViewState();
  }

  // -------------------------------------------------------------------------------------- drawing

  private drawNow(): void {
    const { width, height } = this.view;
    if (width === 0) return;
    if (!this.scene || !this.renderer) {
      this.surface.clear(this.theme.background);
      return;
    }
    this.renderer.draw(this.surface.ctx, this.scene, this.view.camera, width, height, this.surface.dpr, this.theme, this.decorations.drawState(this.selected, this.boxes!));
    this.minimap.draw(this.view.camera, width, height, this.theme);
  }

  private afterCameraMove(): void {
    this.surface.requestDraw();
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

  private exportAs(kind: ExportKind): Promise<void> {
    const { index, scene, renderer, boxes } = this;
    if (!scene || !index || !renderer || !boxes) return Promise.resolve();
    const state = this.decorations.drawState(this.selected, boxes);
    return exportPicture(kind, { index, scene, renderer, theme: this.theme, state }, this.host, (text) => this.toolbar.say(text));
  }

  // ------------------------------------------------------------------------------ input & environment

  private bindInput(): void {
    bindStageInput(
      {
        root: this.root,
        stage: this.stage,
        canvas: this.surface.element,
        viewport: this.view,
        search: this.toolbar.search,
        index: () => this.index,
        scene: () => this.scene,
        selected: () => this.selected,
        setSelected: (item, opts) => this.setSelected(item, opts),
        toggleGroup: (g) => this.toggleGroup(g),
        activate: (item) => this.activate(item),
        toggleNames: () => this.toggleNames(),
        setHover: (item) => this.decorations.setHover(item),
        requestDraw: () => this.surface.requestDraw(),
      },
      (el, type, fn, opts) => {
        el.addEventListener(type, fn as EventListener, opts);
        this.cleanups.push(() => el.removeEventListener(type, fn as EventListener, opts));
      },
    );
  }

  /** Follows the stage size and the theme. */
  private observe(): void {
    const stopFollowing = this.surface.follow(this.stage, (w, hgt) => {
      this.view.resize(w, hgt);
      this.minimap.element.hidden = w < 480 || hgt < 320;
      this.drawNow();
    });
    const stopWatching = watchTheme(this.root, (theme) => {
      this.theme = theme;
      this.surface.clearMeasures();
      this.decorations.refresh();
      if (this.scene && this.index) this.minimap.setScene(this.scene, this.index, this.theme);
      this.surface.requestDraw();
    });
    this.cleanups.push(stopFollowing, stopWatching);
  }

  /** The automation hooks of this component (installed as window.__ptpGraph unless `automation: false`). */
  testApi(): GraphTestApi {
    return createTestApi({
      select: (name) => this.select(name),
      itemOfKey: (name) => (this.index ? itemOfKey(this.index, name) : undefined),
      viewport: this.view,
      canvas: this.surface.element,
      draw: () => this.drawNow(),
      expandAll: () => this.expandAllGroups(),
      collapseAll: () => this.collapseAllGroups(),
      stats: () => ({
        nodesTotal: this.index?.nodeCount ?? 0,
        nodesVisible: this.vg?.visibleNodes ?? 0,
        boxes: this.scene?.count ?? 0,
        edges: this.scene?.edgeCount ?? 0,
        layoutMs: this.layoutMs,
        scale: this.view.camera.scale,
        workers: this.layouts.workers,
        phases: { ...this.phases },
      }),
    });
  }
}
