/**
 * `npm run bench -- graph`: the graph view in headless Chromium (software rendering) on synthetic models,
 * against a baseline of what Netron does (one dagre layout of the whole graph, everything expanded, SVG DOM).
 *
 * For each model (flat-1k, flat-10k, wide-10k, scoped-100k; generated in the page by bench/graph-models.ts):
 *   open        the harness shows the model: time until data-graph-state=ready (from navigation start,
 *               including generating the model in the page), data-layout-ms, nodes drawn, pan FPS
 *   expand all  every group expanded: time until ready, layout, nodes drawn, pan FPS with the whole graph
 *               in view (fit) and at zoom 0.35 (boxes, edges, arrows) and 1.0 (text, edge labels)
 *   baseline    dagre on the whole graph (capped at --baseline-timeout), then SVG DOM. On the page's main
 *               thread of a second Chromium started with a larger V8 stack (BASELINE_JS_FLAGS): dagre's
 *               recursion overflows the default stack on long chains (in a worker, as Netron runs it,
 *               already at ~1,000 nodes: --baseline-thread worker shows that).
 * Targets (issue): 10k nodes ready ≤ 3 s, 100k scoped ready ≤ 5 s, panning ≥ 30 FPS — printed as
 * PASS/MISS, not asserted. The last line of the output is JSON with every number.
 */
import type { Page } from 'playwright-core';
import { fmtMs, table } from './format';
import { measurePan, openHarness, openSession, timeAction, type PanResult, type Session } from './graph-page';
import { SYNTHETIC_MODELS, type SyntheticModel } from './graph-models';
import type { Variant } from './child';

export const description = 'graph view in Chromium: ready time, layout, pan FPS on 1k/10k/100k-node models vs one dagre layout of the whole graph';

/** Measured in the parent (one browser); no child-process variants. */
export const variants: Record<string, Variant> = {};

export const TARGETS = { ready10kMs: 3000, ready100kMs: 5000, panFps: 30 } as const;

/** The baseline browser gets a 7.8 MB V8 stack (Linux main threads have 8 MB) so dagre can finish more often. */
export const BASELINE_JS_FLAGS = '--js-flags=--stack-size=7800';

const USAGE = `usage: npm run bench -- graph [--models flat-1k,flat-10k,wide-10k,scoped-100k] [--pan-ms 2000] [--baseline-timeout 60000] [--baseline-thread page|worker] [--no-baseline] [--engine auto|layered|dagre]`;

interface Options {
  models: SyntheticModel[];
  panMs: number;
  baselineTimeoutMs: number;
  baseline: boolean;
  baselineThread: 'page' | 'worker';
  engine: string;
}

interface Row {
  model: SyntheticModel;
  variant: 'open' | 'expand all' | 'baseline (dagre, whole graph)';
  readyMs: number | null;
  layoutMs: number | null;
  nodesDrawn: number | null;
  pan: { initial?: PanResult; fit?: PanResult; mid?: PanResult; near?: PanResult };
  note?: string;
}

function parseArgs(args: readonly string[]): Options | string {
  const o: Options = { models: ['flat-1k', 'flat-10k', 'wide-10k', 'scoped-100k'], panMs: 2000, baselineTimeoutMs: 60_000, baseline: true, baselineThread: 'page', engine: 'auto' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i] ?? '';
    if (a === '--models') {
      const list = next().split(',') as SyntheticModel[];
      const bad = list.find((m) => !SYNTHETIC_MODELS.includes(m));
      if (bad) return `unknown model '${bad}' (one of ${SYNTHETIC_MODELS.join(', ')})`;
      o.models = list;
    } else if (a === '--pan-ms') o.panMs = Number(next());
    else if (a === '--baseline-timeout') o.baselineTimeoutMs = Number(next());
    else if (a === '--no-baseline') o.baseline = false;
    else if (a === '--baseline-thread') {
      const t = next();
      if (t !== 'page' && t !== 'worker') return `--baseline-thread is page or worker, not '${t}'`;
      o.baselineThread = t;
    }
    else if (a === '--engine') o.engine = next();
    else return `unknown option '${a}'`;
  }
  if (!(o.panMs > 0) || !(o.baselineTimeoutMs > 0)) return 'durations must be positive numbers';
  return o;
}

const num = (v: string | undefined) => (v === undefined ? null : Number(v));

async function zoomAndPan(page: Page, scale: number, ms: number): Promise<PanResult> {
  await page.evaluate((s) => window.__ptpGraph!.zoomTo(s), scale);
  return measurePan(page, ms);
}

async function measureModel(session: Session, baseSession: Session | null, model: SyntheticModel, o: Options, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const opened = await openHarness(session, `model=${model}&engine=${o.engine}`, 120_000);
  const { page } = opened;
  try {
    const open: Row = {
      model,
      variant: 'open',
      readyMs: opened.readyAt,
      layoutMs: num(opened.data.layoutMs),
      nodesDrawn: num(opened.data.nodesVisible),
      pan: {},
      note: `model generated in the page in ${fmtMs(opened.timings.loadMs ?? 0)}`,
    };
    if (opened.state !== 'ready') open.note = `state ${opened.state}; ${opened.errors.join('; ')}`;
    else open.pan.initial = await measurePan(page, o.panMs);
    rows.push(open);
    log(`  ${model}: open ready ${fmtMs(opened.readyAt)}, layout ${opened.data.layoutMs} ms, ${opened.data.nodesVisible} nodes drawn`);

    const expanded = await timeAction(page, 'expandAll', 120_000);
    const all: Row = {
      model,
      variant: 'expand all',
      readyMs: expanded.ms,
      layoutMs: num(expanded.data.layoutMs),
      nodesDrawn: num(expanded.data.nodesVisible),
      pan: {},
    };
    if (expanded.data.graphState === 'ready') {
      await page.evaluate(() => window.__ptpGraph!.fit());
      all.pan.fit = await measurePan(page, o.panMs);
      all.pan.mid = await zoomAndPan(page, 0.35, o.panMs);
      all.pan.near = await zoomAndPan(page, 1, o.panMs);
    } else all.note = `state ${expanded.data.graphState}`;
    rows.push(all);
    log(`  ${model}: expand all ready ${fmtMs(expanded.ms)}, layout ${expanded.data.layoutMs} ms, ${expanded.data.nodesVisible} nodes drawn`);
  } finally {
    await page.close();
  }

  if (baseSession) {
    const t0 = Date.now();
    const base: Row = { model, variant: 'baseline (dagre, whole graph)', readyMs: null, layoutMs: null, nodesDrawn: null, pan: {} };
    try {
      const b = await openHarness(baseSession, `model=${model}&baseline=${o.baselineThread}&timeout=${o.baselineTimeoutMs}`, o.baselineTimeoutMs + 15_000);
      if (b.state === 'ready') {
        base.readyMs = b.readyAt;
        base.layoutMs = num(b.data.baselineLayoutMs);
        base.nodesDrawn = num(b.data.nodesVisible);
        base.pan.fit = await measurePan(b.page, o.panMs);
        base.pan.near = await zoomAndPan(b.page, 1, o.panMs);
      } else base.note = b.data.baselineError === 'timeout' ? `timeout (> ${fmtMs(o.baselineTimeoutMs)})` : `failed: ${b.data.baselineError ?? b.errors.join('; ')}`;
      await b.page.close();
    } catch (e) {
      const timeout = e instanceof Error && e.name === 'TimeoutError';
      base.note = timeout ? `timeout (> ${fmtMs(o.baselineTimeoutMs)})` : `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
    if (o.baselineThread === 'worker' || base.note) base.note = `${base.note ?? ''}${base.note ? '; ' : ''}layout on the ${o.baselineThread === 'page' ? "page's main thread" : 'worker'}`;
    rows.push(base);
    log(`  ${model}: baseline ${base.readyMs !== null ? `ready ${fmtMs(base.readyMs)}` : base.note} (${fmtMs(Date.now() - t0)} wall)`);
  }
  return rows;
}

const fps = (p: PanResult | undefined) => (p ? `${p.fps.toFixed(0)}` : '–');

export async function run(args: readonly string[]): Promise<number> {
  const o = parseArgs(args);
  if (typeof o === 'string') {
    console.error(`bench graph: ${o}\n${USAGE}`);
    return 2;
  }
  const session = await openSession();
  let baseSession: Session | null = null;
  const rows: Row[] = [];
  let failed = false;
  try {
    if (o.baseline) baseSession = await openSession([BASELINE_JS_FLAGS]);
    for (const model of o.models) {
      console.log(`${model}…`);
      try {
        rows.push(...(await measureModel(session, baseSession, model, o, (s) => console.log(s))));
      } catch (e) {
        failed = true;
        console.error(`  ${model}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
  } finally {
    await session.close();
    await baseSession?.close();
  }

  console.log('');
  console.log(
    table(
      ['model', 'variant', ' nodes drawn', ' ready', ' layout', ' FPS open', ' FPS fit', ' FPS 0.35', ' FPS 1.0', 'note'],
      rows.map((r) => [
        r.model,
        r.variant,
        r.nodesDrawn === null ? '–' : r.nodesDrawn.toLocaleString('en-US'),
        r.readyMs === null ? '–' : fmtMs(r.readyMs),
        r.layoutMs === null ? '–' : fmtMs(r.layoutMs),
        fps(r.pan.initial),
        fps(r.pan.fit),
        fps(r.pan.mid),
        fps(r.pan.near),
        r.note ?? '',
      ]),
    ),
  );
  console.log('\n"ready": open = navigation start → data-graph-state=ready (page load, model generation, layout, first draw);');
  console.log('expand all = click → ready. FPS: requestAnimationFrame rate during a scripted 2 s pan at that zoom.');
  if (o.baseline) console.log(`baseline: dagre on the page's main thread in a Chromium started with ${BASELINE_JS_FLAGS} (a larger stack than dagre gets by default).`);
  console.log('');

  console.log(`Targets: 10k nodes ready ≤ ${fmtMs(TARGETS.ready10kMs)}, 100k scoped ready ≤ ${fmtMs(TARGETS.ready100kMs)}, panning ≥ ${TARGETS.panFps} FPS`);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  for (const r of rows.filter((x) => x.variant !== 'baseline (dagre, whole graph)')) {
    const limit = r.model === 'flat-10k' || r.model === 'wide-10k' ? TARGETS.ready10kMs : r.model === 'scoped-100k' ? TARGETS.ready100kMs : null;
    const parts: string[] = [];
    if (limit !== null && r.readyMs !== null) parts.push(`ready ${fmtMs(r.readyMs)} ${verdict(r.readyMs <= limit)}`);
    const pans = Object.entries(r.pan).filter(([, p]) => p) as [string, PanResult][];
    if (pans.length > 0) {
      const worst = pans.reduce((a, b) => (b[1].fps < a[1].fps ? b : a));
      parts.push(`slowest pan ${worst[1].fps.toFixed(0)} FPS (${worst[0]}) ${verdict(worst[1].fps >= TARGETS.panFps)}`);
    }
    if (parts.length > 0) console.log(`  ${r.model} ${r.variant}: ${parts.join(', ')}`);
  }
  console.log(JSON.stringify({ bench: 'graph', options: o, rows }));
  return failed ? 1 : 0;
}
