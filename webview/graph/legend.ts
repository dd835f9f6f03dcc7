/** The overlay legend (title, unit, colour swatches) in a corner of the graph. */
import type { Overlay } from '../../src/protocol/graph';
import { h } from '../shared/dom';
import type { OverlayColors } from './overlay';

export function renderLegend(overlay: Overlay, colors: OverlayColors, matched: number): HTMLElement {
  const rows = colors.legend.map((entry) => {
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = entry.color;
    return h('li', null, swatch, h('span', null, entry.label));
  });
  const kind = overlay.scale.kind === 'gradient' ? 'gradient' : 'thresholds';
  return h(
    'section',
    { class: 'ptp-graph-legend', 'aria-label': `Overlay: ${overlay.title}` },
    h('h4', null, overlay.title, overlay.unit ? h('span', { class: 'muted' }, ` (${overlay.unit})`) : null),
    h('ul', null, ...rows),
    h('p', { class: 'muted' }, `${matched} nodes coloured by ${kind}; ${overlay.higherIsWorse ? 'red = high' : 'red = low'}.`),
  );
}
