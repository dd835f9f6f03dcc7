/** A collapsible section (<details>) whose open state is kept in the view state. */
import { h, type Child } from './dom';
import type { EvaluationStore } from './report-view-state';

export function section(store: EvaluationStore, id: string, title: Child, children: readonly Child[], defaultOpen = true): HTMLElement {
  const saved = store.get().open[id];
  const details = h(
    'details',
    { class: 'section', 'data-section': id, open: saved ?? defaultOpen },
    h('summary', null, h('h2', null, title)),
    h('div', { class: 'section-body' }, ...children),
  );
  details.addEventListener('toggle', () => {
    store.update({ open: { ...store.get().open, [id]: details.open } });
  });
  return details;
}
