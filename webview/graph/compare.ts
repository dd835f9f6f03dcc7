/**
 * Compare: two graph components side by side (before | after), selection synced by node name, and a diff
 * list — added (green, exists on the right), removed (red, on the left), changed (amber, both) — whose
 * entries select the node in both panes. Marks outline the nodes (or the collapsed groups holding them).
 */
import type { GraphView } from '../../src/protocol/graph';
import { h } from '../shared/dom';
import type { DiffMark, GraphComponent, GraphHost, GraphOptions } from './api';
import { setBodyData, type GraphTestApi } from './automation';
import { GraphViewComponent } from './component';

export interface GraphDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly { readonly node: string; readonly changes: readonly string[] }[];
}

/** One host for both sides, or one per side (e.g. two models). */
export type CompareHost = GraphHost | { readonly left: GraphHost; readonly right: GraphHost };

export interface CompareComponent {
  readonly left: GraphComponent;
  readonly right: GraphComponent;
  /** Resolves when both graphs are drawn. */
  readonly ready: Promise<void>;
  /** Selects a node by name in both panes (where it exists). */
  select(name: string): Promise<void>;
  dispose(): void;
}

export function diffMarks(diff: GraphDiff, side: 'left' | 'right'): Map<string, DiffMark> {
  const marks = new Map<string, DiffMark>();
  for (const name of side === 'left' ? diff.removed : diff.added) marks.set(name, side === 'left' ? 'removed' : 'added');
  for (const c of diff.changed) marks.set(c.node, 'changed');
  return marks;
}

export class CompareView implements CompareComponent {
  readonly ready: Promise<void>;
  private readonly leftPane: GraphViewComponent;
  private readonly rightPane: GraphViewComponent;
  private readonly root: HTMLElement;
  private syncing = false;
  private readonly automation: boolean;

  constructor(container: HTMLElement, host: CompareHost, leftView: GraphView, rightView: GraphView, diff: GraphDiff, options: GraphOptions = {}) {
    const hosts = 'left' in host ? host : { left: host, right: host };
    this.automation = options.automation !== false;
    const leftPane = h('section', { class: 'ptp-compare-pane', 'aria-label': 'Before' }, h('h2', { class: 'ptp-compare-title' }, 'Before ', h('span', { class: 'muted' }, leftView.name)));
    const rightPane = h('section', { class: 'ptp-compare-pane', 'aria-label': 'After' }, h('h2', { class: 'ptp-compare-title' }, 'After ', h('span', { class: 'muted' }, rightView.name)));
    this.root = h('div', { class: 'ptp-compare' }, this.diffList(diff), h('div', { class: 'ptp-compare-panes' }, leftPane, rightPane));
    container.appendChild(this.root);
    const paneOptions = (side: 'left' | 'right'): GraphOptions => ({
      ...options,
      automation: false,
      label: side === 'left' ? 'Graph before' : 'Graph after',
      onSelectionChange: (key) => this.sync(side, key),
    });
    this.leftPane = new GraphViewComponent(leftPane, hosts.left, paneOptions('left'));
    this.rightPane = new GraphViewComponent(rightPane, hosts.right, paneOptions('right'));
    this.left.setMarks(diffMarks(diff, 'left'));
    this.right.setMarks(diffMarks(diff, 'right'));
    if (this.automation) {
      setBodyData({ graphState: 'loading', nodesTotal: leftView.nodes.length + rightView.nodes.length });
      this.installTestApi();
    }
    this.ready = Promise.all([this.left.show(leftView), this.right.show(rightView)]).then(() => {
      if (this.automation) setBodyData({ graphState: 'ready' });
    });
  }

  get left(): GraphComponent {
    return this.leftPane;
  }

  get right(): GraphComponent {
    return this.rightPane;
  }

  async select(name: string): Promise<void> {
    this.syncing = true;
    try {
      await Promise.all([this.left.select(name), this.right.select(name)]);
    } finally {
      this.syncing = false;
    }
  }

  dispose(): void {
    this.left.dispose();
    this.right.dispose();
    this.root.remove();
    if (this.automation) delete window.__ptpGraph;
  }

  private sync(from: 'left' | 'right', key: string | null): void {
    if (this.syncing || key === null || key.startsWith('group:') || key.startsWith('tensor:')) return;
    const other = from === 'left' ? this.right : this.left;
    this.syncing = true;
    void other.select(key).finally(() => (this.syncing = false));
  }

  private diffList(diff: GraphDiff): HTMLElement {
    const entry = (name: string, kind: DiffMark, detail: string) => {
      const b = h('button', { type: 'button', class: `ptp-compare-entry ${kind}`, title: detail || name }, h('span', { class: 'name' }, name), detail ? h('span', { class: 'changes muted' }, detail) : null);
      b.addEventListener('click', () => void this.select(name));
      return h('li', null, b);
    };
    const section = (title: string, kind: DiffMark, items: HTMLElement[]) =>
      h('section', { class: `ptp-compare-section ${kind}` }, h('h3', null, `${title} (${items.length})`), items.length > 0 ? h('ul', null, ...items) : h('p', { class: 'muted' }, 'None.'));
    return h(
      'aside',
      { class: 'ptp-compare-diff', 'aria-label': 'Differences' },
      section('Added', 'added', diff.added.map((n) => entry(n, 'added', ''))),
      section('Removed', 'removed', diff.removed.map((n) => entry(n, 'removed', ''))),
      section('Changed', 'changed', diff.changed.map((c) => entry(c.node, 'changed', c.changes.join('; ')))),
    );
  }

  private installTestApi(): void {
    const l = this.leftPane.testApi();
    const r = this.rightPane.testApi();
    const api: GraphTestApi = {
      selectNode: async (name) => {
        const [a, b] = await Promise.all([this.left.select(name), this.right.select(name)]);
        return a || b;
      },
      nodeScreenPosition: (name) => l.nodeScreenPosition(name) ?? r.nodeScreenPosition(name),
      nodeScreenRect: (name) => l.nodeScreenRect(name) ?? r.nodeScreenRect(name),
      expandAll: async () => {
        await Promise.all([l.expandAll(), r.expandAll()]);
      },
      collapseAll: async () => {
        await Promise.all([l.collapseAll(), r.collapseAll()]);
      },
      fit: () => {
        l.fit();
        r.fit();
      },
      panBy: (dx, dy) => {
        l.panBy(dx, dy);
        r.panBy(dx, dy);
      },
      zoomTo: (scale) => {
        l.zoomTo(scale);
        r.zoomTo(scale);
      },
      stats: () => l.stats(),
    };
    window.__ptpGraph = api;
  }
}
