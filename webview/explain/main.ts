/**
 * Entry of the Attributions panel (ptp.explain): ready → snapshot (an ExplainResult); re-rendered when the host
 * pushes a re-run, when the output / row / dependence feature changes, and when the colour theme changes (the
 * plots take their colours from the theme when drawn). Selections, open sections and scroll live in the webview
 * state.
 */
import '../shared/base.css';
import '../shared/report.css';
import './explain.css';
import type { ExplainResult } from '../../src/protocol/explain';
import type { ExplainChannel, ExplainSnapshot } from '../../src/protocol/explain-panel';
import type { ExportOutcome } from '../../src/protocol/webview';
import type { ErrorInfo } from '../../src/protocol/webview';
import { h, replaceChildren, type Child } from '../shared/dom';
import { formatCount } from '../shared/format';
import { startReportApp } from '../shared/report-app';
import { watchTheme } from '../shared/report-shell';
import { button } from '../shared/report-header';
import { facts } from '../shared/run-details';
import { defaultOutput, importanceOrder, num } from './attribution-math';
import { imageViews, scaledCopy } from './image-heatmap';
import { plotExport } from './plot-export';
import { barPlot, beeswarmPlot, dependencePlot, forcePlot, setPlotWidth, waterfallPlot } from './plots';
import { readTheme } from './svg';

interface ExplainViewState {
  readonly output: number | null;
  readonly row: number;
  readonly feature: number | null;
  readonly open: Readonly<Record<string, boolean>>;
  readonly scrollY: number;
}

const app = startReportApp<ExplainViewState, ExplainChannel>({ output: null, row: 0, feature: null, open: {}, scrollY: 0 });
const { store, client, failureSlot } = app;
const status = h('span', { class: 'export-status muted', role: 'status', 'aria-live': 'polite' });
let current: ExplainResult | undefined;

function runExport(what: () => Promise<ExportOutcome>): void {
  status.textContent = '';
  what().then(
    (o) => (status.textContent = o.done ? `Saved ${o.file ?? ''}` : ''),
    (e: unknown) => (status.textContent = `Failed: ${e instanceof Error ? e.message : String(e)}`),
  );
}

function section(id: string, title: Child, children: readonly Child[], plot?: { name: string; el: SVGSVGElement | HTMLCanvasElement }): HTMLElement {
  const saved = store.get().open[id];
  const tools = plot
    ? h(
        'div',
        { class: 'plot-tools' },
        button('Save PNG…', `png-${id}`, () => runExport(async () => client.request('savePlot', await plotExport('png', plot.name, plot.el, readTheme().background)))),
        plot.el instanceof SVGSVGElement ? button('Save SVG…', `svg-${id}`, () => runExport(async () => client.request('savePlot', await plotExport('svg', plot.name, plot.el, '')))) : null,
      )
    : null;
  const details = h('details', { class: 'section', 'data-section': id, open: saved ?? true }, h('summary', null, h('h2', null, title)), h('div', { class: 'section-body' }, tools, ...children));
  details.addEventListener('toggle', () => store.update({ open: { ...store.get().open, [id]: details.open } }));
  return details;
}

function select(label: string, testId: string, options: readonly (readonly [number, string])[], value: number, onChange: (v: number) => void): HTMLElement {
  const el = h('select', { 'data-testid': testId, 'aria-label': label });
  for (const [v, text] of options) el.appendChild(h('option', { value: v, selected: v === value }, text));
  el.addEventListener('change', () => onChange(Number(el.value)));
  return h('label', { class: 'picker' }, h('span', { class: 'muted' }, label), el);
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function efficiencyFact(r: ExplainResult): HTMLElement {
  const ok = r.efficiency_max_error < 1e-6;
  return h(
    'span',
    { 'data-testid': 'efficiency', class: ok ? 'ok' : 'warn', title: 'max over rows and outputs of |Σφ − (f(x) − E[f(x)])|, relative to the output scale' },
    `${ok ? '✓' : '⚠'} Σφ = f(x) − E[f(x)] within ${r.efficiency_max_error === 0 ? '0' : r.efficiency_max_error.toExponential(1)}`,
  );
}

/** "± 1.3% (this row) · worst 1.9%": the sampled values' estimated relative error, warned above 2%. */
function errorFact(r: ExplainResult, row: number): HTMLElement | null {
  if (!r.error) return null;
  const pct = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(v < 0.1 ? 2 : 1)}%`);
  const known = r.error.relative.filter((v) => !Number.isNaN(v));
  const target = r.settings.target_error ?? 0.02;
  const ok = r.error.above_target === 0;
  return h(
    'span',
    { 'data-testid': 'error-estimate', class: ok ? 'ok' : 'warn', title: 'estimated Σ|φ − exact φ| ÷ Σ|φ| from the standard errors of the sampled values' },
    `± ${pct(r.error.relative[row])} (this row) · worst ${pct(known.length ? Math.max(...known) : undefined)}${ok ? '' : ` · ${r.error.above_target} rows above ${pct(target)}`}`,
  );
}

function content(r: ExplainResult): Child[] {
  const st = store.get();
  const outputs = r.output_names.length;
  const output = st.output !== null && st.output < outputs ? st.output : defaultOutput(r);
  const row = st.row < r.rows.length ? st.row : 0;
  const order = importanceOrder(r, output);
  const feature = st.feature !== null && st.feature < r.feature_names.length ? st.feature : (order[0] ?? 0);
  const rowLabel = (i: number) => {
    const fx = r.f_x[i]?.[output];
    const label = r.labels?.[i];
    return `Row ${r.rows[i]} · f(x) = ${num(fx)}${label !== undefined ? ` · label ${String(label)}` : ''}`;
  };
  const outName = r.output_names[output] ?? String(output);

  const controls = h(
    'div',
    { class: 'controls' },
    outputs > 1
      ? select('Output', 'output-select', r.output_names.map((n, k) => [k, r.task === 'classification' ? `class ${n}` : n] as const), output, (v) => {
          store.update({ output: v });
          rerender();
        })
      : h('span', { class: 'muted' }, `Output: ${outName}`),
    select('Row', 'row-select', r.rows.map((_, i) => [i, rowLabel(i)] as const), row, (v) => {
      store.update({ row: v });
      rerender();
    }),
  );

  // Section bodies are indented 14 px; the page has 20 px padding on each side.
  setPlotWidth((document.body.clientWidth || 800) - 40 - 14);
  const waterfall = waterfallPlot(r, row, output);
  const force = forcePlot(r, row, output);
  const bar = barPlot(r, output);
  const sections: Child[] = [
    section('waterfall', `Waterfall · row ${r.rows[row]}`, [h('div', { class: 'plot', 'data-testid': 'waterfall' }, waterfall)], { name: `waterfall-row-${r.rows[row]}`, el: waterfall }),
    section('force', `Force · row ${r.rows[row]}`, [h('div', { class: 'plot', 'data-testid': 'force' }, force)], { name: `force-row-${r.rows[row]}`, el: force }),
  ];
  if (r.image) {
    const views = imageViews(r.image, row, output);
    const big = scaledCopy(views.overlay);
    sections.push(
      section(
        'image',
        `Image · row ${r.rows[row]}`,
        [
          h(
            'div',
            { class: 'image-pair', 'data-testid': 'image-heatmap' },
            h('figure', null, views.original, h('figcaption', { class: 'muted' }, 'input')),
            h('figure', null, views.overlay, h('figcaption', { class: 'muted' }, `φ per pixel for ${r.output_names[views.shownOutput] ?? outName}`)),
          ),
          h(
            'p',
            { class: 'muted small' },
            h('span', { class: 'swatch pos' }),
            ' raises the output  ',
            h('span', { class: 'swatch neg' }),
            ` lowers it · |φ| per pixel up to ${num(views.max)} · ${r.image.grid_rows}×${r.image.grid_cols} patches of ${r.image.patch} px, ${r.image.baseline} baseline`,
          ),
        ],
        { name: `heatmap-row-${r.rows[row]}`, el: big },
      ),
    );
  }
  sections.push(section('bar', 'Mean |φ| per feature', [h('div', { class: 'plot', 'data-testid': 'bar' }, bar)], { name: 'mean-abs-shap', el: bar }));
  if (r.rows.length > 1) {
    const swarm = beeswarmPlot(r, output);
    sections.push(section('beeswarm', 'Beeswarm', [h('div', { class: 'plot', 'data-testid': 'beeswarm' }, swarm)], { name: 'beeswarm', el: swarm }));
  }
  const dep = dependencePlot(r, output, feature, row);
  sections.push(
    section(
      'dependence',
      'Dependence',
      [
        select('Feature', 'feature-select', order.map((j) => [j, r.feature_names[j] ?? `f${j}`] as const), feature, (v) => {
          store.update({ feature: v });
          rerender();
        }),
        h('div', { class: 'plot', 'data-testid': 'dependence' }, dep),
      ],
      { name: `dependence-${r.feature_names[feature] ?? feature}`, el: dep },
    ),
  );
  if (r.notes.length) sections.push(section('notes', 'How it was computed', [h('ul', { class: 'notes' }, ...r.notes.map((n) => h('li', null, n)))]));

  return [
    h(
      'header',
      { class: 'page-header' },
      h('div', { class: 'title' }, h('h1', null, `Attributions: ${baseName(r.model)}`), h('div', { class: 'subtitle muted' }, h('span', { class: 'path' }, `on ${r.data}`))),
      h(
        'div',
        { class: 'actions' },
        status,
        button('Save JSON…', 'save-json', () => runExport(() => client.request('saveJson', null))),
        button('Save CSV…', 'save-csv', () => runExport(() => client.request('saveCsv', null))),
      ),
    ),
    facts(
      [
        ['Method', r.method],
        ['Task', r.task],
        ['Rows explained', formatCount(r.rows.length)],
        ['Features', formatCount(r.feature_names.length)],
        ['Background', `${formatCount(r.background.rows)} rows (${r.background.how})`],
        ['Base value E[f(x)]', num(r.base_value[output])],
        ['Efficiency', efficiencyFact(r)],
        ...(r.error ? [['Estimated error', errorFact(r, row)!] as const] : []),
        ['Model rows', `${formatCount(r.model_rows)} in ${r.seconds.toFixed(2)} s`],
      ],
      { 'data-testid': 'explain-facts' },
    ),
    controls,
    ...sections,
  ];
}

function rerender(): void {
  if (current) render({ result: current });
}

function render(snapshot: ExplainSnapshot): void {
  current = snapshot.result;
  app.show(() => {
    replaceChildren(failureSlot);
    return [failureSlot, ...content(snapshot.result)];
  });
}

function showFailure(error: ErrorInfo): void {
  replaceChildren(failureSlot, h('div', { class: `notice ${error.cancelled ? 'info' : 'error'} failure`, role: 'alert' }, error.cancelled ? error.message : `The last run failed: ${error.message}`));
}

/** Plots read the theme's colours when drawn: redraw when VS Code switches themes. */
watchTheme(rerender);

/** Plots are drawn at the panel's width: redraw when it changes. */
let lastWidth = 0;
new ResizeObserver(() => {
  const width = document.body.clientWidth;
  if (Math.abs(width - lastWidth) < 24) return;
  lastWidth = width;
  requestAnimationFrame(rerender);
}).observe(document.body);

client.on('snapshot', render);
client.on('failure', showFailure);

app.ready(render, 'The attributions could not be shown');
