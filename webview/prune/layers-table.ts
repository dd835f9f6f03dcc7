/**
 * The per-layer table of a pruning run: layer, op, sparsity (structured: parameters removed), parameters and
 * channels before/after, status; sortable by every column (graph order by default). Plain table, text cells only.
 */
import type { PrunedLayer, PruneMethod } from '../../src/protocol/prune';
import { h } from '../shared/dom';
import { formatCount } from '../shared/format';
import { formatPercent } from '../shared/metric-format';
import type { LayerSortKey, PruneStore } from './view-state';

/** What a layer lost as a fraction: its zero weights, or (structured) the parameters removed. */
export function layerPruned(method: PruneMethod, l: PrunedLayer): number {
  if (method === 'structured') return l.params_before > 0 ? (l.params_before - l.params_after) / l.params_before : 0;
  return l.sparsity;
}

function compare(key: LayerSortKey, method: PruneMethod, a: PrunedLayer, b: PrunedLayer): number {
  switch (key) {
    case 'order':
      return 0;
    case 'name':
      return a.name.localeCompare(b.name);
    case 'op':
      return a.op_type.localeCompare(b.op_type) || a.name.localeCompare(b.name);
    case 'sparsity':
      return layerPruned(method, a) - layerPruned(method, b);
    case 'params_before':
      return a.params_before - b.params_before;
    case 'params_after':
      return a.params_after - b.params_after;
    case 'channels':
      return (a.channels_after ?? -1) - (b.channels_after ?? -1);
    case 'status':
      return a.status.localeCompare(b.status);
  }
}

export function sortLayers(layers: readonly PrunedLayer[], method: PruneMethod, key: LayerSortKey, dir: 1 | -1): PrunedLayer[] {
  return layers
    .map((l, i) => ({ l, i }))
    .sort((a, b) => compare(key, method, a.l, b.l) * dir || (a.i - b.i) * (key === 'order' ? dir : 1))
    .map((x) => x.l);
}

export function layersTable(layers: readonly PrunedLayer[], method: PruneMethod, store: PruneStore, rerender: () => void): HTMLElement {
  const { sortKey, sortDir } = store.get();
  const structured = method === 'structured';
  const columns: readonly { key: LayerSortKey; title: string; numeric?: boolean }[] = [
    { key: 'order', title: '#', numeric: true },
    { key: 'name', title: 'Layer' },
    { key: 'op', title: 'Op' },
    { key: 'sparsity', title: structured ? 'Params removed' : 'Sparsity', numeric: true },
    { key: 'params_before', title: 'Params before', numeric: true },
    { key: 'params_after', title: 'Params after', numeric: true },
    ...(structured ? [{ key: 'channels' as const, title: 'Channels', numeric: true }] : []),
    { key: 'status', title: 'Status' },
  ];
  const header = h(
    'tr',
    null,
    ...columns.map((c) => {
      const active = sortKey === c.key;
      const button = h('button', { class: 'sort', type: 'button', 'data-sort': c.key, title: `Sort by ${c.title.toLowerCase()}` }, c.title, active ? (sortDir === 1 ? ' ▲' : ' ▼') : '');
      button.addEventListener('click', () => {
        store.update(active ? { sortDir: sortDir === 1 ? -1 : 1 } : { sortKey: c.key, sortDir: c.numeric && c.key !== 'order' ? -1 : 1 });
        rerender();
      });
      return h('th', { scope: 'col', class: c.numeric ? 'num' : null, 'aria-sort': active ? (sortDir === 1 ? 'ascending' : 'descending') : null }, button);
    }),
  );
  const order = new Map(layers.map((l, i) => [l, i + 1]));
  const rows = sortLayers(layers, method, sortKey, sortDir).map((l) => {
    const pruned = layerPruned(method, l);
    return h(
      'tr',
      { 'data-layer': l.name, class: l.status === 'excluded' ? 'excluded' : null },
      h('td', { class: 'num muted' }, String(order.get(l) ?? '')),
      h('td', { class: 'mono layer-name', title: `weight ${l.weight}` }, l.name),
      h('td', { class: 'mono' }, l.op_type),
      h('td', { class: `num sparsity ${band(pruned)}`, 'data-sparsity': String(pruned) }, formatPercent(pruned)),
      h('td', { class: 'num' }, formatCount(l.params_before)),
      h('td', { class: 'num' }, formatCount(l.params_after)),
      ...(structured
        ? [h('td', { class: 'num', title: l.group !== undefined ? `residual group ${l.group}` : '' }, l.channels_before !== undefined ? `${formatCount(l.channels_before)} → ${formatCount(l.channels_after ?? l.channels_before)}` : '—')]
        : []),
      h('td', null, h('span', { class: `status status-${l.status}` }, l.status)),
    );
  });
  return h('div', { class: 'grid-scroll' }, h('table', { class: 'report-table layer-table', 'data-testid': 'layer-table' }, h('thead', null, header), h('tbody', null, ...rows)));
}

/** Colour band of a pruned fraction, as the graph overlay's thresholds (25 / 50 / 75 %). */
export function band(fraction: number): string {
  const p = fraction * 100;
  return p < 25 ? 'band-1' : p < 50 ? 'band-2' : p < 75 ? 'band-3' : 'band-4';
}
