/** The operator histogram: one row per op type (sorted by count), with a bar relative to the most used op. */
import { h } from '../shared/dom';
import { formatCount, sortHistogram } from '../shared/format';

export function renderHistogram(histogram: Readonly<Record<string, number>>): HTMLElement {
  const rows = sortHistogram(histogram);
  if (rows.length === 0) return h('p', { class: 'muted' }, 'The graph has no nodes.');
  const max = rows[0]!.count;
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return h(
    'div',
    { class: 'histogram', role: 'table', 'aria-label': 'Operator histogram' },
    ...rows.map((r) => {
      const bar = h('div', { class: 'bar' });
      bar.style.width = `${Math.max(0.5, (r.count / max) * 100)}%`;
      return h(
        'div',
        { class: 'op-row', role: 'row', title: `${r.domain}::${r.op}: ${formatCount(r.count)} of ${formatCount(total)} nodes` },
        h('span', { class: 'op-name', role: 'cell' }, r.op, r.domain !== 'ai.onnx' ? h('span', { class: 'op-domain muted' }, ` ${r.domain}`) : null),
        h('div', { class: 'bar-track', role: 'cell', 'aria-hidden': 'true' }, bar),
        h('span', { class: 'op-count', role: 'cell' }, formatCount(r.count)),
      );
    }),
  );
}
