/**
 * Overlays (per-node numbers: profiling times, quantization error, sparsity) as colours: by thresholds
 * (k ascending thresholds → k+1 bins) or by a gradient over [min, max]; green is good, red is bad
 * (`higherIsWorse` decides which end is bad). Nodes are matched by name, or `#<id>` for unnamed nodes.
 * Pure: no DOM.
 */
import type { Overlay } from '../../src/protocol/graph';
import type { GraphIndex } from './graph-index';

/** Good → bad. */
const RAMP: readonly [number, number, number][] = [
  [46, 160, 91],
  [150, 190, 70],
  [227, 179, 65],
  [232, 125, 60],
  [215, 58, 73],
];

export interface LegendEntry {
  readonly color: string;
  readonly label: string;
}

export interface OverlayColors {
  readonly min: number;
  readonly max: number;
  colorOf(value: number): string;
  readonly legend: readonly LegendEntry[];
}

function rampAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function rgbText([r, g, b]: readonly number[]): string {
  return `rgb(${Math.round(r!)}, ${Math.round(g!)}, ${Math.round(b!)})`;
}

/** Text colour readable on a ramp colour. */
export function textOn(color: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(color);
  if (!m) return '#1b1b1b';
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return 0.299 * r + 0.587 * g + 0.114 * b < 110 ? '#ffffff' : '#1b1b1b';
}

export function formatOverlayValue(v: number, unit: string): string {
  const abs = Math.abs(v);
  const text = abs !== 0 && (abs >= 1e5 || abs < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  return unit ? `${text} ${unit}` : text;
}

export function overlayColors(overlay: Overlay): OverlayColors {
  let min = Infinity;
  let max = -Infinity;
  for (const v of Object.values(overlay.values)) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) min = max = 0;
  const orient = (t: number) => (overlay.higherIsWorse ? t : 1 - t);
  if (overlay.scale.kind === 'thresholds') {
    const th = [...overlay.scale.thresholds].sort((a, b) => a - b);
    const bins = th.length + 1;
    const colors = Array.from({ length: bins }, (_, i) => rgbText(rampAt(orient(bins === 1 ? 0.5 : i / (bins - 1)))));
    const fmt = (v: number) => formatOverlayValue(v, overlay.unit);
    const legend = colors.map((color, i) => ({
      color,
      label: th.length === 0 ? 'all' : i === 0 ? `< ${fmt(th[0]!)}` : i === th.length ? `≥ ${fmt(th[i - 1]!)}` : `${fmt(th[i - 1]!)} – ${fmt(th[i]!)}`,
    }));
    return {
      min,
      max,
      legend,
      colorOf(value) {
        let bin = 0;
        while (bin < th.length && value >= th[bin]!) bin++;
        return colors[bin]!;
      },
    };
  }
  const span = max - min;
  const colorOf = (value: number) => rgbText(rampAt(orient(span > 0 ? (value - min) / span : 0.5)));
  const stops = span > 0 ? [0, 0.25, 0.5, 0.75, 1] : [0];
  return {
    min,
    max,
    colorOf,
    legend: stops.map((t) => ({ color: colorOf(min + t * span), label: formatOverlayValue(min + t * span, overlay.unit) })),
  };
}

/** The overlay value of a node (by name, then `#<id>`). */
export function overlayValue(index: GraphIndex, overlay: Overlay, node: number): number | undefined {
  const n = index.node(node);
  const v = (n.name !== '' ? overlay.values[n.name] : undefined) ?? overlay.values[`#${n.id}`];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Fill and text colour per node that has a value. */
export function overlayPaints(index: GraphIndex, overlay: Overlay): Map<number, { fill: string; text: string }> {
  const colors = overlayColors(overlay);
  const out = new Map<number, { fill: string; text: string }>();
  for (let n = 0; n < index.nodeCount; n++) {
    const v = overlayValue(index, overlay, n);
    if (v === undefined) continue;
    const fill = colors.colorOf(v);
    out.set(n, { fill, text: textOn(fill) });
  }
  return out;
}
