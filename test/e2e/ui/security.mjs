/**
 * UI tests: model and data strings holding markup render as text in the panels that show them — the Quantization
 * report's node table (a node named <script>…</script>) and the Attributions panel's feature names (CSV columns
 * named <script>…</script> and <img onerror>), the Evaluation report's fairness groups (values of the sensitive
 * attribute), the Models view's tooltip (a registry description) and the model card in the Markdown preview (the
 * model's doc string) — no element is created from them and nothing runs.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, screenshot } from '../lib.mjs';
import { rowWith } from './registry.mjs';
import { QUICK_INPUT, QUICK_ROW, chooseStep, closeAllEditors, explainFromExplorer, explorerContextCommand, quickInputStep, rowContextCommand, runCommand, webviewFrameOf } from './workbench.mjs';

const SCRIPT = '<script>document.title="pwned"</script>';
const IMG = '<img src=x onerror=alert(1)>';

/** Watches for dialogs (what an injected handler would open) while `fn` runs. */
async function noDialogs(page, fn) {
  const dialogs = [];
  const onDialog = (d) => {
    const type = String(d.type());
    if (type === 'alert' || type === 'confirm' || type === 'prompt') dialogs.push(`${type}: ${String(d.message())}`);
    void d.dismiss().catch(() => {});
  };
  page.on('dialog', onDialog);
  try {
    await fn();
    await page.waitForTimeout(500);
  } finally {
    page.off('dialog', onDialog);
  }
  if (dialogs.length) throw new Error(`a dialog opened: ${dialogs.join(' | ')}`);
}

/** The webview frame with a heading `text` (the Markdown preview has no data-app of ours; the workbench is skipped). */
async function frameWithHeading(page, text, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      try {
        if ((await frame.getByRole('heading', { name: text }).count()) > 0) return frame;
      } catch {
        /* detached meanwhile */
      }
    }
    if (Date.now() > deadline) throw new Error(`no frame showed "${text}" within ${Math.round(timeout / 1000)} s`);
    await page.waitForTimeout(250);
  }
}

async function assertInert(frame, where) {
  // The app's own script is the one with the nonce; any other <script> element came from a string.
  if ((await frame.locator(`${where} script:not([nonce])`).count()) > 0) throw new Error(`a <script> element was created in ${where}`);
  if ((await frame.locator('img[src="x"]').count()) > 0) throw new Error('the text became an <img> element');
  const title = await frame.evaluate(() => document.title);
  if (title === 'pwned') throw new Error('the injected script ran');
}

export const tests = [
  {
    name: 'Quantize Model… on a model whose node is named <script>…</script>: the node table shows the name as text and nothing runs',
    timeout: 150_000,
    async fn({ page }) {
      await runCommand(page, 'View: Close All Editors');
      await noDialogs(page, async () => {
        await explorerContextCommand(page, 'hostile_nodes.onnx', 'Post-Training', 'Quantize Model…');
        await chooseStep(page, ': mode', 'Dynamic int8');
        await chooseStep(page, ': evaluation data', 'No evaluation');
        await quickInputStep(page, ': output file');
        await page.locator(QUICK_INPUT).press('Enter');
        const frame = await webviewFrameOf(page, 'quantize', 90_000);
        await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
        const row = frame.locator('[data-testid="node-table"] tbody tr').first();
        await row.waitFor({ state: 'visible', timeout: 10_000 });
        const attr = await row.getAttribute('data-node');
        if (attr !== SCRIPT) throw new Error(`the node row's name is ${JSON.stringify(attr)}`);
        await frame.locator('[data-testid="node-table"]').getByText(SCRIPT, { exact: false }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await assertInert(frame, '[data-testid="node-table"]');
        await screenshot(page, 'quantize-report-hostile');
      });
    },
  },
  {
    name: 'Explain Predictions… with CSV columns named <script>… and <img onerror>: the feature names show as text and nothing runs',
    timeout: 150_000,
    async fn({ page, cs }) {
      await runCommand(page, 'View: Close All Editors');
      await noDialogs(page, async () => {
        await explainFromExplorer(page, 'diabetes_ridge.onnx', `${cs.dirs.workspace}/diabetes_hostile.csv`, '1');
        const frame = await webviewFrameOf(page, 'explain', 90_000);
        await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
        await frame.locator('[data-testid=waterfall]').getByText(IMG, { exact: false }).first().waitFor({ state: 'attached', timeout: 15_000 });
        await frame.locator('[data-testid=waterfall]').getByText("<script>document.title='pwned'</script>", { exact: false }).first().waitFor({ state: 'attached', timeout: 15_000 });
        await assertInert(frame, 'body');
        await screenshot(page, 'explain-hostile');
      });
    },
  },
  {
    name: 'Evaluate Model… on credit_logreg.onnx with groups_hostile.csv (sex values <script>… and <img onerror>): the fairness table shows the groups as text and nothing runs',
    timeout: 150_000,
    async fn({ page }) {
      await runCommand(page, 'View: Close All Editors');
      await noDialogs(page, async () => {
        await explorerContextCommand(page, 'credit_logreg.onnx', 'Post-Training', 'Evaluate Model…');
        const input = page.locator(QUICK_INPUT);
        await chooseStep(page, '(1/5)', 'groups_hostile.csv');
        await quickInputStep(page, '(2/5)');
        await input.press('Enter');
        await quickInputStep(page, '(3/5)');
        await input.press('Enter');
        await quickInputStep(page, 'columns not fed to the model');
        await input.press('Enter');
        await quickInputStep(page, '(4/5)');
        await page.locator(QUICK_ROW).filter({ hasText: /^\s*sex/ }).first().locator('.quick-input-list-checkbox, input[type=checkbox], .monaco-checkbox').first().click();
        await input.press('Enter');
        await quickInputStep(page, '(5/5)');
        await input.press('Enter');
        const frame = await webviewFrameOf(page, 'evaluation', 90_000, ':has([data-sensitive="sex"])');
        await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
        const table = frame.locator('[data-sensitive="sex"]');
        await table.getByText(IMG, { exact: false }).first().waitFor({ state: 'attached', timeout: 15_000 });
        await table.getByText("<script>document.title='pwned'</script>", { exact: false }).first().waitFor({ state: 'attached', timeout: 15_000 });
        await assertInert(frame, '[data-sensitive="sex"]');
        await screenshot(page, 'evaluation-hostile-groups');
      });
    },
  },
  {
    name: 'Models view and Model Card: a registered model whose description and doc string hold <img onerror>: the tooltip and the card preview show them as text and nothing runs',
    timeout: 150_000,
    async fn({ page, cs }) {
      await closeAllEditors(page);
      const registry = join(cs.dirs.workspace, '.ptp', 'registry');
      rmSync(registry, { recursive: true, force: true });
      const add = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '--registry', registry, 'registry', 'add', join(cs.dirs.workspace, 'hostile.onnx'), '--name', 'hostile', '--description', IMG, '--json'], { encoding: 'utf8' });
      if (add.status !== 0) throw new Error(`ptp registry add failed: ${add.stderr}`);
      await noDialogs(page, async () => {
        const model = await rowWith(page, 'hostile', '1 version');
        await model.hover();
        const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: IMG });
        await hover.first().waitFor({ state: 'visible', timeout: 15_000 });
        if ((await page.locator('img[src="x"]').count()) > 0) throw new Error('the tooltip made an <img> element of the description');
        await page.mouse.move(5, 5);
        await page.keyboard.press('Escape');
        if ((await model.getAttribute('aria-expanded')) === 'false') await model.click();
        const v1 = await rowWith(page, 'v1');
        await rowContextCommand(page, v1, [/^Model Card/], 'Models view context menu on hostile v1');
        const frame = await frameWithHeading(page, 'Model card: hostile v1', 60_000);
        await frame.locator('body').getByText(IMG, { exact: false }).first().waitFor({ state: 'attached', timeout: 15_000 });
        if ((await frame.locator('img[src="x"]').count()) > 0) throw new Error('the card preview made an <img> element of the doc string');
        if ((await frame.evaluate(() => document.title)) === 'pwned') throw new Error('the injected script ran');
        await screenshot(page, 'card-hostile');
      });
      await closeAllEditors(page);
      rmSync(registry, { recursive: true, force: true });
    },
  },
];
