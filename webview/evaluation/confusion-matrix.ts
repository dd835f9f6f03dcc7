/**
 * The confusion matrix as a heat-mapped table: rows = true class, columns = predicted class. Cells show counts
 * or the percentage of the true class's rows (toggle); the shade is always the row-normalised share, so classes
 * of different sizes compare. Every cell's tooltip has both numbers.
 */
import { h } from '../shared/dom';
import { formatCount } from '../shared/format';
import { formatPercent } from '../shared/metric-format';
import type { EvaluationStore } from '../shared/report-view-state';

/** Shade of a cell: the row share; off the diagonal on a square-root scale with a floor, so single errors show. */
function heat(share: number, diagonal: boolean): number {
  if (diagonal || share === 0) return share;
  return Math.max(0.3, Math.sqrt(share));
}

export function confusionMatrix(matrix: readonly (readonly number[])[], classNames: readonly string[], store: EvaluationStore): HTMLElement {
  const names = matrix.map((_, i) => classNames[i] ?? String(i));
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const cells: { td: HTMLTableCellElement; count: number; share: number }[] = [];

  const head = h(
    'tr',
    null,
    h('th', { class: 'cm-corner', scope: 'col' }, h('span', { class: 'muted' }, 'true ↓ · predicted →')),
    ...names.map((n) => h('th', { scope: 'col', class: 'cm-class', title: `predicted ${n}` }, n)),
    h('th', { scope: 'col', class: 'cm-total muted', title: 'rows of the true class (support)' }, 'n'),
  );
  const body = matrix.map((row, t) =>
    h(
      'tr',
      null,
      h('th', { scope: 'row', class: 'cm-class', title: `true ${names[t]}` }, names[t]!),
      ...row.map((count, p) => {
        const share = rowTotals[t]! > 0 ? count / rowTotals[t]! : 0;
        const td = h('td', {
          class: `cm-cell${t === p ? ' cm-diag' : ''}${count === 0 ? ' cm-zero' : ''}`,
          'data-true': names[t]!,
          'data-pred': names[p]!,
          title: `true ${names[t]} → predicted ${names[p]}: ${formatCount(count)} ${count === 1 ? 'row' : 'rows'} (${formatPercent(share)} of the ${formatCount(rowTotals[t]!)} rows of true ${names[t]})`,
        });
        td.style.setProperty('--heat', heat(share, t === p).toFixed(4));
        cells.push({ td, count, share });
        return td;
      }),
      h('td', { class: 'cm-total num muted' }, formatCount(rowTotals[t]!)),
    ),
  );
  const table = h(
    'table',
    { class: 'cm', 'data-testid': 'confusion-matrix', 'aria-label': 'Confusion matrix: rows are true classes, columns are predicted classes' },
    h('thead', null, head),
    h('tbody', null, ...body),
  );

  const toggle = h('vscode-button', { appearance: 'secondary', class: 'cm-toggle', 'data-action': 'matrix-mode' });
  const paint = () => {
    const mode = store.get().matrix;
    for (const c of cells) c.td.textContent = mode === 'percent' ? formatPercent(c.share, c.share === 1 || c.share === 0 ? 0 : 1) : formatCount(c.count);
    toggle.textContent = mode === 'percent' ? 'Show counts' : 'Show row %';
    table.dataset.mode = mode;
  };
  toggle.addEventListener('click', () => {
    store.update({ matrix: store.get().matrix === 'percent' ? 'counts' : 'percent' });
    paint();
  });
  paint();
  return h(
    'div',
    { class: 'cm-block' },
    h('div', { class: 'cm-toolbar' }, h('span', { class: 'muted' }, 'Rows: true class · columns: predicted class · shade: share of the true class'), toggle),
    h('div', { class: 'cm-scroll' }, table),
  );
}
