/**
 * The model editor's Graph tab: the graph component (webview/graph) fed by the host on demand (the main graph
 * when the tab is first shown; subgraphs, functions, node and tensor details as the user opens them), the
 * overlay other features set for this file (legend drawn by the component), and that overlay's node actions
 * for the selected node. View state (zoom, pan, expanded groups, selection, graph path) is kept in the store.
 */
import type { GraphOverlayState } from '../../src/protocol/webview';
import { createGraphView, type GraphComponent } from '../graph/index';
import { h, replaceChildren } from '../shared/dom';
import type { ViewStateStore } from '../shared/view-state';
import { graphHost, type GraphRequester } from '../graph/host';
import type { OverviewViewState } from './view-state';

export interface GraphTabHost extends GraphRequester {
  runNodeAction(actionId: string, node: string): Promise<void>;
}

export class GraphTab {
  readonly element: HTMLElement;
  private readonly canvasHost: HTMLElement;
  private readonly actionBar: HTMLElement;
  private component: GraphComponent | null = null;
  private loading: Promise<void> | null = null;
  private overlay: GraphOverlayState | null = null;
  private selectedNode: string | null = null;
  private layoutWorker = '';

  constructor(
    private readonly host: GraphTabHost,
    private readonly store: ViewStateStore<OverviewViewState>,
  ) {
    this.canvasHost = h('div', { class: 'graph-host', 'data-testid': 'graph-host' });
    this.actionBar = h('div', { class: 'graph-node-actions', role: 'group', 'aria-label': 'Node actions', hidden: true });
    this.element = h('div', { class: 'graph-tab' }, this.actionBar, this.canvasHost);
  }

  /** Called with each snapshot; a changed file drops the drawn graph (it is loaded again when shown). */
  reset(layoutWorker: string): void {
    this.layoutWorker = layoutWorker;
    if (this.component) {
      this.component.dispose();
      this.component = null;
      this.loading = null;
      replaceChildren(this.canvasHost);
    }
  }

  showError(message: string): void {
    this.reset(this.layoutWorker);
    replaceChildren(this.canvasHost, h('p', { class: 'notice error', role: 'alert' }, message));
  }

  /** Loads and draws the main graph the first time the tab is shown (or after a reset). */
  ensureLoaded(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  setOverlay(state: GraphOverlayState | null): void {
    this.overlay = state;
    this.component?.setOverlay(state?.overlay ?? null);
    this.renderActions();
  }

  /** Selects a node (by name) once the graph is drawn. */
  async select(name: string): Promise<boolean> {
    await this.ensureLoaded();
    return (await this.component?.select(name)) ?? false;
  }

  private async load(): Promise<void> {
    replaceChildren(this.canvasHost);
    const component = createGraphView(this.canvasHost, graphHost(this.host), {
      ...(this.layoutWorker ? { layoutWorker: this.layoutWorker } : {}),
      label: 'Model graph',
      onViewStateChange: (s) => this.store.update({ graph: s }),
      onSelectionChange: (key) => {
        this.selectedNode = key && !key.startsWith('group:') && !key.startsWith('tensor:') ? key : null;
        this.renderActions();
      },
    });
    this.component = component;
    component.setOverlay(this.overlay?.overlay ?? null);
    try {
      const view = await this.host.request('graph', { path: 'main' });
      if (this.component !== component) return;
      await component.show(view);
      const saved = this.store.get().graph;
      if (saved) await component.restoreViewState(saved);
    } catch (e) {
      if (this.component !== component) return;
      this.loading = null;
      component.dispose();
      this.component = null;
      replaceChildren(this.canvasHost, h('p', { class: 'notice error', role: 'alert' }, `The graph could not load: ${e instanceof Error ? e.message : String(e)}`));
      document.body.dataset.graphState = 'error';
    }
  }

  private renderActions(): void {
    const actions = this.overlay?.actions ?? [];
    const node = this.selectedNode;
    this.actionBar.hidden = actions.length === 0 || node === null;
    if (this.actionBar.hidden || node === null) return;
    const status = h('span', { class: 'muted', role: 'status' });
    replaceChildren(
      this.actionBar,
      h('span', { class: 'graph-node-actions-label' }, `${this.overlay!.overlay.title} · `, h('span', { class: 'name' }, node)),
      ...actions.map((a) => {
        const b = h('vscode-button', { appearance: 'secondary', 'data-node-action': a.id }, a.label);
        b.addEventListener('click', () => {
          status.textContent = `${a.label}…`;
          this.host.runNodeAction(a.id, node).then(
            () => (status.textContent = `${a.label}: done.`),
            (e: unknown) => (status.textContent = `${a.label} failed: ${e instanceof Error ? e.message : String(e)}`),
          );
        });
        return b;
      }),
      status,
    );
  }
}
