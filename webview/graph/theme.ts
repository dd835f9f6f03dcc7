/**
 * Colours and fonts for the canvas, read from CSS custom properties on the graph element (graph.css maps
 * them to VS Code theme variables with fallbacks), so the graph follows the theme. Canvas needs concrete
 * colours: each value is normalised through a 2D context and node fills are mixed with the background.
 */
import type { OpCategory } from '../../src/protocol/graph';

export const OP_CATEGORIES: readonly OpCategory[] = [
  'conv',
  'linear',
  'activation',
  'normalization',
  'pool',
  'elementwise',
  'reduce',
  'shape',
  'tensor',
  'control',
  'quantization',
  'logic',
  'constant',
  'custom',
  'other',
];

export interface CategoryStyle {
  /** The category colour itself (borders, tiny boxes, legend). */
  readonly color: string;
  /** Box fill: the colour mixed into the background. */
  readonly fill: string;
}

export interface GraphTheme {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly edge: string;
  readonly edgeHighlight: string;
  readonly selection: string;
  readonly searchHit: string;
  readonly frameFill: readonly [string, string];
  readonly frameStroke: string;
  readonly groupFill: string;
  readonly groupStroke: string;
  readonly inputFill: string;
  readonly outputFill: string;
  readonly ioStroke: string;
  readonly labelBackground: string;
  readonly added: string;
  readonly removed: string;
  readonly changed: string;
  readonly fontFamily: string;
  readonly monoFamily: string;
  readonly categories: Readonly<Record<OpCategory, CategoryStyle>>;
}

type Rgba = [number, number, number, number];

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour → [r, g, b, a] (a in 0..1); null when the browser does not accept it. */
export function parseColor(css: string): Rgba | null {
  const text = css.trim();
  if (text === '') return null;
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return null;
  probe.fillStyle = '#010203';
  probe.fillStyle = text;
  const v = String(probe.fillStyle);
  if (v === '#010203' && text.toLowerCase() !== '#010203') return null;
  return rgbaOf(v);
}

/** '#rrggbb' or 'rgba(r, g, b, a)' → [r, g, b, a]. */
export function rgbaOf(v: string): Rgba | null {
  let m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(v);
  if (m) return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16), 1];
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(v);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  return null;
}

export function cssOf([r, g, b, a]: Rgba): string {
  return a >= 1 ? `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})` : `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${a.toFixed(3)})`;
}

/** `amount` of `color` over `base` (both opaque after mixing). */
export function mix(color: Rgba, base: Rgba, amount: number): Rgba {
  const a = amount * color[3];
  return [color[0] * a + base[0] * (1 - a), color[1] * a + base[1] * (1 - a), color[2] * a + base[2] * (1 - a), 1];
}

export function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function readTheme(el: Element): GraphTheme {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string): Rgba => parseColor(style.getPropertyValue(name)) ?? parseColor(fallback) ?? [128, 128, 128, 1];
  const bg = read('--ptp-graph-background', '#1e1e1e');
  const fg = read('--ptp-graph-foreground', '#cccccc');
  const dark = luminance(bg) < 0.4;
  const solid = (c: Rgba) => cssOf(c[3] < 1 ? mix(c, bg, 1) : c);
  const categories = {} as Record<OpCategory, CategoryStyle>;
  for (const cat of OP_CATEGORIES) {
    const c = read(`--ptp-graph-op-${cat}`, '#888888');
    categories[cat] = { color: cssOf(c), fill: cssOf(mix(c, bg, dark ? 0.32 : 0.22)) };
  }
  const family = style.getPropertyValue('--ptp-graph-font').trim() || 'system-ui, sans-serif';
  const mono = style.getPropertyValue('--ptp-graph-mono-font').trim() || 'ui-monospace, monospace';
  const frame = read('--ptp-graph-frame', dark ? '#ffffff' : '#000000');
  return {
    background: cssOf(bg),
    foreground: cssOf(fg),
    muted: solid(read('--ptp-graph-muted', dark ? '#9d9d9d' : '#616161')),
    edge: solid(read('--ptp-graph-edge', dark ? '#8a8a8a' : '#7a7a7a')),
    edgeHighlight: solid(read('--ptp-graph-edge-highlight', '#3794ff')),
    selection: solid(read('--ptp-graph-selection', '#3794ff')),
    searchHit: solid(read('--ptp-graph-search-hit', '#e2a03f')),
    frameFill: [cssOf(mix(frame, bg, 0.035)), cssOf(mix(frame, bg, 0.07))],
    frameStroke: cssOf(mix(frame, bg, 0.25)),
    groupFill: cssOf(mix(read('--ptp-graph-group', '#6c8ebf'), bg, dark ? 0.3 : 0.2)),
    groupStroke: solid(read('--ptp-graph-group', '#6c8ebf')),
    inputFill: cssOf(mix(read('--ptp-graph-input', '#4caf50'), bg, 0.3)),
    outputFill: cssOf(mix(read('--ptp-graph-output', '#e0823d'), bg, 0.3)),
    ioStroke: cssOf(mix(fg, bg, 0.5)),
    labelBackground: cssOf(mix(bg, fg, 0.92)),
    added: solid(read('--ptp-graph-added', '#2ea043')),
    removed: solid(read('--ptp-graph-removed', '#f85149')),
    changed: solid(read('--ptp-graph-changed', '#d29922')),
    fontFamily: family,
    monoFamily: mono,
    categories,
  };
}

/**
 * Calls `onChange` with the theme read again from `el` whenever VS Code may have switched themes (class or
 * style changes on <body> and <html>). Returns the function that stops watching.
 */
export function watchTheme(el: Element, onChange: (theme: GraphTheme) => void): () => void {
  const mo = new MutationObserver(() => onChange(readTheme(el)));
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => mo.disconnect();
}
