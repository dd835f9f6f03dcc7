/**
 * The per-feature drift heatmap: feature × chunk, red where the column drifted; at most 50 features, the most
 * drifted first, with a filter box. Clicking a cell shows that feature's distribution in that chunk against the
 * reference. Names are data: text nodes and attribute values only.
 */
import type { MonitorResult } from '../../src/protocol/monitor';
import { h, replaceChildren } from '../shared/dom';
import { distributionBars } from './distribution-bars';
import { cellText, chunkTitle, heatmapRows, MAX_HEATMAP_ROWS } from './heatmap-rows';
import type { MonitorStore } from './view-state';

export function heatmap(result: MonitorResult, store: MonitorStore): HTMLElement {
  const table = h('div', { class: 'heatmap-wrap' });
  const detail = h('div', { class: 'distribution-detail', 'data-testid': 'distribution', 'aria-live': 'polite' });
  const count = h('span', { class: 'muted heatmap-count' });
  const filter = h('input', { type: 'search', class: 'heatmap-filter', placeholder: 'Filter features', 'aria-label': 'Filter features', value: store.get().filter });

  const showDetail = () => {
    const sel = store.get().selected;
    const d = sel ? result.distributions[sel.column] : undefined;
    if (!sel || !d || !d.chunks[sel.chunk]) {
      replaceChildren(detail, h('p', { class: 'muted' }, 'Click a cell to compare that feature in that chunk with the reference.'));
      return;
    }
    const chunk = result.chunks[sel.chunk];
    const cell = chunk?.drift.columns.find((c) => c.name === sel.column) ?? null;
    replaceChildren(
      detail,
      h('h3', null, `${sel.column} — chunk ${sel.chunk + 1}`),
      h('p', { class: 'muted' }, chunk ? chunkTitle(chunk) : '', ' · ', cellText(sel.column, sel.chunk, cell)),
      distributionBars(sel.column, d, sel.chunk),
    );
  };

  const draw = () => {
    const { rows, matching, total } = heatmapRows(result.chunks, store.get().filter);
    count.textContent = matching > rows.length ? `${rows.length} of ${matching} matching features (${total} in all; the ${MAX_HEATMAP_ROWS} most drifted shown)` : `${matching} of ${total} features`;
    const selected = store.get().selected;
    const head = h('tr', null, h('th', { scope: 'col', class: 'feature' }, 'feature'), ...result.chunks.map((c) => h('th', { scope: 'col', class: 'chunk', title: chunkTitle(c) }, String(c.index + 1))));
    const body = rows.map((r) =>
      h(
        'tr',
        { 'data-feature': r.name, 'data-drifted-chunks': r.driftedChunks },
        h('th', { scope: 'row', class: 'feature', title: r.name }, r.name),
        ...r.cells.map((cell, i) => {
          const text = cellText(r.name, i, cell);
          const b = h('button', {
            class: `cell ${cell === null ? 'na' : cell.drift ? 'drift' : 'ok'}${selected && selected.column === r.name && selected.chunk === i ? ' selected' : ''}`,
            'data-column': r.name,
            'data-chunk': i,
            'data-drift': cell?.drift === true,
            title: text,
            'aria-label': text,
          });
          b.addEventListener('click', () => {
            store.update({ selected: { column: r.name, chunk: i } });
            table.querySelectorAll('button.cell.selected').forEach((x) => x.classList.remove('selected'));
            b.classList.add('selected');
            showDetail();
          });
          return h('td', null, b);
        }),
      ),
    );
    replaceChildren(table, rows.length ? h('table', { class: 'heatmap', 'data-testid': 'heatmap' }, h('thead', null, head), h('tbody', null, ...body)) : h('p', { class: 'muted' }, 'No feature matches the filter.'));
  };

  filter.addEventListener('input', () => {
    store.update({ filter: filter.value });
    draw();
  });
  draw();
  showDetail();
  return h('div', { class: 'heatmap-section' }, h('div', { class: 'heatmap-tools' }, filter, count, h('span', { class: 'legend-inline' }, h('span', { class: 'swatch drift' }), ' drift ', h('span', { class: 'swatch ok' }), ' no drift')), table, detail);
}
