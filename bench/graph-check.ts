/**
 * `npm run bench -- graph-check`: behaviour checks of the graph component in headless Chromium, on the
 * harness page with its mock host (webview/graph-harness). Each check prints PASS/FAIL; screenshots go to
 * bench-results/graph-check/ (git-ignored). Exit code 1 when a check fails.
 *
 * Covered: automation attributes, click a node by name, details panel (attributes, doc string, initializer
 * statistics, histogram, Save as .npy), hostile strings shown literally, search (text and shape), keyboard
 * navigation, expand/collapse with aggregated edges, reveal of a hidden node, subgraph and breadcrumb,
 * SVG/PNG export, overlay legend, names toggle, view-state round trip, compare view, layout cancel, the
 * no-worker fallback, light theme.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { HOSTILE_TEXT } from './graph-models';
import { openHarness, openSession, type Session } from './graph-page';
import { REPO } from './graph-server';
import type { Variant } from './child';

export const description = 'Playwright checks of the graph component on the harness page (PASS/FAIL per behaviour)';
export const variants: Record<string, Variant> = {};

const SHOTS = join(REPO, 'bench-results', 'graph-check');

interface Check {
  readonly name: string;
  run(s: Session): Promise<void>;
}

function expect(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(what);
}

const data = (page: Page) => page.evaluate(() => ({ ...document.body.dataset }) as Record<string, string>);
const waitReady = (page: Page) => page.waitForFunction(() => document.body.dataset.graphState !== 'loading', null, { timeout: 30_000 });
const calls = (page: Page) => page.evaluate(() => window.__harness!.calls.map((c) => ({ method: c.method, args: c.args, size: c.size ?? 0, text: c.text ?? '' })));

async function clickItem(page: Page, key: string): Promise<void> {
  const p = await page.evaluate((k) => window.__ptpGraph!.nodeScreenPosition(k), key);
  expect(p, `${key} is drawn`);
  await page.mouse.click(p.x, p.y);
}

async function open(s: Session, query: string): Promise<Page> {
  const o = await openHarness(s, query, 60_000);
  expect(o.state === 'ready', `${query}: graph ready (got ${o.state}; ${o.errors.join('; ')})`);
  return o.page;
}

const CHECKS: Check[] = [
  {
    name: 'automation attributes and a node clicked by name open the details panel',
    async run(s) {
      const page = await open(s, 'model=small');
      const d = await data(page);
      expect(d.nodesTotal === '22' && d.nodesVisible === '22' && Number(d.layoutMs) >= 0, `attributes ${JSON.stringify(d)}`);
      await clickItem(page, 'stem/conv');
      await page.waitForSelector('.ptp-graph[data-selected-node="stem/conv"]');
      await page.waitForSelector('.ptp-graph-attrs:not([aria-busy]) >> text=kernel_shape');
      expect((await page.textContent('.ptp-graph-panel-title'))?.startsWith('Conv'), 'panel shows the op type');
      expect(await page.isVisible('text=[1, 1, 1, 1]'), 'attribute values are formatted');
      await page.screenshot({ path: join(SHOTS, 'small-selected.png') });
      await page.close();
    },
  },
  {
    name: 'hostile strings in names, doc strings and attributes are shown as text',
    async run(s) {
      const o = await openHarness(s, 'model=small', 60_000);
      const page = o.page;
      expect(await page.evaluate((n) => window.__ptpGraph!.selectNode(n), HOSTILE_TEXT), 'select the node by its hostile name');
      await page.waitForSelector('.ptp-graph-docstring');
      const name = await page.textContent('.ptp-graph-panel .name');
      const doc = await page.textContent('.ptp-graph-docstring');
      expect(name === HOSTILE_TEXT, `name shown literally (${name})`);
      expect(doc?.includes(HOSTILE_TEXT), 'doc string shown literally');
      const attr = await page.evaluate((t) => [...document.querySelectorAll('.ptp-graph-attrs code')].some((c) => c.textContent === t), JSON.stringify(HOSTILE_TEXT));
      expect(attr, 'attribute text shown literally');
      const imgs = await page.evaluate(() => document.querySelectorAll('img').length);
      expect(imgs === 0, `no <img> element was created (${imgs})`);
      expect(!o.errors.some((e) => e.startsWith('dialog')), `no alert fired (${o.errors.join('; ')})`);
      const listed = await page.evaluate((n) => [...document.querySelectorAll('.ptp-graph-a11y li')].some((li) => li.getAttribute('data-node-name') === n), HOSTILE_TEXT);
      expect(listed, 'the accessible tree lists it by name');
      await page.screenshot({ path: join(SHOTS, 'hostile.png') });
      await page.close();
    },
  },
  {
    name: 'initializer statistics, histogram and Save as .npy',
    async run(s) {
      const page = await open(s, 'model=small');
      await page.evaluate(() => window.__ptpGraph!.selectNode('stem/conv'));
      await page.click('.ptp-graph-panel button:has-text("stem.conv.weight")');
      await page.waitForSelector('.ptp-graph-histogram');
      const bars = await page.locator('.ptp-graph-histogram rect.bar').count();
      expect(bars === 32, `32 histogram bars (${bars})`);
      for (const k of ['Min', 'Max', 'Mean', 'Std', 'Sparsity']) expect(await page.isVisible(`.ptp-graph-tensor-detail th:text-is("${k}")`), `${k} shown`);
      await page.click('.ptp-graph-save-npy');
      await page.waitForFunction(() => window.__harness!.calls.some((c) => c.method === 'saveNpy'));
      const c = (await calls(page)).find((x) => x.method === 'saveNpy')!;
      expect(c.args[0] === 'main' && c.args[1] === 'stem.conv.weight', `saveNpy(${c.args.join(', ')})`);
      await page.screenshot({ path: join(SHOTS, 'initializer.png') });
      await page.close();
    },
  },
  {
    name: 'search: text and shape queries, highlight, Enter jumps',
    async run(s) {
      const page = await open(s, 'model=small');
      await page.fill('.ptp-graph-search-input', 'RELU');
      await page.waitForSelector('.ptp-graph-search-hit');
      const status = await page.textContent('.ptp-graph-search-status');
      expect(status?.includes('matches'), `status ${status}`);
      await page.press('.ptp-graph-search-input', 'Enter');
      await page.waitForFunction(() => (document.body.dataset.selectedNode ?? '').includes('relu'));
      await page.screenshot({ path: join(SHOTS, 'search.png') });
      await page.fill('.ptp-graph-search-input', '1,32,112,112');
      await page.waitForFunction(() => document.querySelector('.ptp-graph-search-status')?.textContent?.includes('tensors of that shape'));
      const hits = await page.locator('.ptp-graph-search-hit').count();
      expect(hits >= 5, `shape hits ${hits}`);
      await page.press('.ptp-graph-search-input', 'Escape');
      expect((await page.locator('.ptp-graph-search-hit').count()) === 0, 'Esc clears the results');
      await page.close();
    },
  },
  {
    name: 'keyboard: arrows follow edges, Esc clears, F fits, +/- zoom',
    async run(s) {
      const page = await open(s, 'model=small');
      await page.evaluate(() => window.__ptpGraph!.selectNode('stem/conv'));
      await page.focus('.ptp-graph-stage');
      await page.keyboard.press('ArrowDown');
      expect((await data(page)).selectedNode === 'stem/bn', 'ArrowDown → consumer');
      await page.keyboard.press('ArrowUp');
      expect((await data(page)).selectedNode === 'stem/conv', 'ArrowUp → producer');
      const before = await page.evaluate(() => window.__ptpGraph!.stats().scale);
      await page.keyboard.press('+');
      await page.waitForTimeout(50);
      const zoomed = await page.evaluate(() => window.__ptpGraph!.stats().scale);
      expect(zoomed > before, `+ zooms in (${before} → ${zoomed})`);
      await page.keyboard.press('-');
      await page.keyboard.press('f');
      await page.keyboard.press('Escape');
      expect((await data(page)).selectedNode === undefined, 'Esc clears the selection');
      await page.close();
    },
  },
  {
    name: 'big graph starts collapsed; click expands a group, header click collapses it',
    async run(s) {
      const page = await open(s, 'model=scoped-100k');
      const d0 = await data(page);
      expect(Number(d0.nodesVisible) <= 300 && d0.nodesTotal === '100000', `initial ${d0.nodesVisible}/${d0.nodesTotal}`);
      const stats0 = await page.evaluate(() => window.__ptpGraph!.stats());
      const group = '/encoder/[1–668]';
      await page.evaluate(() => window.__ptpGraph!.selectNode('group:/encoder'));
      // Selecting opens the details panel, which narrows the stage: let it settle before reading screen positions.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await clickItem(page, `group:${group}`);
      await waitReady(page);
      const d1 = await data(page);
      const stats1 = await page.evaluate(() => window.__ptpGraph!.stats());
      expect(stats1.boxes > stats0.boxes && d1.selectedNode === `group:${group}`, `expanded (${stats0.boxes} → ${stats1.boxes} boxes)`);
      await page.screenshot({ path: join(SHOTS, 'expanded-group.png') });
      // Collapse by clicking the frame's header (its top strip).
      const rect = await page.evaluate((g) => window.__ptpGraph!.nodeScreenRect(g), `group:${group}`);
      expect(rect && rect.y > 0, `frame header on screen (${JSON.stringify(rect)})`);
      await page.mouse.click(rect.x + Math.min(30, rect.width / 2), rect.y + 4);
      await waitReady(page);
      const stats2 = await page.evaluate(() => window.__ptpGraph!.stats());
      expect(stats2.boxes === stats0.boxes, `collapsed again (${stats2.boxes} boxes)`);
      await page.close();
    },
  },
  {
    name: 'selecting a hidden node expands the groups holding it',
    async run(s) {
      const page = await open(s, 'model=flat-10k');
      expect((await data(page)).nodesVisible === '0', 'all collapsed at first');
      expect(await page.evaluate(() => window.__ptpGraph!.selectNode('pool')), 'selectNode(pool)');
      const d = await data(page);
      expect(d.selectedNode === 'pool' && Number(d.nodesVisible) > 0 && Number(d.nodesVisible) <= 1000, `revealed (${d.nodesVisible} visible)`);
      expect(await page.evaluate(() => window.__ptpGraph!.nodeScreenPosition('pool') !== null), 'drawn on screen');
      await page.screenshot({ path: join(SHOTS, 'revealed.png') });
      await page.close();
    },
  },
  {
    name: 'subgraph: open from the panel, breadcrumb back restores the main graph',
    async run(s) {
      const page = await open(s, 'model=small');
      await page.evaluate(() => window.__ptpGraph!.selectNode('route'));
      await page.click('.ptp-graph-panel button:has-text("Open then_branch")');
      await page.waitForFunction(() => document.body.dataset.nodesTotal === '3' && document.body.dataset.graphState === 'ready');
      const crumbs = await page.textContent('.ptp-graph-breadcrumb');
      expect(crumbs?.includes('main') && crumbs.includes('then_branch'), `breadcrumb ${crumbs}`);
      await page.screenshot({ path: join(SHOTS, 'subgraph.png') });
      await page.click('.ptp-graph-breadcrumb button:has-text("main")');
      await page.waitForFunction(() => document.body.dataset.nodesTotal === '22' && document.body.dataset.graphState === 'ready');
      expect((await data(page)).selectedNode === 'route', 'the selection came back with the main graph');
      expect((await calls(page)).some((c) => c.method === 'openGraph' && c.args[0] === 'main/route:then_branch'), 'host.openGraph called');
      await page.close();
    },
  },
  {
    name: 'export SVG (escaped text) and PNG through host.saveExport',
    async run(s) {
      const page = await open(s, 'model=small');
      await page.click('.ptp-graph-toolbar button:text-is("SVG")');
      await page.click('.ptp-graph-toolbar button:text-is("PNG")');
      await page.waitForFunction(() => window.__harness!.calls.filter((c) => c.method === 'saveExport').length === 2, null, { timeout: 20_000 });
      const ex = (await calls(page)).filter((c) => c.method === 'saveExport');
      const svg = ex.find((c) => c.args[0] === 'svg')!;
      const png = ex.find((c) => c.args[0] === 'png')!;
      expect(svg.text.startsWith('<svg') && svg.text.includes('&lt;img src=x onerror=alert(1)&gt;') && !svg.text.includes('<img'), 'SVG with escaped text');
      expect(png.size > 1000, `PNG bytes (${png.size})`);
      await page.close();
    },
  },
  {
    name: 'overlay: thresholds colour nodes and show a legend',
    async run(s) {
      const page = await open(s, 'model=small&overlay=thresholds');
      const entries = await page.locator('.ptp-graph-legend li').count();
      expect(entries === 4, `4 legend entries (${entries})`);
      await page.screenshot({ path: join(SHOTS, 'overlay.png') });
      await page.close();
    },
  },
  {
    name: 'names toggle re-lays out with node names',
    async run(s) {
      const page = await open(s, 'model=small');
      const w0 = await page.evaluate(() => window.__ptpGraph!.stats().boxes);
      await page.click('.ptp-graph-toolbar button:text-is("Names")');
      await page.waitForFunction(() => document.querySelector('.ptp-graph-toolbar button[aria-pressed="true"]') !== null);
      await waitReady(page);
      expect((await page.evaluate(() => window.__ptpGraph!.stats().boxes)) === w0, 'same boxes');
      await page.evaluate(() => window.__ptpGraph!.zoomTo(1.2));
      await page.screenshot({ path: join(SHOTS, 'names.png') });
      await page.close();
    },
  },
  {
    name: 'view state survives a reload (camera, expansion, selection, names)',
    async run(s) {
      const page = await open(s, 'model=scoped-100k');
      await page.evaluate(() => window.__ptpGraph!.selectNode('/encoder/layer.3/attention/self/Softmax'));
      await page.evaluate(() => window.__ptpGraph!.zoomTo(0.9));
      const state = await page.evaluate(() => (window.__harness!.component as { getViewState(): unknown }).getViewState());
      await page.reload();
      await waitReady(page);
      await page.evaluate((st) => (window.__harness!.component as { restoreViewState(s: unknown): Promise<void> }).restoreViewState(st), state);
      await waitReady(page);
      const again = await page.evaluate(() => (window.__harness!.component as { getViewState(): unknown }).getViewState());
      type S = { center: { x: number; y: number; scale: number } | null };
      const [a, b] = [state as S, again as S];
      const near = a.center && b.center && Math.abs(a.center.x - b.center.x) < 0.01 && Math.abs(a.center.y - b.center.y) < 0.01 && a.center.scale === b.center.scale;
      expect(near && JSON.stringify({ ...a, center: null }) === JSON.stringify({ ...b, center: null }), `same state\n${JSON.stringify(state)}\n${JSON.stringify(again)}`);
      expect((await data(page)).selectedNode === '/encoder/layer.3/attention/self/Softmax', 'selection restored');
      await page.close();
    },
  },
  {
    name: 'compare: side by side, diff list selects in both panes',
    async run(s) {
      const page = await open(s, 'model=small&compare=1');
      const entries = await page.locator('.ptp-compare-entry').count();
      expect(entries === 3, `3 diff entries (${entries})`);
      await page.click('.ptp-compare-entry.changed');
      await page.waitForFunction(() => document.querySelectorAll('.ptp-graph[data-selected-node="stem/relu"]').length === 2);
      await clickItem(page, 'stem/conv');
      await page.waitForFunction(() => document.querySelectorAll('.ptp-graph[data-selected-node="stem/conv"]').length === 2);
      await page.screenshot({ path: join(SHOTS, 'compare.png') });
      await page.close();
    },
  },
  {
    name: 'a slow layout offers Cancel after 2.5 s and cancelling keeps the previous picture',
    async run(s) {
      const page = await open(s, 'model=wide-10k&engine=dagre');
      const before = await page.evaluate(() => window.__ptpGraph!.stats().boxes);
      await page.click('.ptp-graph-toolbar button:text-is("Expand all")');
      await page.waitForSelector('.ptp-graph-progress button:not([hidden])', { timeout: 10_000 });
      await page.screenshot({ path: join(SHOTS, 'cancel-offer.png') });
      await page.click('.ptp-graph-progress button');
      await page.waitForFunction(() => document.body.dataset.graphState === 'ready', null, { timeout: 10_000 });
      const after = await page.evaluate(() => window.__ptpGraph!.stats().boxes);
      expect(after === before, `previous picture kept (${before} → ${after})`);
      await page.close();
    },
  },
  {
    name: 'without a worker, layouts run on the page',
    async run(s) {
      const page = await open(s, 'model=flat-1k&worker=0');
      const st = await page.evaluate(() => window.__ptpGraph!.stats());
      expect(!st.workers && st.nodesVisible === 1000, `fallback (${JSON.stringify(st)})`);
      await page.close();
    },
  },
  {
    name: 'light theme',
    async run(s) {
      const page = await open(s, 'model=small&theme=light');
      await page.evaluate(() => window.__ptpGraph!.selectNode('head/fc'));
      await page.screenshot({ path: join(SHOTS, 'light.png') });
      await page.close();
    },
  },
];

export async function run(args: readonly string[]): Promise<number> {
  const only = args[0];
  mkdirSync(SHOTS, { recursive: true });
  const session = await openSession();
  let failed = 0;
  let ran = 0;
  try {
    for (const check of CHECKS) {
      if (only && !check.name.includes(only)) continue;
      ran++;
      const t0 = Date.now();
      try {
        await check.run(session);
        console.log(`PASS  ${check.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL  ${check.name}: ${e instanceof Error ? e.message.split('\n').slice(0, 3).join(' | ') : String(e)}`);
      }
      for (const ctx of session.browser.contexts()) for (const p of ctx.pages()) await p.close().catch(() => undefined);
    }
  } finally {
    await session.close();
  }
  console.log(`\n${ran - failed} passed, ${failed} failed; screenshots in ${SHOTS}`);
  return failed > 0 ? 1 : 0;
}
