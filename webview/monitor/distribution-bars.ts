/**
 * A feature's distribution in one chunk against the reference (from MonitorResult.distributions): one row per
 * bin, the reference's share and the chunk's share as horizontal bars, in SVG. Bin labels are data and go in as
 * text nodes only.
 */
import type { ColumnDistribution } from '../../src/protocol/monitor';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 22;
const LABEL_W = 150;
const BAR_W = 360;
const VALUE_W = 110;

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function distributionBars(name: string, d: ColumnDistribution, chunk: number): SVGElement {
  const shares = d.chunks[chunk] ?? [];
  const max = Math.max(1e-9, ...d.reference, ...shares);
  const height = d.bins.length * ROW + 28;
  const svg = el('svg', { class: 'distribution', viewBox: `0 0 ${LABEL_W + BAR_W + VALUE_W} ${height}`, role: 'img', 'data-column': name, 'data-chunk': chunk });
  svg.appendChild(el('title', {}, `${name}: chunk ${chunk + 1} vs the reference`));
  const legend = el('g', { class: 'legend', transform: 'translate(0, 12)' });
  legend.appendChild(el('rect', { class: 'bar reference', x: LABEL_W, y: -9, width: 10, height: 10 }));
  legend.appendChild(el('text', { x: LABEL_W + 14, y: 0 }, 'reference'));
  legend.appendChild(el('rect', { class: 'bar current', x: LABEL_W + 90, y: -9, width: 10, height: 10 }));
  legend.appendChild(el('text', { x: LABEL_W + 104, y: 0 }, `chunk ${chunk + 1}`));
  svg.appendChild(legend);
  d.bins.forEach((bin, i) => {
    const y = 24 + i * ROW;
    const g = el('g', { class: 'bin', 'data-bin': i });
    const label = el('text', { class: 'bin-label', x: LABEL_W - 6, y: y + 13, 'text-anchor': 'end' }, bin.length > 22 ? `${bin.slice(0, 21)}…` : bin);
    label.appendChild(el('title', {}, bin));
    g.appendChild(label);
    const ref = d.reference[i] ?? 0;
    const cur = shares[i] ?? 0;
    g.appendChild(el('rect', { class: 'bar reference', x: LABEL_W, y: y + 2, width: Math.max(0.5, (ref / max) * BAR_W), height: 8 }));
    g.appendChild(el('rect', { class: 'bar current', x: LABEL_W, y: y + 10, width: Math.max(0.5, (cur / max) * BAR_W), height: 8 }));
    g.appendChild(el('text', { class: 'value', x: LABEL_W + BAR_W + 6, y: y + 13 }, `${pct(ref)} → ${pct(cur)}`));
    svg.appendChild(g);
  });
  return svg;
}
