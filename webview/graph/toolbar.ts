/** The bar above the graph: breadcrumb (subgraphs), search, and view actions. */
import type { GraphView } from '../../src/protocol/graph';
import { h, replaceChildren } from '../shared/dom';
import type { ExportKind } from './api';
import { SearchBox, type SearchActions } from './search-box';

export interface ToolbarActions extends SearchActions {
  navigate(path: string): void;
  toggleNames(): void;
  fit(): void;
  expandAll(): void;
  collapseAll(): void;
  exportAs(kind: ExportKind): void;
}

export class Toolbar {
  readonly element: HTMLElement;
  readonly search: SearchBox;
  private readonly crumbs: HTMLElement;
  private readonly names: HTMLButtonElement;
  private readonly message: HTMLElement;

  constructor(private readonly actions: ToolbarActions) {
    this.search = new SearchBox(actions);
    this.crumbs = h('nav', { class: 'ptp-graph-breadcrumb', 'aria-label': 'Graph path' });
    this.names = this.button('Names', 'Show node names (N)', () => actions.toggleNames());
    this.names.setAttribute('aria-pressed', 'false');
    this.message = h('span', { class: 'ptp-graph-toolbar-message muted', role: 'status' });
    this.element = h(
      'div',
      { class: 'ptp-graph-toolbar', role: 'toolbar', 'aria-label': 'Graph' },
      this.crumbs,
      this.search.element,
      h(
        'div',
        { class: 'ptp-graph-toolbar-actions' },
        this.names,
        this.button('Fit', 'Fit the graph in view (F)', () => actions.fit()),
        this.button('Expand all', 'Expand every group (may take a while on big graphs)', () => actions.expandAll()),
        this.button('Collapse all', 'Collapse every group', () => actions.collapseAll()),
        this.button('SVG', 'Export the laid-out graph as SVG', () => actions.exportAs('svg')),
        this.button('PNG', 'Export the laid-out graph as PNG', () => actions.exportAs('png')),
        this.message,
      ),
    );
  }

  setBreadcrumb(view: GraphView): void {
    const crumbs = view.breadcrumb.length > 0 ? view.breadcrumb : [{ path: view.path, label: view.name || view.path }];
    replaceChildren(
      this.crumbs,
      ...crumbs.flatMap((c, i) => {
        const last = i === crumbs.length - 1;
        const el = last
          ? h('span', { class: 'crumb current', 'aria-current': 'page' }, c.label)
          : h('button', { type: 'button', class: 'crumb ptp-graph-link', title: `Back to ${c.path}` }, c.label);
        if (!last) el.addEventListener('click', () => this.actions.navigate(c.path));
        return i > 0 ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, '›'), el] : [el];
      }),
    );
  }

  setNames(on: boolean): void {
    this.names.setAttribute('aria-pressed', String(on));
  }

  /** A short status next to the actions (export saved, failed, …). */
  say(text: string): void {
    this.message.textContent = text;
  }

  private button(label: string, title: string, onClick: () => void): HTMLButtonElement {
    const b = h('button', { type: 'button', class: 'ptp-graph-button', title }, label);
    b.addEventListener('click', onClick);
    return b;
  }
}
