/**
 * The per-node error table of a quantization: name, op, precision, weight and activation SQNR, status; sortable
 * (worst first by default), with an "exclude" checkbox per node and the Re-quantize button that runs the recipe
 * again with the checked nodes left in float.
 */
import type { QuantizedNodeReport } from '../../src/protocol/quantize';
import { h } from '../shared/dom';
import { formatSqnr, sqnrBand, worstSqnr } from './sqnr-format';
import type { NodeSortKey, ReportStore } from './view-state';

export interface NodeTableActions {
  /** Runs the quantization again with these exclusions; resolves when the new result arrived (or rejects). */
  requantize(exclude: readonly string[]): Promise<unknown>;
}

const COLUMNS: readonly { key: NodeSortKey | null; title: string; numeric?: boolean }[] = [
  { key: null, title: 'Exclude' },
  { key: 'name', title: 'Node' },
  { key: 'op', title: 'Op' },
  { key: 'status', title: 'Status' },
  { key: 'weight', title: 'Weight SQNR', numeric: true },
  { key: 'activation', title: 'Activation SQNR', numeric: true },
];

function compare(key: NodeSortKey, a: QuantizedNodeReport, b: QuantizedNodeReport): number {
  const byNumber = (x: number | undefined, y: number | undefined) => (x === undefined ? (y === undefined ? 0 : 1) : y === undefined ? -1 : x - y);
  switch (key) {
    case 'worst':
      return byNumber(worstSqnr(a), worstSqnr(b));
    case 'name':
      return a.name.localeCompare(b.name);
    case 'op':
      return a.op_type.localeCompare(b.op_type) || a.name.localeCompare(b.name);
    case 'status':
      return a.status.localeCompare(b.status);
    case 'weight':
      return byNumber(a.weight_sqnr_db, b.weight_sqnr_db);
    case 'activation':
      return byNumber(a.activation_sqnr_db, b.activation_sqnr_db);
  }
}

export function sortNodes(nodes: readonly QuantizedNodeReport[], key: NodeSortKey, dir: 1 | -1): QuantizedNodeReport[] {
  // Nodes without a value stay last in either direction.
  return nodes
    .map((n, i) => ({ n, i }))
    .sort((a, b) => {
      const c = compare(key, a.n, b.n);
      const missingA = key === 'weight' ? a.n.weight_sqnr_db === undefined : key === 'activation' ? a.n.activation_sqnr_db === undefined : key === 'worst' ? worstSqnr(a.n) === undefined : false;
      const missingB = key === 'weight' ? b.n.weight_sqnr_db === undefined : key === 'activation' ? b.n.activation_sqnr_db === undefined : key === 'worst' ? worstSqnr(b.n) === undefined : false;
      if (missingA !== missingB) return missingA ? 1 : -1;
      return (c * dir) || a.i - b.i;
    })
    .map((x) => x.n);
}

/** The table and the Re-quantize bar. `excluded` is the live selection (kept by the caller across re-renders). */
export function nodesTable(nodes: readonly QuantizedNodeReport[], current: readonly string[], excluded: Set<string>, store: ReportStore, actions: NodeTableActions, rerender: () => void): HTMLElement {
  const { sortKey, sortDir } = store.get();
  const status = h('span', { class: 'muted requantize-status', role: 'status', 'aria-live': 'polite' });
  const button = h('vscode-button', { appearance: 'primary', 'data-action': 'requantize' }, 'Re-quantize');
  const changed = () => excluded.size !== current.length || current.some((n) => !excluded.has(n));
  const refresh = () => {
    const dirty = changed();
    button.toggleAttribute('disabled', !dirty);
    status.textContent = dirty ? `${excluded.size} node${excluded.size === 1 ? '' : 's'} to leave in float` : '';
  };
  button.addEventListener('click', () => {
    if (!changed()) return;
    button.setAttribute('disabled', '');
    status.textContent = 'Re-quantizing…';
    actions.requantize([...excluded]).then(
      () => undefined,
      (e: unknown) => {
        status.textContent = `Failed: ${e instanceof Error ? e.message : String(e)}`;
        button.removeAttribute('disabled');
      },
    );
  });

  const header = h(
    'tr',
    null,
    ...COLUMNS.map((c) => {
      if (!c.key) return h('th', { scope: 'col' }, c.title);
      const key = c.key;
      const active = sortKey === key;
      const sortButton = h('button', { class: 'sort', type: 'button', 'data-sort': key, title: `Sort by ${c.title.toLowerCase()}` }, c.title, active ? (sortDir === 1 ? ' ▲' : ' ▼') : '');
      sortButton.addEventListener('click', () => {
        store.update(active ? { sortDir: sortDir === 1 ? -1 : 1 } : { sortKey: key, sortDir: 1 });
        rerender();
      });
      return h('th', { scope: 'col', class: c.numeric ? 'num' : null, 'aria-sort': active ? (sortDir === 1 ? 'ascending' : 'descending') : null }, sortButton);
    }),
  );
  const rows = sortNodes(nodes, sortKey, sortDir).map((n) => {
    const box = h('input', { type: 'checkbox', 'data-exclude': n.name, 'aria-label': `Exclude ${n.name} from quantization`, checked: excluded.has(n.name) });
    box.addEventListener('change', () => {
      if (box.checked) excluded.add(n.name);
      else excluded.delete(n.name);
      refresh();
    });
    return h(
      'tr',
      { 'data-node': n.name, class: n.status === 'excluded' ? 'excluded' : null },
      h('td', { class: 'check' }, box),
      h('td', { class: 'mono node-name', title: n.replaced_by?.length ? `replaced by ${n.replaced_by.join(' → ')}` : n.name }, n.name),
      h('td', { class: 'mono' }, n.op_type),
      h('td', null, h('span', { class: `status status-${n.status}` }, n.status === 'excluded' ? 'excluded (float)' : `${n.status} · ${n.precision}`)),
      h('td', { class: `num sqnr sqnr-${sqnrBand(n.weight_sqnr_db)}`, 'data-sqnr': 'weight' }, formatSqnr(n.weight_sqnr_db)),
      h('td', { class: `num sqnr sqnr-${sqnrBand(n.activation_sqnr_db)}`, 'data-sqnr': 'activation' }, formatSqnr(n.activation_sqnr_db)),
    );
  });
  refresh();
  return h(
    'div',
    { class: 'nodes' },
    h('div', { class: 'requantize-bar' }, button, status, h('span', { class: 'muted legend' }, 'SQNR: ', ...(['poor', 'fair', 'good', 'great'] as const).map((b, i) => h('span', { class: `sqnr sqnr-${b} chip` }, ['< 20', '20–30', '30–40', '≥ 40'][i]!)), ' dB')),
    h('div', { class: 'grid-scroll' }, h('table', { class: 'report-table node-table', 'data-testid': 'node-table' }, h('thead', null, header), h('tbody', null, ...rows))),
  );
}
