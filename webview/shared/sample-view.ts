/** Renders a sample run (worker op `sample`): what was fed, what came out, how long it took. */
import type { SampleResult, SampleTensorSummary } from '../../src/protocol/worker';
import { h } from './dom';
import { formatCount, formatDuration, formatNumber, formatPreview, formatShape } from './format';
import { dataGrid, type Cell, type Column } from './grid';

const TENSOR_COLUMNS: readonly Column[] = [
  { title: 'Name', min: '8em', grow: 1.5 },
  { title: 'Type', min: '7.5em', grow: 0.8 },
  { title: 'Shape', min: '8em' },
  { title: 'Min', numeric: true, min: '7.5em', grow: 0.8 },
  { title: 'Max', numeric: true, min: '7.5em', grow: 0.8 },
  { title: 'Mean', numeric: true, min: '7.5em', grow: 0.8 },
  { title: 'Std', numeric: true, min: '7.5em', grow: 0.8 },
  { title: 'NaN', numeric: true, min: '5em', grow: 0.5 },
  { title: 'Inf', numeric: true, min: '5em', grow: 0.5 },
  { title: 'Preview', min: '14em', grow: 2.5 },
];

function tensorRow(t: SampleTensorSummary): Cell[] {
  const s = t.stats;
  const count = s?.count ?? t.shape.reduce((a, b) => a * b, 1);
  const flag = (n: number | undefined) => (n ? h('span', { class: 'flag' }, formatCount(n)) : s ? '0' : '—');
  return [
    h('span', { class: 'name' }, t.name),
    t.elem_type,
    formatShape(t.shape),
    formatNumber(s?.min),
    formatNumber(s?.max),
    formatNumber(s?.mean),
    formatNumber(s?.std),
    flag(s?.nan),
    flag(s?.inf),
    h('span', { class: 'preview' }, formatPreview(t.preview, count)),
  ];
}

export function renderSampleResult(result: SampleResult): HTMLElement {
  const [first, ...repeats] = result.run_ms;
  const facts: [string, string][] = [
    ['First run', first !== undefined ? formatDuration(first) : '—'],
    ['Session creation', formatDuration(result.session_ms)],
    ['ONNX Runtime', result.ort_version],
  ];
  if (repeats.length > 0) {
    const sorted = [...repeats].sort((a, b) => a - b);
    facts.splice(1, 0, [`Median of ${repeats.length} repeats`, formatDuration(sorted[Math.floor(sorted.length / 2)]!)]);
  }
  const nonFinite = result.outputs.filter((o) => (o.stats?.nan ?? 0) > 0 || (o.stats?.inf ?? 0) > 0);
  return h(
    'div',
    { class: 'sample-result' },
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v))])),
    nonFinite.length > 0
      ? h('p', { class: 'notice warn', role: 'status' }, `Non-finite values in: ${nonFinite.map((o) => o.name).join(', ')}`)
      : null,
    h('h3', null, `Inputs fed (${result.inputs.length})`),
    dataGrid('Inputs fed', TENSOR_COLUMNS, result.inputs.map(tensorRow)),
    h('h3', null, `Outputs (${result.outputs.length})`),
    dataGrid('Outputs', TENSOR_COLUMNS, result.outputs.map(tensorRow)),
  );
}
