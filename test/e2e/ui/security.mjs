/**
 * UI tests: model and data strings holding markup render as text in the panels that show them — the Quantization
 * report's node table (a node named <script>…</script>) and the Attributions panel's feature names (CSV columns
 * named <script>…</script> and <img onerror>) — no element is created from them and nothing runs.
 */
import { screenshot } from '../lib.mjs';
import { QUICK_INPUT, chooseStep, explainFromExplorer, explorerContextCommand, quickInputStep, runCommand, webviewFrameOf } from './workbench.mjs';

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
];
