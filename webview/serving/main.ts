/**
 * Entry of the Serving panel (ptp.serving): ready → snapshot; the versions table is redrawn on every stats event
 * (once a second), the routing editor only on a new snapshot or after Apply / Promote / Roll back (so typing is not
 * overwritten). Every string from the server or the model is inserted as text (h()).
 */
import '../shared/base.css';
import './serving.css';
import type { ServedModelStats, ServingChannel, ServingRouting, ServingSnapshot, ServingStats, TestAnswer } from '../../src/protocol/serving-panel';
import { h, replaceChildren } from '../shared/dom';
import { HostClient } from '../shared/host-client';
import { errorInfoOf, showErrorView, showFailure } from '../shared/report-shell';
import { registerToolkit } from '../shared/toolkit';
import { vscodeApi } from '../shared/vscode-api';

registerToolkit();
const client = new HostClient<ServingChannel>(vscodeApi<unknown>());
const root = document.getElementById('app')!;
const failureSlot = h('div', { class: 'failure-slot' });
let current: ServingSnapshot | undefined;
const tables = new Map<string, HTMLElement>();

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function button(label: string, action: string, onClick: () => void, appearance = 'secondary'): HTMLElement {
  const b = h('vscode-button', { appearance, 'data-action': action }, label);
  b.addEventListener('click', onClick);
  return b;
}

const fail = (what: string) => (e: unknown) => showFailure(failureSlot, errorInfoOf(e), what);

function versionsTable(m: ServedModelStats): HTMLElement {
  const total = Object.values(m.split).reduce((a, b) => a + b, 0);
  return h(
    'table',
    { class: 'versions', 'data-model': m.name },
    h('thead', null, h('tr', null, ...['version', 'state', 'share', 'requests', 'error rate', 'p50 ms', 'p95 ms', 'p99 ms', 'mean batch', 'queue'].map((t, i) => h('th', { class: i >= 2 ? 'num' : '' }, t)))),
    h(
      'tbody',
      null,
      ...m.versions.map((v) =>
        h(
          'tr',
          { 'data-version': v.version },
          h('td', null, v.version),
          h('td', null, m.ready.includes(v.version) ? 'ready' : 'not ready', m.shadow === v.version ? ' (shadow)' : ''),
          h('td', { class: 'num' }, total > 0 ? pct((m.split[v.version] ?? 0) / total) : v.version === m.ready[0] ? '100.0%' : '—'),
          h('td', { class: 'num', 'data-field': 'requests' }, v.requests),
          h('td', { class: 'num', 'data-field': 'error-rate' }, pct(v.error_rate)),
          h('td', { class: 'num' }, ms(v.latency_ms.p50)),
          h('td', { class: 'num' }, ms(v.latency_ms.p95)),
          h('td', { class: 'num' }, ms(v.latency_ms.p99)),
          h('td', { class: 'num' }, v.mean_batch_size === null ? '—' : v.mean_batch_size.toFixed(2)),
          h('td', { class: 'num' }, m.queue_depth[v.version] ?? 0),
        ),
      ),
    ),
  );
}

function routingEditor(m: ServedModelStats): HTMLElement {
  const weights = new Map<string, HTMLInputElement>();
  const inputs = m.versions.map((v) => {
    const input = h('input', { type: 'number', min: 0, step: 1, value: m.split[v.version] ?? 0, 'data-split-version': v.version, 'aria-label': `weight of version ${v.version}` });
    weights.set(v.version, input);
    return h('label', null, `v${v.version}`, input);
  });
  const sticky = h('input', { type: 'text', value: m.sticky_header ?? '', placeholder: 'none', 'data-field': 'sticky-header', 'aria-label': 'sticky header' });
  const shadow = h('select', { 'data-field': 'shadow', 'aria-label': 'shadow version' }, h('option', { value: '' }, 'none'), ...m.versions.map((v) => h('option', { value: v.version, selected: m.shadow === v.version }, `v${v.version}`)));
  const applied = (r: ServingRouting) => {
    replaceChildren(failureSlot);
    document.body.dataset.routing = JSON.stringify(r.split);
  };
  const apply = () => {
    const split: Record<string, number> = {};
    for (const [v, input] of weights) if (Number(input.value) > 0) split[v] = Number(input.value);
    client.request('setRouting', { model: m.name, split, stickyHeader: sticky.value.trim() || null, shadow: shadow.value || null }).then(applied, fail('The routing was not changed'));
  };
  return h(
    'div',
    { class: 'routing', 'data-model': m.name },
    h('strong', null, 'Split'),
    ...inputs,
    h('label', null, 'Sticky header', sticky),
    h('label', null, 'Shadow', shadow),
    button('Apply', 'apply-routing', apply, 'primary'),
    ...m.versions.map((v) => button(`Promote v${v.version}`, `promote-${v.version}`, () => void client.request('promote', { model: m.name, version: v.version }).then((r) => (applied(r), rerender()), fail('Promote failed')))),
    button('Roll back', 'rollback', () => void client.request('rollback', { model: m.name }).then((r) => (applied(r), rerender()), fail('Roll back failed'))),
  );
}

function answerView(a: TestAnswer | null): HTMLElement {
  if (!a) return h('p', { class: 'muted', 'data-testid': 'answer' }, 'No test request sent yet.');
  return h(
    'div',
    { 'data-testid': 'answer' },
    h('p', null, `${a.model} version `, h('strong', { 'data-field': 'model-version' }, a.modelVersion ?? '?'), ` answered ${a.rows} row${a.rows === 1 ? '' : 's'} of `, h('span', { class: 'path' }, a.data), ` in ${a.ms.toFixed(1)} ms`),
    h('pre', { class: 'answer' }, a.json),
  );
}

function testRequest(model: string, slot: HTMLElement): HTMLElement {
  const rows = h('input', { type: 'number', min: 1, max: 1024, value: 4, 'aria-label': 'rows', 'data-field': 'rows' });
  const send = () => {
    replaceChildren(failureSlot);
    client.request('sendTestRequest', { model, rows: Math.max(1, Number(rows.value) || 1) }).then((a) => {
      if (!a) return;
      if (current) current = { ...current, answer: a };
      replaceChildren(slot, answerView(a));
    }, fail('The test request failed'));
  };
  return h('div', { class: 'test-request' }, button('Send Test Request…', 'send-test-request', send, 'primary'), h('label', null, 'rows ', rows));
}

function statsOf(s: ServingSnapshot): readonly ServedModelStats[] {
  if (s.stats) return s.stats.models;
  // Before the first poll: the versions from the listening line, no numbers yet.
  const names = [...new Set(s.server?.versions.map((v) => v.model) ?? [])];
  return names.map((name) => {
    const vs = s.server!.versions.filter((v) => v.model === name);
    return {
      name,
      versions: vs.map((v) => ({ model: name, version: v.version, requests: 0, failures: 0, error_rate: 0, rows: 0, shadow_requests: 0, latency_ms: { p50: null, p95: null, p99: null }, batches: 0, mean_batch_size: null, max_batch_size_seen: 0 })),
      ready: vs.filter((v) => v.state === 'ready').map((v) => v.version),
      split: {},
      sticky_header: null,
      shadow: null,
      queue_depth: {},
    };
  });
}

function render(s: ServingSnapshot): void {
  current = s;
  tables.clear();
  const server = s.server;
  document.body.dataset.serving = server ? 'true' : 'false';
  if (!server) {
    replaceChildren(root, h('section', { class: 'empty' }, h('h1', null, 'Serving'), h('p', null, 'Nothing is being served. Run “Serve Model” on an .onnx file, or “Serve” on a model in the Models view.')));
  } else {
    const answerSlot = h('div', { class: 'answer-slot' }, answerView(s.answer));
    replaceChildren(
      root,
      h('header', { class: 'serving-header' }, h('h1', null, `Serving ${server.label}`), h('span', { class: 'url', 'data-field': 'url' }, server.url), h('span', { class: 'muted' }, `gRPC ${server.grpc ?? 'off'}`), h('span', { class: 'muted', 'data-field': 'rate' }, `${(s.stats?.requestsPerSecond ?? 0).toFixed(1)} req/s`), button('Stop', 'stop', () => void client.request('stop', null).catch(fail('Stop failed')))),
      failureSlot,
      ...statsOf(s).flatMap((m) => {
        const table = h('div', { class: 'table-slot' }, versionsTable(m));
        tables.set(m.name, table);
        return [h('h2', null, m.name), table, routingEditor(m), testRequest(m.name, answerSlot)];
      }),
      h('h2', null, 'Answer'),
      answerSlot,
    );
  }
  root.removeAttribute('aria-busy');
  document.body.dataset.viewState = 'ready';
}

function rerender(): void {
  if (current) render(current);
}

function onStats(stats: ServingStats): void {
  if (!current?.server) return;
  const first = current.stats === null;
  current = { ...current, stats };
  if (first || stats.models.some((m) => !tables.has(m.name))) return render(current);
  for (const m of stats.models) replaceChildren(tables.get(m.name)!, versionsTable(m));
  const rate = root.querySelector('[data-field="rate"]');
  if (rate) rate.textContent = `${stats.requestsPerSecond.toFixed(1)} req/s`;
}

client.on('snapshot', render);
client.on('stats', onStats);
client.request('ready', null).then(render, (e: unknown) => showErrorView(root, e, 'The Serving panel could not be shown'));
