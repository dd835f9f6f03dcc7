/**
 * SVG building for the Attributions plots (text as text nodes, never markup) and the colours they use, read from
 * VS Code's theme at draw time and written into the SVG as plain values so an exported SVG/PNG looks the same.
 */
export const SVG_NS = 'http://www.w3.org/2000/svg';

export type SvgAttrs = Readonly<Record<string, string | number | undefined>>;

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: SvgAttrs = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export interface PlotTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly background: string;
  readonly font: string;
  /** φ > 0 pushes the output up (shap's red), φ < 0 down (shap's blue). */
  readonly positive: string;
  readonly negative: string;
  readonly bar: string;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function readTheme(): PlotTheme {
  return {
    foreground: cssVar('--vscode-foreground', '#888'),
    muted: cssVar('--vscode-descriptionForeground', '#888'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    positive: '#ff0051',
    negative: '#008bfb',
    bar: cssVar('--vscode-charts-blue', '#3794ff'),
  };
}

/** shap's low→high colour ramp (blue → purple → red) at t ∈ [0, 1]; NaN → grey. */
export function valueColor(t: number): string {
  if (!Number.isFinite(t)) return '#888888';
  const a = [0, 139, 251];
  const m = [170, 30, 200];
  const b = [255, 0, 81];
  const [p, q, u] = t < 0.5 ? [a, m, t * 2] : [m, b, (t - 0.5) * 2];
  const c = p.map((v, i) => Math.round(v + (q[i]! - v) * u));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Text width estimate (no layout needed): ~0.6 em per character at `size` px. */
export function textWidth(text: string, size = 11): number {
  return text.length * size * 0.6;
}
