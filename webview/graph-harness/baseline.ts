/**
 * The benchmark's baseline, "what Netron does": one dagre layout of the whole graph with everything
 * expanded (no groups), then every node and edge as SVG DOM; panning moves a transform. The layout runs
 * in a worker (`worker` given, time-limited) or on the page (`worker` null: the main thread has a larger
 * stack, which dagre's recursion needs on long chains; the caller enforces the time limit).
 * Same automation attributes as the component, so the benchmark reads both the same way.
 */
import type { GraphView } from '../../src/protocol/graph';
import { setBodyData, type GraphTestApi } from '../graph/automation';
import { dagreLayout } from '../graph/layout-dagre';
import { LayoutPool } from '../graph/layout-client';
import type { LayoutInput, LayoutOutput } from '../graph/layout-types';

const SVG_NS = 'http://www.w3.org/2000/svg';

export async function runBaseline(container: HTMLElement, view: GraphView, worker: string | null, timeoutMs: number): Promise<void> {
  setBodyData({ graphState: 'loading', nodesTotal: view.nodes.length });
  const t0 = performance.now();
  const n = view.nodes.length;
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = '600 12px sans-serif';
  const sizes = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    sizes[2 * i] = Math.max(56, ctx.measureText(view.nodes[i]!.opType).width + 24);
    sizes[2 * i + 1] = 28;
  }
  const pairs: number[] = [];
  const seen = new Set<number>();
  for (const t of view.tensors) {
    if (t.producer < 0) continue;
    for (const c of t.consumers) {
      const key = t.producer * n + c;
      if (c === t.producer || seen.has(key)) continue;
      seen.add(key);
      pairs.push(t.producer, c);
    }
  }
  const input: LayoutInput = { sizes, edges: Int32Array.from(pairs), nodesep: 22, ranksep: 34, edgesep: 10 };
  let out: LayoutOutput | 'timeout';
  try {
    out = worker ? await inWorker(worker, input, timeoutMs) : dagreLayout(input);
  } catch (e) {
    setBodyData({ graphState: 'error', baselineError: e instanceof Error ? e.message : String(e) });
    return;
  }
  if (out === 'timeout') {
    setBodyData({ graphState: 'error', baselineError: 'timeout' });
    return;
  }
  const layoutMs = performance.now() - t0;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'baseline-svg');
  const g = document.createElementNS(SVG_NS, 'g');
  svg.appendChild(g);
  for (let e = 0; e < pairs.length / 2; e++) {
    const from = out.edgeStart[e]!;
    const to = out.edgeStart[e + 1]!;
    if (to - from < 2) continue;
    let d = `M${out.points[2 * from]} ${out.points[2 * from + 1]}`;
    for (let k = from + 1; k < to; k++) d += `L${out.points[2 * k]} ${out.points[2 * k + 1]}`;
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('class', 'edge');
    p.setAttribute('d', d);
    g.appendChild(p);
  }
  for (let i = 0; i < n; i++) {
    const node = document.createElementNS(SVG_NS, 'g');
    node.setAttribute('class', 'node');
    node.setAttribute('transform', `translate(${out.x[i]! - sizes[2 * i]! / 2},${out.y[i]! - 14})`);
    const rect = document.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('width', String(sizes[2 * i]));
    rect.setAttribute('height', '28');
    rect.setAttribute('rx', '4');
    const text = document.createElementNS(SVG_NS, 'text');
    text.setAttribute('x', String(sizes[2 * i]! / 2));
    text.setAttribute('y', '18');
    text.setAttribute('text-anchor', 'middle');
    text.textContent = view.nodes[i]!.opType;
    node.append(rect, text);
    g.appendChild(node);
  }
  container.replaceChildren(svg);
  const r = svg.getBoundingClientRect();
  let scale = Math.min(1, (r.width - 40) / Math.max(1, out.width), (r.height - 40) / Math.max(1, out.height));
  let tx = 20;
  let ty = 20;
  const apply = () => g.setAttribute('transform', `translate(${tx},${ty}) scale(${scale})`);
  apply();
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  setBodyData({ graphState: 'ready', nodesVisible: n, layoutMs: Math.round(performance.now() - t0), baselineLayoutMs: Math.round(layoutMs) });
  const api: GraphTestApi = {
    selectNode: async () => false,
    nodeScreenPosition: () => null,
    nodeScreenRect: () => null,
    expandAll: async () => undefined,
    collapseAll: async () => undefined,
    fit: () => undefined,
    panBy: (dx, dy) => {
      tx += dx;
      ty += dy;
      apply();
    },
    zoomTo: (s) => {
      scale = s;
      apply();
    },
    stats: () => ({ nodesTotal: n, nodesVisible: n, boxes: n, edges: pairs.length / 2, layoutMs, scale, workers: true }),
  };
  window.__ptpGraph = api;
}

async function inWorker(worker: string, input: LayoutInput, timeoutMs: number): Promise<LayoutOutput | 'timeout'> {
  const pool = new LayoutPool(worker, 1);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    return await Promise.race([pool.run('dagre', input), timeout]);
  } finally {
    clearTimeout(timer);
    pool.dispose();
  }
}
