/**
 * x/y charts drawn with uPlot in its faceted mode (mode 2: every series has its own x and y arrays, as ROC
 * curves of different classes do). Colours and fonts come from VS Code's theme variables at draw time; the
 * panel redraws on a theme change. A chart is created when its box first gets a width (sections may start
 * closed) and follows the box's size afterwards.
 */
import uPlot from 'uplot';
import { h } from './dom';

export type SeriesStyle = 'line' | 'points' | 'reference' | 'line-points';

export interface XYSeries {
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** line (default), points (scatter), reference (dashed, muted: chance / ideal lines), line-points. */
  readonly style?: SeriesStyle;
  /** Palette index (default: the series' position among non-reference series). */
  readonly colorIndex?: number;
  /** Error whiskers: y ± errors[i] drawn as a vertical bar at each point (e.g. a sampling error). */
  readonly errors?: ArrayLike<number>;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly XYSeries[];
  /** Fixed axis ranges (default: fitted to the data). */
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  readonly height?: number;
  /** `data-chart` hook for tests. */
  readonly id: string;
}

const PALETTE_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-red',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
  '--vscode-terminal-ansiBrightBlue',
  '--vscode-terminal-ansiBrightGreen',
  '--vscode-terminal-ansiBrightRed',
  '--vscode-terminal-ansiBrightYellow',
];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700', '#11a8cd', '#bc3fbc', '#3b8eea', '#23d18b', '#f14c4c', '#f5f543'];

interface Theme {
  readonly palette: readonly string[];
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly font: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function readTheme(): Theme {
  const family = cssVar('--vscode-font-family', 'sans-serif');
  return {
    palette: PALETTE_VARS.map((v, i) => cssVar(v, FALLBACK[i]!)),
    foreground: cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#888')),
    muted: cssVar('--vscode-descriptionForeground', '#888'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.25)'),
    font: `11px ${family}`,
  };
}

/** Live charts, destroyed (listeners removed) before the panel re-renders. */
const live = new Set<{ destroy(): void }>();

export function destroyCharts(): void {
  for (const c of live) c.destroy();
  live.clear();
}

/** A chart box (figure with a caption); the uPlot instance is created once the box is laid out. */
export function chart(spec: ChartSpec): HTMLElement {
  const box = h('div', { class: 'chart-box' });
  const figure = h('figure', { class: 'chart', 'data-chart': spec.id }, h('figcaption', null, spec.title), box);
  let plot: uPlot | undefined;
  const height = spec.height ?? 260;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(box.clientWidth);
    if (width <= 0) return;
    if (!plot) plot = new uPlot(options(spec, width, height, readTheme()), data(spec), box);
    else if (plot.width !== width) plot.setSize({ width, height });
  });
  observer.observe(box);
  live.add({
    destroy: () => {
      observer.disconnect();
      plot?.destroy();
    },
  });
  return figure;
}

/**
 * Dots (and optionally the line through them) for a faceted series: uPlot's own point renderer draws nothing in
 * mode 2, so the circles are built here, in canvas pixels.
 */
function dotPaths(withLine: boolean, radiusCss: number): uPlot.Series.PathBuilder {
  return (u, seriesIndex) => {
    const [xs, ys] = (u.data as unknown as (readonly [readonly number[], readonly number[]])[])[seriesIndex]!;
    const r = radiusCss * (window.devicePixelRatio || 1);
    const line = new Path2D();
    const circles = new Path2D();
    for (let i = 0; i < xs.length; i++) {
      const x = u.valToPos(xs[i]!, 'x', true);
      const y = u.valToPos(ys[i]!, 'y', true);
      if (i === 0) line.moveTo(x, y);
      else line.lineTo(x, y);
      circles.moveTo(x + r, y);
      circles.arc(x, y, r, 0, 2 * Math.PI);
    }
    return { stroke: withLine ? line : circles, fill: circles, clip: undefined, band: undefined, gaps: undefined, flags: 0 } as unknown as uPlot.Series.Paths;
  };
}

/** The error whiskers of the series that have `errors`, in their series' colour. */
function drawWhiskers(u: uPlot, spec: ChartSpec, series: readonly uPlot.Series[]): void {
  const dpr = window.devicePixelRatio || 1;
  const cap = 4 * dpr;
  spec.series.forEach((s, i) => {
    if (!s.errors) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = String(series[i + 1]?.stroke ?? '#888');
    ctx.lineWidth = 1.25 * dpr;
    ctx.beginPath();
    for (let k = 0; k < s.x.length; k++) {
      const e = s.errors[k];
      if (e === undefined || !Number.isFinite(e) || !Number.isFinite(s.y[k]!)) continue;
      const x = u.valToPos(s.x[k]!, 'x', true);
      const top = u.valToPos(s.y[k]! + e, 'y', true);
      const bottom = u.valToPos(s.y[k]! - e, 'y', true);
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.moveTo(x - cap, top);
      ctx.lineTo(x + cap, top);
      ctx.moveTo(x - cap, bottom);
      ctx.lineTo(x + cap, bottom);
    }
    ctx.stroke();
    ctx.restore();
  });
}

function data(spec: ChartSpec): uPlot.AlignedData {
  // Faceted data: index 0 unused, then [xs, ys] per series.
  return [null, ...spec.series.map((s) => [Array.from(s.x), Array.from(s.y)])] as unknown as uPlot.AlignedData;
}

function options(spec: ChartSpec, width: number, height: number, theme: Theme): uPlot.Options {
  let next = 0;
  const series: uPlot.Series[] = [
    {},
    ...spec.series.map((s): uPlot.Series => {
      const style = s.style ?? 'line';
      const color = style === 'reference' ? theme.muted : theme.palette[(s.colorIndex ?? next++) % theme.palette.length]!;
      const dots = style === 'points' || style === 'line-points';
      return {
        label: s.label,
        stroke: color,
        ...(dots ? { fill: color } : {}),
        ...(style === 'points' ? { alpha: 0.75 } : {}),
        width: style === 'reference' ? 1 : 1.5,
        ...(style === 'reference' ? { dash: [5, 4] } : {}),
        facets: [
          { scale: 'x', auto: !spec.xRange },
          { scale: 'y', auto: !spec.yRange },
        ],
        paths: dots ? dotPaths(style === 'line-points', style === 'points' ? 2.5 : 3) : uPlot.paths.linear!(),
        points: { show: false },
      } as uPlot.Series;
    }),
  ];
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: theme.foreground,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : String(Number(v.toPrecision(4))))),
  });
  return {
    mode: 2,
    width,
    height,
    series,
    scales: {
      x: { time: false, ...(spec.xRange ? { range: [...spec.xRange] as [number, number], auto: false } : {}) },
      y: spec.yRange ? { range: [...spec.yRange] as [number, number], auto: false } : {},
    },
    axes: [axis(spec.xLabel), axis(spec.yLabel)],
    legend: { show: spec.series.length > 1, live: false },
    hooks: { draw: [(u: uPlot) => drawWhiskers(u, spec, series)] },
    cursor: { drag: { x: true, y: true, uni: 20 }, points: { show: false } },
  } as uPlot.Options;
}
