/**
 * The SHAP plots as SVG: waterfall and force strip (one row), bar (mean |φ|), beeswarm (all rows) and the
 * dependence scatter of one feature. Each returns a standalone <svg> with its colours written in, so it can be
 * exported as is. Layout in a fixed coordinate space (viewBox); CSS scales it to the panel's width.
 */
import type { ExplainResult } from '../../src/protocol/explain';
import { importanceOrder, meanAbsPhi, normalizeValues, num, rowPhi, swarmOffsets, ticks, waterfallBars } from './attribution-math';
import { readTheme, s, textWidth, valueColor, type PlotTheme } from './svg';

let WIDTH = 760;

/** Draw the next plots `width` px wide (the panel's width), so their text stays at the UI's size. */
export function setPlotWidth(width: number): void {
  WIDTH = Math.round(Math.max(420, Math.min(width, 1000)));
}
const ROW_H = 26;

interface Frame {
  readonly svg: SVGSVGElement;
  readonly theme: PlotTheme;
}

function frame(height: number, label: string): Frame {
  const theme = readTheme();
  const svg = s('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-label': label, 'font-family': theme.font, 'font-size': 11 });
  svg.appendChild(s('title', {}, label));
  return { svg, theme };
}

/** A horizontal value axis at `y` from `x0` to `x1` (pixels) for the domain [lo, hi]; returns the scale. */
function xAxis(f: Frame, y: number, top: number, x0: number, x1: number, lo: number, hi: number, title: string): (v: number) => number {
  const scale = (v: number) => x0 + ((v - lo) / (hi - lo || 1)) * (x1 - x0);
  const g = s('g', { class: 'axis' });
  g.appendChild(s('line', { x1: x0, x2: x1, y1: y, y2: y, stroke: f.theme.muted }));
  for (const t of ticks(lo, hi, 6)) {
    const x = scale(t);
    g.appendChild(s('line', { x1: x, x2: x, y1: top, y2: y, stroke: f.theme.grid, 'stroke-dasharray': '2 3' }));
    g.appendChild(s('text', { x, y: y + 14, 'text-anchor': 'middle', fill: f.theme.muted }, num(t)));
  }
  g.appendChild(s('text', { x: (x0 + x1) / 2, y: y + 30, 'text-anchor': 'middle', fill: f.theme.foreground }, title));
  f.svg.appendChild(g);
  return scale;
}

function labelWidth(names: readonly string[]): number {
  return Math.min(260, Math.max(80, ...names.map((n) => textWidth(n) + 16)));
}

/** Waterfall of one row: E[f(x)] at the bottom, each feature's φ stacked upward to f(x), largest |φ| on top. */
export function waterfallPlot(r: ExplainResult, row: number, output: number, max = 10): SVGSVGElement {
  const bars = waterfallBars(r, row, output, max);
  const base = r.base_value[output] ?? 0;
  const fx = r.f_x[row]?.[output] ?? 0;
  const labels = bars.map((b) => (b.value !== undefined ? `${num(b.value)} = ${b.name}` : b.name));
  const left = labelWidth(labels);
  const top = 30;
  const height = top + bars.length * ROW_H + 50;
  const f = frame(height, `Waterfall of row ${r.rows[row] ?? row}`);
  // Cumulative sums from the bottom (base) to the top (f(x)).
  const starts: number[] = new Array<number>(bars.length);
  let acc = base;
  for (let i = bars.length - 1; i >= 0; i--) {
    starts[i] = acc;
    acc += bars[i]!.phi;
  }
  const ends = [...starts.map((st, i) => st + bars[i]!.phi), base, fx];
  let lo = Math.min(...starts, ...ends);
  let hi = Math.max(...starts, ...ends);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  lo -= pad;
  hi += pad;
  const x0 = left;
  const x1 = WIDTH - 20;
  const axisY = top + bars.length * ROW_H + 6;
  const x = xAxis(f, axisY, top - 8, x0, x1, lo, hi, `E[f(x)] = ${num(base)} → f(x) = ${num(fx)}`);
  // f(x) and E[f(x)] markers.
  f.svg.appendChild(s('line', { x1: x(fx), x2: x(fx), y1: top - 14, y2: top + 2, stroke: f.theme.muted }));
  f.svg.appendChild(s('text', { x: x(fx), y: top - 17, 'text-anchor': 'middle', fill: f.theme.foreground }, `f(x) = ${num(fx)}`));
  f.svg.appendChild(s('line', { x1: x(base), x2: x(base), y1: axisY - 4, y2: axisY + 2, stroke: f.theme.foreground, 'stroke-width': 2 }));
  bars.forEach((b, i) => {
    const y = top + i * ROW_H;
    const a = x(starts[i]!);
    const e = x(starts[i]! + b.phi);
    const color = b.phi >= 0 ? f.theme.positive : f.theme.negative;
    const g = s('g', { 'data-feature': b.name, class: 'wf-bar' });
    g.appendChild(s('text', { x: left - 8, y: y + ROW_H / 2 + 4, 'text-anchor': 'end', fill: b.count > 1 ? f.theme.muted : f.theme.foreground }, labels[i]!));
    g.appendChild(s('line', { x1: x0, x2: x1, y1: y + ROW_H, y2: y + ROW_H, stroke: f.theme.grid, 'stroke-width': 0.5 }));
    const w = Math.max(Math.abs(e - a), 1);
    g.appendChild(s('rect', { x: Math.min(a, e), y: y + 4, width: w, height: ROW_H - 8, fill: color, rx: 2 }, s('title', {}, `${b.name}: φ = ${num(b.phi, true)}`)));
    // Connector to the next bar below's end.
    if (i < bars.length - 1) g.appendChild(s('line', { x1: a, x2: a, y1: y + ROW_H - 4, y2: y + ROW_H + 4, stroke: f.theme.muted, 'stroke-dasharray': '2 2' }));
    const text = num(b.phi, true);
    const inside = w > textWidth(text) + 8;
    g.appendChild(
      s(
        'text',
        { x: inside ? (a + e) / 2 : Math.max(a, e) + 4, y: y + ROW_H / 2 + 4, 'text-anchor': inside ? 'middle' : 'start', fill: inside ? '#ffffff' : color, 'font-weight': 600 },
        text,
      ),
    );
    f.svg.appendChild(g);
  });
  return f.svg;
}

/** Force-style strip of one row: features pushing f(x) up (red, from the left) and down (blue, from the right). */
export function forcePlot(r: ExplainResult, row: number, output: number): SVGSVGElement {
  const phi = rowPhi(r, row, output);
  const base = r.base_value[output] ?? 0;
  const fx = r.f_x[row]?.[output] ?? 0;
  const pos = phi.map((p, j) => ({ p, j })).filter((d) => d.p > 0).sort((a, b) => a.p - b.p);
  const neg = phi.map((p, j) => ({ p, j })).filter((d) => d.p < 0).sort((a, b) => a.p - b.p);
  const sumPos = pos.reduce((t, d) => t + d.p, 0);
  const sumNeg = neg.reduce((t, d) => t - d.p, 0);
  const lo0 = Math.min(fx - sumPos, base, fx);
  const hi0 = Math.max(fx + sumNeg, base, fx);
  const pad = (hi0 - lo0 || 1) * 0.05;
  const f = frame(120, `Force plot of row ${r.rows[row] ?? row}`);
  const x = xAxis(f, 70, 20, 20, WIDTH - 20, lo0 - pad, hi0 + pad, '');
  const total = sumPos + sumNeg || 1;
  const segment = (from: number, to: number, j: number, p: number, color: string) => {
    const a = x(from);
    const e = x(to);
    const g = s('g', { 'data-feature': r.feature_names[j] ?? `f${j}` });
    g.appendChild(s('rect', { x: Math.min(a, e), y: 30, width: Math.max(Math.abs(e - a) - 1, 0.5), height: 18, fill: color }, s('title', {}, `${r.feature_names[j]} = ${num(r.feature_values[row]?.[j])}: φ = ${num(p, true)}`)));
    const name = r.feature_names[j] ?? '';
    if (Math.abs(p) / total > 0.08 && Math.abs(e - a) > textWidth(name) + 4) g.appendChild(s('text', { x: (a + e) / 2, y: 62, 'text-anchor': 'middle', fill: color }, name));
    f.svg.appendChild(g);
  };
  let at = fx - sumPos;
  for (const d of pos) {
    segment(at, at + d.p, d.j, d.p, f.theme.positive);
    at += d.p;
  }
  at = fx + sumNeg;
  for (const d of neg) {
    segment(at, at + d.p, d.j, d.p, f.theme.negative);
    at += d.p;
  }
  f.svg.appendChild(s('line', { x1: x(fx), x2: x(fx), y1: 22, y2: 52, stroke: f.theme.foreground, 'stroke-width': 2 }));
  f.svg.appendChild(s('text', { x: x(fx), y: 16, 'text-anchor': 'middle', fill: f.theme.foreground, 'font-weight': 600 }, `f(x) = ${num(fx)}`));
  f.svg.appendChild(s('line', { x1: x(base), x2: x(base), y1: 50, y2: 70, stroke: f.theme.muted, 'stroke-dasharray': '3 2' }));
  f.svg.appendChild(s('text', { x: x(base), y: 112, 'text-anchor': 'middle', fill: f.theme.muted }, `base value ${num(base)}`));
  return f.svg;
}

/** Mean |φ| per feature over the explained rows, top `max`. */
export function barPlot(r: ExplainResult, output: number, max = 20): SVGSVGElement {
  const mean = meanAbsPhi(r, output);
  const order = importanceOrder(r, output);
  const shown = order.slice(0, max);
  const rest = order.length - shown.length;
  const names = shown.map((j) => r.feature_names[j] ?? `f${j}`);
  const left = labelWidth(names);
  const top = 10;
  const height = top + shown.length * ROW_H + 50 + (rest > 0 ? 16 : 0);
  const f = frame(height, 'Mean |φ| per feature');
  const hi = Math.max(...shown.map((j) => mean[j]!), 1e-12) * 1.12;
  const x = xAxis(f, top + shown.length * ROW_H + 6, top, left, WIDTH - 20, 0, hi, `mean |φ| over ${r.rows.length} rows`);
  shown.forEach((j, i) => {
    const y = top + i * ROW_H;
    const g = s('g', { 'data-feature': names[i]! });
    g.appendChild(s('text', { x: left - 8, y: y + ROW_H / 2 + 4, 'text-anchor': 'end', fill: f.theme.foreground }, names[i]!));
    g.appendChild(s('rect', { x: left, y: y + 4, width: Math.max(x(mean[j]!) - left, 0.5), height: ROW_H - 8, fill: f.theme.bar, rx: 2 }));
    g.appendChild(s('text', { x: x(mean[j]!) + 4, y: y + ROW_H / 2 + 4, fill: f.theme.muted }, num(mean[j]!)));
    f.svg.appendChild(g);
  });
  if (rest > 0) f.svg.appendChild(s('text', { x: left, y: height - 4, fill: f.theme.muted }, `${rest} other features not shown`));
  return f.svg;
}

/** Beeswarm: one lane per feature (by mean |φ|; beyond max−1 one "sum of N other features" lane), x = φ, colour = value. */
export function beeswarmPlot(r: ExplainResult, output: number, max = 10): SVGSVGElement {
  const order = importanceOrder(r, output);
  const lanes: { name: string; phi: number[]; values: number[] }[] = [];
  const direct = order.length > max ? order.slice(0, max - 1) : order;
  for (const j of direct) {
    lanes.push({ name: r.feature_names[j] ?? `f${j}`, phi: r.shap_values.map((pf) => pf[j]?.[output] ?? 0), values: r.feature_values.map((v) => v[j] ?? NaN) });
  }
  const others = order.slice(direct.length);
  if (others.length) {
    lanes.push({
      name: `Sum of ${others.length} other features`,
      phi: r.shap_values.map((pf) => others.reduce((t, j) => t + (pf[j]?.[output] ?? 0), 0)),
      values: r.shap_values.map(() => NaN),
    });
  }
  const left = labelWidth(lanes.map((l) => l.name));
  const laneH = 30;
  const top = 10;
  const legendW = 60;
  const height = top + lanes.length * laneH + 50;
  const f = frame(height, 'Beeswarm of φ over the explained rows');
  const all = lanes.flatMap((l) => l.phi);
  let lo = Math.min(0, ...all);
  let hi = Math.max(0, ...all);
  const pad = (hi - lo || 1) * 0.05;
  lo -= pad;
  hi += pad;
  const x = xAxis(f, top + lanes.length * laneH + 6, top, left, WIDTH - legendW - 10, lo, hi, `φ (impact on ${r.output_names[output] ?? 'the output'})`);
  f.svg.appendChild(s('line', { x1: x(0), x2: x(0), y1: top, y2: top + lanes.length * laneH, stroke: f.theme.muted }));
  lanes.forEach((lane, i) => {
    const cy = top + i * laneH + laneH / 2;
    const g = s('g', { 'data-feature': lane.name });
    g.appendChild(s('text', { x: left - 8, y: cy + 4, 'text-anchor': 'end', fill: f.theme.foreground }, lane.name));
    g.appendChild(s('line', { x1: left, x2: WIDTH - legendW - 10, y1: cy, y2: cy, stroke: f.theme.grid, 'stroke-width': 0.5, 'stroke-dasharray': '1 3' }));
    const offsets = swarmOffsets(lane.phi);
    const colours = normalizeValues(lane.values);
    lane.phi.forEach((p, k) => g.appendChild(s('circle', { cx: x(p), cy: cy + offsets[k]! * laneH, r: 3, fill: valueColor(colours[k]!), 'fill-opacity': 0.85 })));
    f.svg.appendChild(g);
  });
  // Colour legend: feature value low → high.
  const lx = WIDTH - legendW + 14;
  const ly = top + 6;
  const lh = Math.max(lanes.length * laneH - 24, 40);
  const steps = 20;
  for (let k = 0; k < steps; k++) f.svg.appendChild(s('rect', { x: lx, y: ly + (k * lh) / steps, width: 8, height: lh / steps + 0.5, fill: valueColor(1 - k / (steps - 1)) }));
  f.svg.appendChild(s('text', { x: lx + 12, y: ly + 8, fill: f.theme.muted }, 'High'));
  f.svg.appendChild(s('text', { x: lx + 12, y: ly + lh, fill: f.theme.muted }, 'Low'));
  f.svg.appendChild(s('text', { x: lx + 4, y: ly + lh + 16, 'text-anchor': 'middle', fill: f.theme.muted }, 'value'));
  return f.svg;
}

/** Dependence scatter of feature `j`: x = its value, y = its φ, one point per explained row. */
export function dependencePlot(r: ExplainResult, output: number, j: number, selectedRow: number): SVGSVGElement {
  const xs = r.feature_values.map((v) => v[j] ?? NaN);
  const ys = r.shap_values.map((pf) => pf[j]?.[output] ?? 0);
  const name = r.feature_names[j] ?? `f${j}`;
  const f = frame(300, `Dependence of φ on ${name}`);
  const fin = xs.filter(Number.isFinite);
  const span = (a: number[]) => {
    let lo = Math.min(...a);
    let hi = Math.max(...a);
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
    lo -= pad;
    hi += pad;
    return [lo, hi] as const;
  };
  const [xlo, xhi] = span(fin.length ? fin : [0]);
  const [ylo, yhi] = span([...ys, 0]);
  const left = 64;
  const bottom = 250;
  const x = xAxis(f, bottom, 10, left, WIDTH - 20, xlo, xhi, `${name} (feature value)`);
  const y = (v: number) => bottom - ((v - ylo) / (yhi - ylo || 1)) * (bottom - 10);
  for (const t of ticks(ylo, yhi, 5)) {
    f.svg.appendChild(s('line', { x1: left, x2: WIDTH - 20, y1: y(t), y2: y(t), stroke: f.theme.grid, 'stroke-dasharray': '2 3' }));
    f.svg.appendChild(s('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', fill: f.theme.muted }, num(t)));
  }
  f.svg.appendChild(s('text', { x: 14, y: (bottom + 10) / 2, transform: `rotate(-90 14 ${(bottom + 10) / 2})`, 'text-anchor': 'middle', fill: f.theme.foreground }, `φ of ${name}`));
  f.svg.appendChild(s('line', { x1: left, x2: left, y1: 10, y2: bottom, stroke: f.theme.muted }));
  const g = s('g', { 'data-feature': name });
  xs.forEach((v, k) => {
    if (!Number.isFinite(v)) return;
    const selected = k === selectedRow;
    g.appendChild(s('circle', { cx: x(v), cy: y(ys[k]!), r: selected ? 5 : 3.2, fill: selected ? f.theme.positive : f.theme.bar, 'fill-opacity': selected ? 1 : 0.75, stroke: selected ? f.theme.foreground : undefined }, s('title', {}, `row ${r.rows[k]}: ${name} = ${num(v)}, φ = ${num(ys[k], true)}`)));
  });
  f.svg.appendChild(g);
  return f.svg;
}
