/**
 * An off-screen ARIA tree mirroring what is drawn: expanded groups as open branches, nodes, collapsed
 * groups and graph inputs/outputs as leaves, in layout order. Screen reader and keyboard users move
 * through it (one tab stop, arrows, Enter); focusing an entry selects it on the canvas. Capped, so a fully
 * expanded 100,000-node graph does not create 100,000 elements — search reaches the rest.
 */
import { h, replaceChildren } from '../shared/dom';
import { GraphIndex, KIND_GROUP, KIND_INPUT, KIND_NODE, ROOT } from './graph-index';
import { plural } from './item-boxes';
import type { VisibleGraph } from './visible-graph';

export const A11Y_MAX_ITEMS = 5000;

export interface TreeActions {
  focusItem(item: number): void;
  activateItem(item: number): void;
}

export class A11yTree {
  readonly element: HTMLElement;
  private readonly byItem = new Map<number, HTMLElement>();
  private active: HTMLElement | null = null;

  constructor(
    private readonly actions: TreeActions,
    label: string,
  ) {
    this.element = h('ul', { class: 'ptp-graph-a11y', role: 'tree', 'aria-label': label });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('focusin', (e) => {
      const li = (e.target as HTMLElement).closest('li[data-item]') as HTMLElement | null;
      if (li) this.setActive(li, false);
    });
  }

  build(index: GraphIndex, vg: VisibleGraph, order: (container: number) => readonly number[]): void {
    this.byItem.clear();
    this.active = null;
    let budget = A11Y_MAX_ITEMS;
    const fill = (container: number, parent: Node, level: number) => {
      for (const item of order(container)) {
        if (budget <= 0) return;
        budget--;
        const kind = index.kind(item);
        const expanded = kind === KIND_GROUP && vg.containerById.has(index.groupOf(item));
        const li = h('li', { role: 'treeitem', tabindex: -1, 'aria-level': level, 'aria-selected': 'false', 'data-item': item }, describe(index, item, expanded));
        if (kind === KIND_NODE) li.setAttribute('data-node-name', index.nodeKey(item));
        if (kind === KIND_GROUP) li.setAttribute('aria-expanded', String(expanded));
        this.byItem.set(item, li);
        parent.appendChild(li);
        if (expanded) {
          const ul = h('ul', { role: 'group' });
          li.appendChild(ul);
          fill(index.groupOf(item), ul, level + 1);
        }
      }
    };
    const root = document.createDocumentFragment();
    fill(ROOT, root, 1);
    const rest = vg.leaves.length + vg.containers.length - 1 - (A11Y_MAX_ITEMS - budget);
    replaceChildren(this.element, root, rest > 0 ? h('li', { role: 'none', class: 'more' }, `${plural(rest, 'more item')} not listed; use Find.`) : null);
    const first = this.element.querySelector('li[data-item]') as HTMLElement | null;
    if (first) this.setActive(first, false);
  }

  /** Marks the selected item (and makes it the tab stop). */
  select(item: number): void {
    this.element.querySelectorAll('li[aria-selected="true"]').forEach((el) => el.setAttribute('aria-selected', 'false'));
    const li = this.byItem.get(item);
    if (li) {
      li.setAttribute('aria-selected', 'true');
      this.setActive(li, false);
    }
  }

  private setActive(li: HTMLElement, focus: boolean): void {
    if (this.active && this.active !== li) this.active.tabIndex = -1;
    this.active = li;
    li.tabIndex = 0;
    if (focus) li.focus();
  }

  private onKey(e: KeyboardEvent): void {
    const li = (e.target as HTMLElement).closest('li[data-item]') as HTMLElement | null;
    if (!li) return;
    const all = [...this.element.querySelectorAll<HTMLElement>('li[data-item]')];
    const i = all.indexOf(li);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = all[i + 1];
    else if (e.key === 'ArrowUp') next = all[i - 1];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.actions.activateItem(Number(li.dataset.item));
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    if (next) {
      this.setActive(next, true);
      this.actions.focusItem(Number(next.dataset.item));
    }
  }
}

function describe(index: GraphIndex, item: number, expanded: boolean): string {
  const kind = index.kind(item);
  if (kind === KIND_NODE) {
    const n = index.node(item);
    return `${n.opType} ${index.nodeLabel(item)}`;
  }
  if (kind === KIND_GROUP) {
    const g = index.group(index.groupOf(item));
    return `Group ${g.label}, ${plural(g.totalNodes, 'node')}, ${expanded ? 'expanded' : 'collapsed'}`;
  }
  const t = index.view.tensors[index.ioTensorOf(item)]!;
  return `${kind === KIND_INPUT ? 'Input' : 'Output'} ${t.name}`;
}
