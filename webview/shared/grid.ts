/** A toolkit data grid built from text cells (header row + one row per item). */
import { h, type Child } from './dom';

export interface Column {
  readonly title: string;
  /** Narrowest the column gets, as a CSS length including the cell padding (default `6em`). */
  readonly min?: string;
  /** Share of the remaining width (default 1). */
  readonly grow?: number;
  /** Right-aligned, tabular digits, no wrapping. */
  readonly numeric?: boolean;
}

export type Cell = Child | readonly Child[];

/**
 * Each toolkit row is its own CSS grid, so columns line up only with fixed tracks: `minmax(min, grow fr)`.
 * Below the sum of the minimums the grid keeps its width and its wrapper scrolls sideways.
 */
export function dataGrid(label: string, columns: readonly Column[], rows: readonly (readonly Cell[])[]): HTMLElement {
  const mins = columns.map((c) => c.min ?? '6em');
  const grid = h('vscode-data-grid', {
    'aria-label': label,
    'generate-header': 'none',
    'grid-template-columns': columns.map((c, i) => `minmax(${mins[i]}, ${c.grow ?? 1}fr)`).join(' '),
  });
  grid.style.minWidth = `calc(${mins.join(' + ')})`;
  grid.appendChild(
    h(
      'vscode-data-grid-row',
      { 'row-type': 'header' },
      ...columns.map((c, i) => h('vscode-data-grid-cell', { 'cell-type': 'columnheader', 'grid-column': i + 1, class: c.numeric ? 'num' : null }, c.title)),
    ),
  );
  for (const row of rows) {
    grid.appendChild(
      h(
        'vscode-data-grid-row',
        null,
        ...row.map((cell, i) => {
          const parts: readonly Child[] = Array.isArray(cell) ? (cell as readonly Child[]) : [cell as Child];
          return h('vscode-data-grid-cell', { 'grid-column': i + 1, class: columns[i]?.numeric ? 'num' : null }, ...parts);
        }),
      ),
    );
  }
  return h('div', { class: 'grid-scroll' }, grid);
}
