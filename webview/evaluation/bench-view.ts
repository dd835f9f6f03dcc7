/** A latency benchmark (worker op `bench`): p50/p90/p99 and rows/s per batch size and thread count. */
import type { BenchResult } from '../../src/protocol/evaluate';
import { h, type Child } from '../shared/dom';
import { formatCount } from '../shared/format';
import { dataGrid, type Column } from '../shared/grid';
import { pageHeader, type HeaderActions } from '../shared/report-header';
import { formatMs, formatRate } from '../shared/metric-format';
import { facts } from '../shared/run-details';
import { section } from '../shared/section';
import type { EvaluationStore } from '../shared/report-view-state';

const COLUMNS: readonly Column[] = [
  { title: 'Batch size', min: '7em', numeric: true },
  { title: 'Threads', min: '6em', numeric: true },
  { title: 'p50', min: '8em', numeric: true },
  { title: 'p90', min: '8em', numeric: true },
  { title: 'p99', min: '8em', numeric: true },
  { title: 'Throughput', min: '10em', numeric: true },
];

export function renderBench(result: BenchResult, store: EvaluationStore, actions: HeaderActions): Child[] {
  const name = result.model.split(/[\\/]/).pop() ?? result.model;
  const rows = result.results.map((r) => [
    h('span', { 'data-batch-size': String(r.batch_size) }, formatCount(r.batch_size)),
    r.threads === 0 ? 'default' : formatCount(r.threads),
    formatMs(r.p50_ms),
    formatMs(r.p90_ms),
    formatMs(r.p99_ms),
    formatRate(r.rows_per_s),
  ]);
  return [
    pageHeader(`Benchmark: ${name}`, h('span', { class: 'path' }, result.model), actions),
    facts([
      ['Model', h('span', { class: 'path' }, result.model)],
      ['ONNX Runtime', result.ort_version],
      ['Configurations', String(result.results.length)],
    ]),
    section(store, 'bench', 'Latency per batch (session.run on generated inputs)', [
      h('div', { 'data-testid': 'bench-table' }, dataGrid('Benchmark', COLUMNS, rows)),
    ]),
  ];
}
