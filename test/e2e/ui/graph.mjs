/** UI tests: Graph tab, Profile Model, Compare Models (structural), hostile model text. */
import { screenshot } from '../lib.mjs';
import { explorerRow, openModelFromExplorer, runCommand, webviewFrameOf, quickInputStep, explorerContextCommand, typeIntoSimpleDialog, toggleLightDark, closeAllEditors, openGraphTab, clickGraphNode } from './workbench.mjs';

export const tests = [
  {
    name: 'Graph tab: tiny.onnx draws 2 nodes; clicking gemm0 shows its attributes; search finds relu0; SVG export writes a file',
    timeout: 150_000,
    async fn({ page }) {
      await closeAllEditors(page);
      const frame = await openGraphTab(page, 'tiny.onnx', 2);
      await clickGraphNode(frame, 'gemm0');
      const panel = frame.locator('.ptp-graph-panel');
      await panel.locator('[data-node-name="gemm0"]').waitFor({ state: 'visible', timeout: 10_000 });
      await panel.locator('.ptp-graph-attrs[aria-busy="false"], .ptp-graph-attrs:not([aria-busy])').first().waitFor({ state: 'attached', timeout: 10_000 });
      const attrs = await panel.locator('.ptp-graph-attrs').innerText();
      if (!/alpha/.test(attrs) || !/beta/.test(attrs)) throw new Error(`side panel attributes of gemm0: ${attrs}`);
      if ((await frame.locator('body').getAttribute('data-selected-node')) !== 'gemm0') throw new Error('gemm0 is not the selection');

      for (let i = 0; i < 2; i++) {
        if (i > 0) await toggleLightDark(page);
        await page.waitForTimeout(800);
        const tag = (await page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
        await screenshot(page, `graph-tab-${tag}`);
      }
      await toggleLightDark(page);

      const search = frame.locator('input[aria-label="Find in graph"]');
      await search.fill('relu0');
      await search.press('Enter');
      await frame.locator('body[data-selected-node="relu0"]').waitFor({ state: 'attached', timeout: 10_000 });
      await frame.locator('.ptp-graph-panel [data-node-name="relu0"]').waitFor({ state: 'visible', timeout: 10_000 });

      const { existsSync, mkdtempSync, readFileSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      // Outside the workspace: a new file there would shift the Explorer rows the next tests double-click.
      const target = `${mkdtempSync(`${tmpdir()}/ptp-e2e-export-`)}/tiny.graph.svg`;
      await frame.locator('.ptp-graph-toolbar button', { hasText: /^SVG$/ }).click();
      await quickInputStep(page, 'Export the graph as SVG');
      await typeIntoSimpleDialog(page, target);
      const deadline = Date.now() + 15_000;
      while (!existsSync(target) && Date.now() < deadline) await page.waitForTimeout(200);
      if (!existsSync(target)) throw new Error(`the SVG export did not write ${target}`);
      const svg = readFileSync(target, 'utf8');
      if (!/<svg[\s>]/.test(svg) || !svg.includes('gemm0')) throw new Error(`the exported file is not an SVG of the graph: ${svg.slice(0, 200)}`);

      // View state survives the webview being re-created: hide it behind another editor, show it again → the
      // Graph tab is active and relu0 still selected.
      await frame.locator('body').evaluate((body) => (body.dataset.marker = 'before-switch'));
      await openModelFromExplorer(page, 'loop.onnx');
      await page.locator('.tabs-container .tab', { hasText: /^\s*tiny\.onnx/ }).first().click();
      const again = await webviewFrameOf(page, 'overview', 30_000, ':not([data-marker])[data-active-tab="graph"]');
      await again.locator('body[data-graph-state="ready"][data-selected-node="relu0"]').waitFor({ state: 'attached', timeout: 30_000 });
    },
  },
  {
    name: 'Graph tab: entering the Loop body of loop.onnx and coming back through the breadcrumb',
    timeout: 120_000,
    async fn({ page }) {
      await closeAllEditors(page);
      const frame = await openGraphTab(page, 'loop.onnx', 1);
      await clickGraphNode(frame, 'loop0');
      const open = frame.locator('.ptp-graph-panel button', { hasText: 'Open body' });
      await open.waitFor({ state: 'visible', timeout: 10_000 });
      await open.click();
      await frame.locator('body[data-graph-state="ready"][data-nodes-total="2"]').waitFor({ state: 'attached', timeout: 30_000 });
      const crumbs = frame.locator('.ptp-graph-breadcrumb');
      const text = await crumbs.innerText();
      if (!/loop_graph/.test(text) || !/body/.test(text)) throw new Error(`breadcrumb inside the body shows "${text}"`);
      await screenshot(page, 'graph-tab-loop-body');
      await crumbs.locator('button', { hasText: 'loop_graph' }).first().click();
      await frame.locator('body[data-graph-state="ready"][data-nodes-total="1"]').waitFor({ state: 'attached', timeout: 30_000 });
    },
  },
  {
    name: 'Post-Training: Profile Model on digits_cnn.onnx shows node times in the Profile tab (sortable)',
    timeout: 150_000,
    async fn({ page, titles }) {
      await closeAllEditors(page);
      await openModelFromExplorer(page, 'digits_cnn.onnx');
      await runCommand(page, titles['ptp.profileModel'] ?? 'Post-Training: Profile Model');
      const frame = await webviewFrameOf(page, 'overview', 90_000, '[data-active-tab="profile"]');
      await frame.locator('[data-testid="run-p50"]').waitFor({ state: 'visible', timeout: 90_000 });
      const rows = frame.locator('.profile-table tbody tr');
      const n = await rows.count();
      if (n < 5) throw new Error(`the profile table has ${n} rows`);
      const times = (await frame.locator('.profile-table tbody td[data-time]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-time')))));
      if (!times.every((t, i) => i === 0 || t <= times[i - 1])) throw new Error(`rows are not sorted by time, slowest first: ${times.join(', ')}`);
      const ops = await frame.locator('.profile-table tbody td.op').allInnerTexts();
      if (!ops.includes('Conv')) throw new Error(`no Conv row: ${ops.join(', ')}`);
      await frame.locator('button[data-sort="op"]').click();
      const sortedOps = await frame.locator('.profile-table tbody td.op').allInnerTexts();
      if (sortedOps.join() !== [...sortedOps].sort((a, b) => b.localeCompare(a)).join() && sortedOps.join() !== [...sortedOps].sort((a, b) => a.localeCompare(b)).join()) {
        throw new Error(`sorting by op gave ${sortedOps.join(', ')}`);
      }
      await screenshot(page, 'profile-tab');
      // The Graph tab shows the profile overlay (legend) after a row's node link is followed.
      await frame.locator('.profile-table tbody tr button.link').first().click();
      await frame.locator('body[data-graph-state="ready"]').waitFor({ state: 'attached', timeout: 45_000 });
      await frame.locator('.ptp-graph-legend, [class*="legend"]').first().waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'graph-tab-profile-overlay');
    },
  },
  {
    name: 'Explorer multi-selection → Post-Training → Compare Models lists gemm0 as changed',
    timeout: 120_000,
    async fn({ page }) {
      await closeAllEditors(page);
      await (await explorerRow(page, 'tiny.onnx')).click();
      await (await explorerRow(page, 'tiny_changed.onnx')).click({ modifiers: ['Control'] });
      await explorerContextCommand(page, 'tiny_changed.onnx', 'Post-Training', 'Compare Models');
      const frame = await webviewFrameOf(page, 'compare', 60_000);
      await frame.locator('body[data-graph-state="ready"]').waitFor({ state: 'attached', timeout: 45_000 });
      const changed = frame.locator('.ptp-compare-entry.changed');
      await changed.first().waitFor({ state: 'visible', timeout: 10_000 });
      const text = await changed.first().innerText();
      if (!/gemm0/.test(text) || !/alpha/.test(text)) throw new Error(`changed entry shows "${text}"`);
      const summary = await frame.locator('[data-testid="diff-summary"]').innerText();
      if (!/0 added · 0 removed · 1 changed/.test(summary)) throw new Error(`diff summary: ${summary}`);
      await changed.first().click();
      await frame.locator('.ptp-graph-panel [data-node-name="gemm0"]').first().waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'compare-models');
    },
  },
  {
    name: 'a hostile model (markup in node name and doc strings) shows the text literally and runs nothing',
    timeout: 120_000,
    async fn({ page }) {
      const HOSTILE = '<img src=x onerror=alert(1)>';
      const dialogs = [];
      // Only what the model text could open counts (the workbench may raise a beforeunload prompt).
      const onDialog = (d) => {
        const type = String(d.type());
        console.log(`[e2e] dialog during the hostile-model test: ${type} ${JSON.stringify(String(d.message()))}`);
        if (type === 'alert' || type === 'confirm' || type === 'prompt') dialogs.push(`${type}: ${String(d.message())}`);
        void d.dismiss().catch(() => {});
      };
      page.on('dialog', onDialog);
      try {
        await closeAllEditors(page);
        const frame = await openModelFromExplorer(page, 'hostile.onnx');
        await frame.getByText(HOSTILE, { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await frame.locator('vscode-panel-tab#main-tab-graph').click();
        await frame.locator('body[data-graph-state="ready"]').waitFor({ state: 'attached', timeout: 45_000 });
        await clickGraphNode(frame, HOSTILE);
        const panel = frame.locator('.ptp-graph-panel');
        await panel.getByText(HOSTILE, { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await frame.locator('.ptp-graph-doc').getByText(HOSTILE).first().waitFor({ state: 'visible', timeout: 10_000 });
        const injected = await frame.locator('img[src="x"]').count();
        if (injected > 0) throw new Error('the model text became an <img> element');
        await page.waitForTimeout(500);
        if (dialogs.length > 0) throw new Error(`a dialog opened: ${dialogs.join(' | ')}`);
        await screenshot(page, 'graph-tab-hostile');
      } finally {
        page.off('dialog', onDialog);
      }
    },
  },
];
