/**
 * Graph harness: the graph component on a plain page with a mock host, for Playwright checks and the
 * benchmark (bench/graph.ts, bench/graph-check.ts). Query parameters:
 *   model=small|flat-1k|flat-10k|scoped-100k   generate a synthetic GraphView in the page (default small)
 *   url=<path>                                 …or fetch GraphView JSON
 *   engine=auto|layered|dagre                  layout engine (default auto)
 *   worker=0                                   no layout worker (layouts on the page)
 *   theme=light                                VS Code Light+ colours
 *   overlay=gradient|thresholds                a demo overlay (values by node name)
 *   compare=1                                  compare view: the model against a modified copy
 *   baseline=page|worker                       the benchmark baseline: dagre on the whole graph, SVG DOM
 *   timeout=<ms>                               baseline time limit (default 60000)
 * window.__harness: { timings, calls (host calls), component }.
 */
import '../graph/graph.css';
import './harness.css';
import { generateGraphView, SYNTHETIC_MODELS, type SyntheticModel } from '../../bench/graph-models';
import type { GraphView, Overlay } from '../../src/protocol/graph';
import { createCompareView, createGraphView, type CompareComponent, type GraphComponent, type GraphDiff } from '../graph/index';
import { runBaseline } from './baseline';
import { MockHost, type HostCall } from './mock-host';

interface Harness {
  readonly timings: Record<string, number>;
  readonly calls: HostCall[];
  component: GraphComponent | CompareComponent | null;
}

declare global {
  interface Window {
    __harness?: Harness;
  }
}

const WORKER_URL = '/dist/webview/graph-layout-worker.js';
const params = new URLSearchParams(location.search);
const app = document.getElementById('app')!;
if (params.get('theme') === 'light') document.body.className = 'vscode-light';

async function loadView(): Promise<GraphView> {
  const url = params.get('url');
  if (url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`Could not load ${url}: HTTP ${r.status}`);
    return (await r.json()) as GraphView;
  }
  const model = (params.get('model') ?? 'small') as SyntheticModel;
  if (!SYNTHETIC_MODELS.includes(model)) throw new Error(`Unknown model '${model}' (one of ${SYNTHETIC_MODELS.join(', ')}).`);
  return generateGraphView(model);
}

function demoOverlay(view: GraphView, kind: 'gradient' | 'thresholds'): Overlay {
  const values: Record<string, number> = {};
  view.nodes.forEach((n, i) => (values[n.name !== '' ? n.name : `#${n.id}`] = ((i * 37) % 100) / 10));
  return {
    id: 'demo',
    title: 'Demo latency',
    unit: 'ms',
    values,
    scale: kind === 'gradient' ? { kind: 'gradient' } : { kind: 'thresholds', thresholds: [2, 5, 8] },
    higherIsWorse: true,
  };
}

/** A modified copy for the compare view: one node removed from the chain's names, one added, one changed. */
function compareInputs(view: GraphView): { right: GraphView; diff: GraphDiff } {
  const named = view.nodes.filter((n) => n.name !== '');
  const removed = named[1]?.name ?? '';
  const changed = named[2]?.name ?? '';
  const nodes = view.nodes.map((n) => (n.name === removed ? { ...n, name: `${removed}_fused` } : n));
  return {
    right: { ...view, name: `${view.name} (optimized)`, nodes },
    diff: { added: [`${removed}_fused`], removed: [removed], changed: [{ node: changed, changes: ['attribute kernel_shape: [3, 3] → [1, 1]'] }] },
  };
}

async function main(): Promise<void> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const view = await loadView();
  timings.loadMs = performance.now() - t;
  const host = new MockHost(view);
  const harness: Harness = { timings, calls: host.calls, component: null };
  window.__harness = harness;
  const worker = params.get('worker') === '0' ? undefined : WORKER_URL;
  const baseline = params.get('baseline');
  if (baseline === 'page' || baseline === 'worker') {
    await runBaseline(app, view, baseline === 'worker' ? WORKER_URL : null, Number(params.get('timeout') ?? 60000));
    return;
  }
  const options = { layoutWorker: worker, layoutEngine: (params.get('engine') ?? 'auto') as 'auto' | 'layered' | 'dagre' };
  t = performance.now();
  if (params.get('compare') === '1') {
    const { right, diff } = compareInputs(view);
    const compare = createCompareView(app, host, view, right, diff, options);
    harness.component = compare;
    await compare.ready;
  } else {
    const graph = createGraphView(app, host, options);
    harness.component = graph;
    const overlay = params.get('overlay');
    if (overlay === 'gradient' || overlay === 'thresholds') graph.setOverlay(demoOverlay(view, overlay));
    await graph.show(view);
  }
  timings.showMs = performance.now() - t;
}

main().catch((e: unknown) => {
  const p = document.createElement('p');
  p.className = 'harness-error';
  p.textContent = `Harness failed: ${e instanceof Error ? e.message : String(e)}`;
  app.replaceChildren(p);
  document.body.dataset.graphState = 'error';
});
