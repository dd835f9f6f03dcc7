/** A small bar chart of a tensor histogram (equal-width bins over [min, max]) as SVG elements — no markup strings. */
import { formatNumber } from '../shared/format';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function histogramChart(h: { readonly min: number; readonly max: number; readonly counts: readonly number[] }, width = 300, height = 90): SVGSVGElement {
  const root = svg('svg', { class: 'ptp-graph-histogram', width, height: height + 16, viewBox: `0 0 ${width} ${height + 16}`, role: 'img' });
  const peak = h.counts.reduce((m, c) => Math.max(m, c), 0);
  const total = h.counts.reduce((s, c) => s + c, 0);
  root.setAttribute('aria-label', `Histogram of ${total} values from ${formatNumber(h.min)} to ${formatNumber(h.max)}`);
  const n = h.counts.length;
  const bw = n > 0 ? width / n : width;
  h.counts.forEach((c, i) => {
    const bh = peak > 0 ? Math.max(c > 0 ? 1 : 0, (c / peak) * height) : 0;
    const bar = svg('rect', { class: 'bar', x: (i * bw).toFixed(2), y: (height - bh).toFixed(2), width: Math.max(0.5, bw - 0.5).toFixed(2), height: bh.toFixed(2) });
    const title = svg('title', {});
    const lo = h.min + ((h.max - h.min) * i) / n;
    const hi = h.min + ((h.max - h.min) * (i + 1)) / n;
    title.textContent = `[${formatNumber(lo)}, ${formatNumber(hi)}): ${c}`;
    bar.appendChild(title);
    root.appendChild(bar);
  });
  root.appendChild(svg('line', { class: 'axis', x1: 0, y1: height + 0.5, x2: width, y2: height + 0.5 }));
  const lo = svg('text', { class: 'tick', x: 0, y: height + 13 });
  lo.textContent = formatNumber(h.min);
  const hi = svg('text', { class: 'tick', x: width, y: height + 13, 'text-anchor': 'end' });
  hi.textContent = formatNumber(h.max);
  root.append(lo, hi);
  return root;
}
