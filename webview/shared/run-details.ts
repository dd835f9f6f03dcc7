/** Latency of the evaluation run, how the data was mapped onto the model (plan lines) and the warnings. */
import type { LatencyReport } from '../../src/protocol/evaluate';
import { h } from './dom';
import { formatCount } from './format';
import { formatMs, formatRate } from './metric-format';

export function facts(pairs: readonly (readonly [string, string | HTMLElement])[], attrs: Record<string, string> = {}): HTMLElement {
  return h('dl', { class: 'facts', ...attrs }, ...pairs.map(([k, v]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v))));
}

export function latencyContent(l: LatencyReport): HTMLElement {
  return facts(
    [
      ['p50 per batch', formatMs(l.p50_ms)],
      ['p90 per batch', formatMs(l.p90_ms)],
      ['p99 per batch', formatMs(l.p99_ms)],
      ['Throughput (whole run)', formatRate(l.rows_per_s)],
      ['Throughput (inference)', formatRate(l.inference_rows_per_s)],
      ['Batch size', formatCount(l.batch_size)],
      ['Batches', formatCount(l.batches)],
      ['Threads', l.threads === null ? 'onnxruntime default' : formatCount(l.threads)],
    ],
    { 'data-testid': 'latency' },
  );
}

export function planContent(plan: readonly string[]): HTMLElement {
  return h('ul', { class: 'plan' }, ...plan.map((line) => h('li', { class: 'mono' }, line)));
}

export function warningsContent(warnings: readonly string[]): HTMLElement[] {
  if (warnings.length === 0) return [h('p', { class: 'muted' }, 'No warnings.')];
  return warnings.map((w) => h('p', { class: 'notice warn' }, w));
}
