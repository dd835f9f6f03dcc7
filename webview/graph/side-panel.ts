/**
 * The details panel beside the graph: for a node its op type, domain, name, doc string, formatted
 * attributes (NodeDetail from the host), inputs and outputs with type and shape; for an initializer its
 * statistics, histogram, value preview and "Save as .npy"; for a group its scope and size; for a graph
 * input/output its type and consumers. Everything is text nodes (shared/dom `h`), never markup.
 */
import type { GvTensor, NodeDetail, TensorDetail } from '../../src/protocol/graph';
import { h, replaceChildren, type Child } from '../shared/dom';
import { formatCount, formatNumber, formatShape } from '../shared/format';
import type { GraphHost } from './api';
import { GraphIndex, KIND_GROUP, KIND_NODE } from './graph-index';
import { histogramChart } from './histogram-svg';
import { plural } from './item-boxes';

export interface PanelActions {
  /** Select and reveal a node. */
  selectNode(node: number): void;
  /** Select a graph input/output pill by tensor id. */
  selectTensorItem(tensor: number): void;
  openGraph(path: string): void;
  toggleGroup(g: number): void;
  /** Select and reveal a group (expanding its ancestors). */
  selectGroup(g: number): void;
  close(): void;
}

export class SidePanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private token = 0;

  constructor(
    private readonly host: GraphHost,
    private readonly actions: PanelActions,
  ) {
    this.body = h('div', { class: 'ptp-graph-panel-body' });
    const close = h('button', { class: 'ptp-graph-icon-button', type: 'button', title: 'Close details (Esc)', 'aria-label': 'Close details' }, '×');
    close.addEventListener('click', () => this.actions.close());
    this.element = h('aside', { class: 'ptp-graph-panel', 'aria-label': 'Details', hidden: true }, close, this.body);
  }

  clear(): void {
    this.token++;
    this.element.hidden = true;
    replaceChildren(this.body);
  }

  show(index: GraphIndex, item: number): void {
    const token = ++this.token;
    this.element.hidden = false;
    const kind = index.kind(item);
    if (kind === KIND_NODE) this.showNode(index, item, token);
    else if (kind === KIND_GROUP) this.showGroup(index, index.groupOf(item));
    else this.showIo(index, index.ioTensorOf(item));
  }

  private showNode(index: GraphIndex, n: number, token: number): void {
    const node = index.node(n);
    const view = index.view;
    const attrs = h('div', { class: 'ptp-graph-attrs', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading attributes…'));
    const doc = h('div', { class: 'ptp-graph-doc' });
    const opens: Child[] = [];
    for (const sg of node.subgraphs ?? []) opens.push(this.button(`Open ${sg.attr}`, () => this.actions.openGraph(sg.path), 'Open the subgraph (Enter)'));
    if (node.functionPath) opens.push(this.button('Open function', () => this.actions.openGraph(node.functionPath!), 'Open the function body (Enter)'));
    replaceChildren(
      this.body,
      h('h2', { class: 'ptp-graph-panel-title' }, node.opType, h('span', { class: 'muted domain' }, node.domain === '' ? ' ai.onnx' : ` ${node.domain}`)),
      h('p', { class: 'name', 'data-node-name': index.nodeKey(n) }, node.name !== '' ? node.name : `(unnamed) #${node.id}`),
      opens.length > 0 ? h('div', { class: 'ptp-graph-actions' }, ...opens) : null,
      h('h3', null, 'Attributes'),
      attrs,
      doc,
      h('h3', null, `Inputs (${node.inputs.length})`),
      this.tensorList(index, node.inputs, 'input'),
      h('h3', null, `Outputs (${node.outputs.length})`),
      this.tensorList(index, node.outputs, 'output'),
    );
    this.host.nodeDetail(view.path, n).then(
      (detail) => {
        if (token !== this.token) return;
        attrs.removeAttribute('aria-busy');
        replaceChildren(attrs, this.attributeTable(index, detail));
        if (detail.docString.trim() !== '') replaceChildren(doc, h('h3', null, 'Documentation'), h('pre', { class: 'ptp-graph-docstring' }, detail.docString));
      },
      (e: unknown) => {
        if (token !== this.token) return;
        attrs.removeAttribute('aria-busy');
        replaceChildren(attrs, h('p', { class: 'notice error', role: 'alert' }, `Attributes could not be loaded: ${errorText(e)}`));
      },
    );
  }

  private attributeTable(index: GraphIndex, detail: NodeDetail): HTMLElement {
    if (detail.attributes.length === 0) return h('p', { class: 'muted' }, 'No attributes.');
    return h(
      'table',
      { class: 'ptp-graph-table' },
      h(
        'tbody',
        null,
        ...detail.attributes.map((a) => {
          const extra: Child[] = [];
          for (const path of a.graphs ?? []) extra.push(' ', this.button('Open', () => this.actions.openGraph(path), `Open ${path}`));
          let slot: HTMLElement | null = null;
          if (a.tensorRef) {
            slot = h('div', { class: 'ptp-graph-tensor-slot' });
            const ref = a.tensorRef;
            const target = slot;
            extra.push(' ', this.button('Values', () => this.toggleTensor(index, ref, target), 'Show the tensor values'));
          }
          return h(
            'tr',
            null,
            h('th', { scope: 'row', title: a.type }, a.name),
            h('td', null, h('code', null, a.text), ...extra, slot),
          );
        }),
      ),
    );
  }

  private tensorList(index: GraphIndex, ids: readonly number[], role: 'input' | 'output'): HTMLElement {
    if (ids.length === 0) return h('p', { class: 'muted' }, 'None.');
    return h('ul', { class: 'ptp-graph-tensors' }, ...ids.map((id, k) => this.tensorRow(index, id, role, k)));
  }

  private tensorRow(index: GraphIndex, id: number, role: 'input' | 'output', position: number): HTMLElement {
    const t = id >= 0 ? index.view.tensors[id] : undefined;
    if (!t) return h('li', { class: 'muted' }, `#${position} (omitted)`);
    const slot = h('div', { class: 'ptp-graph-tensor-slot' });
    let action: HTMLElement;
    if (t.kind === 'initializer') action = this.button(t.name, () => this.toggleTensor(index, t.name, slot), 'Show statistics and values', 'link');
    else if (role === 'input' && t.producer >= 0) action = this.button(t.name, () => this.actions.selectNode(t.producer), 'Go to the producer', 'link');
    else if (role === 'output' && t.consumers.length > 0) action = this.button(t.name, () => this.actions.selectNode(t.consumers[0]!), 'Go to the first consumer', 'link');
    else if (index.inputItem(t.id) !== undefined || index.outputItem(t.id) !== undefined) action = this.button(t.name, () => this.actions.selectTensorItem(t.id), 'Go to the graph input/output', 'link');
    else action = h('span', { class: 'name' }, t.name);
    return h('li', null, action, h('span', { class: 'ptp-graph-type' }, typeText(t)), kindBadge(t), slot);
  }

  private toggleTensor(index: GraphIndex, name: string, slot: HTMLElement): void {
    if (slot.childElementCount > 0) {
      replaceChildren(slot);
      return;
    }
    const path = index.view.path;
    replaceChildren(slot, h('p', { class: 'muted' }, 'Loading values…'));
    this.host.tensorDetail(path, name).then(
      (d) => replaceChildren(slot, this.tensorDetail(path, d)),
      (e: unknown) => replaceChildren(slot, h('p', { class: 'notice error', role: 'alert' }, `Values could not be loaded: ${errorText(e)}`)),
    );
  }

  private tensorDetail(path: string, d: TensorDetail): HTMLElement {
    const s = d.stats;
    const rows: [string, string][] = [
      ['Type', d.elemType],
      ['Shape', formatShape(d.shape)],
      ['Elements', formatCount(d.size)],
    ];
    if (s) {
      rows.push(['Min', formatNumber(s.min)], ['Max', formatNumber(s.max)], ['Mean', formatNumber(s.mean)], ['Std', formatNumber(s.std)]);
      rows.push(['Sparsity', s.sparsity === null ? '—' : `${(s.sparsity * 100).toFixed(2)} %`]);
      if (s.nan > 0) rows.push(['NaN', formatCount(s.nan)]);
    }
    const status = h('span', { class: 'muted', role: 'status' });
    const save = this.button('Save as .npy', () => {
      status.textContent = 'Saving…';
      this.host.saveNpy(path, d.name).then(
        () => (status.textContent = ''),
        (e: unknown) => (status.textContent = `Not saved: ${errorText(e)}`),
      );
    }, 'Save the tensor as a NumPy .npy file');
    save.classList.add('ptp-graph-save-npy');
    return h(
      'div',
      { class: 'ptp-graph-tensor-detail' },
      h('table', { class: 'ptp-graph-table' }, h('tbody', null, ...rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, v))))),
      d.histogram ? histogramChart(d.histogram) : null,
      d.preview.length > 0 ? h('p', { class: 'preview' }, d.preview.join(', ') + (d.size > d.preview.length ? ', …' : '')) : null,
      d.note ? h('p', { class: 'muted' }, d.note) : null,
      h('div', { class: 'ptp-graph-actions' }, save, status),
    );
  }

  private showGroup(index: GraphIndex, g: number): void {
    const group = index.group(g);
    const toggle = this.button('Expand / collapse', () => this.actions.toggleGroup(g), 'Enter');
    const children = group.children.map((c) => index.group(c));
    replaceChildren(
      this.body,
      h('h2', { class: 'ptp-graph-panel-title' }, group.label, h('span', { class: 'muted domain' }, group.artificial ? ' part of a large scope' : ' scope')),
      h('p', { class: 'name' }, group.path),
      h(
        'table',
        { class: 'ptp-graph-table' },
        h(
          'tbody',
          null,
          h('tr', null, h('th', { scope: 'row' }, 'Nodes (all levels)'), h('td', { class: 'num' }, formatCount(group.totalNodes))),
          h('tr', null, h('th', { scope: 'row' }, 'Direct nodes'), h('td', { class: 'num' }, formatCount(group.nodes.length))),
          h('tr', null, h('th', { scope: 'row' }, 'Sub-scopes'), h('td', { class: 'num' }, formatCount(children.length))),
        ),
      ),
      h('div', { class: 'ptp-graph-actions' }, toggle),
      children.length > 0 ? h('h3', null, 'Sub-scopes') : null,
      children.length > 0
        ? h(
            'ul',
            { class: 'ptp-graph-tensors' },
            ...children.slice(0, 200).map((c) => h('li', null, this.button(c.label, () => this.actions.selectGroup(c.id), `Go to ${c.path}`, 'link'), h('span', { class: 'ptp-graph-type' }, plural(c.totalNodes, 'node')))),
          )
        : null,
      children.length > 200 ? h('p', { class: 'muted' }, `and ${children.length - 200} more`) : null,
    );
  }

  private showIo(index: GraphIndex, tensor: number): void {
    const t = index.view.tensors[tensor]!;
    const isInput = index.inputItem(tensor) !== undefined;
    const others = isInput ? t.consumers : t.producer >= 0 ? [t.producer] : [];
    replaceChildren(
      this.body,
      h('h2', { class: 'ptp-graph-panel-title' }, isInput ? 'Graph input' : 'Graph output'),
      h('p', { class: 'name' }, t.name),
      h('table', { class: 'ptp-graph-table' }, h('tbody', null, h('tr', null, h('th', { scope: 'row' }, 'Type'), h('td', null, typeText(t))))),
      h('h3', null, isInput ? `Consumers (${others.length})` : 'Producer'),
      others.length > 0
        ? h('ul', { class: 'ptp-graph-tensors' }, ...others.slice(0, 200).map((n) => h('li', null, this.button(index.nodeLabel(n), () => this.actions.selectNode(n), 'Go to the node', 'link'), h('span', { class: 'ptp-graph-type' }, index.node(n).opType))))
        : h('p', { class: 'muted' }, 'None.'),
    );
  }

  private button(label: string, onClick: () => void, title: string, kind: 'button' | 'link' = 'button'): HTMLButtonElement {
    const b = h('button', { type: 'button', class: kind === 'link' ? 'ptp-graph-link' : 'ptp-graph-button', title }, label);
    b.addEventListener('click', onClick);
    return b;
  }
}

function typeText(t: GvTensor): string {
  return `${t.elemType ?? '?'} ${formatShape(t.shape)}`;
}

function kindBadge(t: GvTensor): HTMLElement | null {
  if (t.kind === 'initializer') return h('span', { class: 'ptp-graph-badge' }, 'weight');
  if (t.shapeSource === 'inferred') return h('span', { class: 'ptp-graph-badge inferred', title: 'Shape from shape inference' }, 'inferred');
  return null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
