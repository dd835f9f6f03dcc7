/**
 * UI test of the pipeline as code: open a copy of examples/pipeline/ptp.pipeline.yaml, click its Run Pipeline
 * CodeLens, approve the sign-off stage inline in the Pipeline view (with a comment), see the report panel.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, screenshot } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, closeAllEditors, quickInputStep, webviewFrame } from './workbench.mjs';

/** The rows of the Pipeline view (expanded if it was collapsed). */
async function pipelineRows(page) {
  const header = page.locator('.pane-header', { hasText: /^\s*Pipeline/ }).first();
  await header.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return page.locator('.pane', { has: header }).locator('.monaco-list-row');
}

export const tests = [
  {
    name: 'Pipeline: open ptp.pipeline.yaml, click the Run Pipeline CodeLens, Approve sign-off in the Pipeline view, the report panel shows it passed',
    timeout: 300_000,
    async fn({ page, cs }) {
      const root = join(cs.dirs.workspace, 'pipeline-ui');
      rmSync(root, { recursive: true, force: true });
      mkdirSync(join(root, 'digits'), { recursive: true });
      mkdirSync(join(root, 'pipeline'), { recursive: true });
      for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) copyFileSync(join(repoRoot, 'examples', 'digits', f), join(root, 'digits', f));
      for (const f of ['ptp.pipeline.yaml', 'digits_shifted.csv']) copyFileSync(join(repoRoot, 'examples', 'pipeline', f), join(root, 'pipeline', f));
      const file = join(root, 'pipeline', 'ptp.pipeline.yaml');
      try {
        await closeAllEditors(page);
        // Quick Open takes an absolute path; a file created a moment ago may not be listed on the first try.
        const tab = page.locator('.tabs-container .tab', { hasText: 'ptp.pipeline.yaml' }).first();
        for (let attempt = 1; ; attempt++) {
          await page.keyboard.press('Control+P');
          await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: 10_000 });
          await page.locator(QUICK_INPUT).fill(file);
          const row = page.locator(QUICK_ROW).filter({ hasText: 'ptp.pipeline.yaml' }).first();
          const listed = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
          if (listed) {
            await page.locator(QUICK_INPUT).press('Enter');
            if (await tab.waitFor({ state: 'visible', timeout: 15_000 }).then(() => true, () => false)) break;
          }
          await page.keyboard.press('Escape').catch(() => {});
          if (attempt === 3) throw new Error(`Quick Open did not open ${file}`);
          await page.waitForTimeout(1000 * attempt);
        }

        const lens = page.locator('.codelens-decoration a', { hasText: 'Run Pipeline' }).first();
        await lens.waitFor({ state: 'visible', timeout: 30_000 });
        const toHere = await page.locator('.codelens-decoration a', { hasText: 'Run to here' }).count();
        if (toHere < 1) throw new Error('no Run to here CodeLens on the stages');
        await lens.click();

        // The run stops at sign-off: the Pipeline view shows it awaiting approval, with the inline Approve action.
        const rows = await pipelineRows(page);
        const signOff = rows.filter({ hasText: 'sign-off (approve)' }).filter({ hasText: 'awaiting-approval' }).first();
        await signOff.waitFor({ state: 'visible', timeout: 180_000 });
        await screenshot(page, 'pipeline-awaiting');
        await signOff.hover();
        const approve = signOff.locator('.action-label[aria-label^="Approve Pipeline Stage"], .action-label[title^="Approve Pipeline Stage"]').first();
        await approve.waitFor({ state: 'visible', timeout: 10_000 });
        await approve.click();
        await quickInputStep(page, 'Approve sign-off');
        await page.locator(QUICK_INPUT).fill('approved in the UI test');
        await page.locator(QUICK_INPUT).press('Enter');

        // The run continues (earlier stages cached) and its report opens.
        const frame = webviewFrame(page);
        await frame.locator('h1', { hasText: 'Pipeline digits-release: passed' }).waitFor({ state: 'visible', timeout: 180_000 });
        await rows.filter({ hasText: 'publish (register)' }).filter({ hasText: 'passed' }).first().waitFor({ state: 'visible', timeout: 30_000 });
        await screenshot(page, 'pipeline-report');

        const version = join(root, 'pipeline', '.ptp', 'registry', 'models', 'digits', 'versions', '1', 'version.json');
        if (!existsSync(version)) throw new Error(`${version} was not written`);
        const approvals = JSON.parse(readFileSync(version, 'utf8')).approvals ?? [];
        if (!approvals.some((a) => a.message === 'approved in the UI test')) throw new Error(`approvals on disk: ${JSON.stringify(approvals)}`);
      } finally {
        await closeAllEditors(page).catch(() => {});
        rmSync(root, { recursive: true, force: true });
      }
    },
  },
];
