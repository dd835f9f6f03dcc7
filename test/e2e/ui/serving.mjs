/** UI tests: Serve Model from the palette, the Serving panel's Send Test Request (data file from the quick pick), the counts moving, a split change. */
import { screenshot } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, openModelFromExplorer, quickInputStep, runCommand, webviewFrameOf } from './workbench.mjs';

export const tests = [
  {
    name: 'palette → Serve Model on digits_mlp.onnx, Show Serving Panel, Send Test Request (digits_test.csv): the requests count moves; a new split applies',
    timeout: 150_000,
    async fn({ page, titles }) {
      await openModelFromExplorer(page, 'digits_mlp.onnx');
      await runCommand(page, titles['ptp.serveModel']);
      const status = page.locator('.statusbar-item', { hasText: /127\.0\.0\.1:\d+ · [\d.]+ req\/s/ });
      await status.first().waitFor({ state: 'visible', timeout: 60_000 });
      await runCommand(page, titles['ptp.showServingPanel']);
      const frame = await webviewFrameOf(page, 'serving', 60_000);
      await frame.locator('body[data-view-state="ready"][data-serving="true"]').waitFor({ state: 'attached', timeout: 30_000 });
      const requests = frame.locator('table.versions[data-model="digits_mlp"] tr[data-version="1"] [data-field="requests"]');
      await requests.waitFor({ state: 'visible', timeout: 15_000 });
      const before = Number((await requests.textContent())?.trim());
      if (before !== 0) throw new Error(`requests show ${before} before any request`);

      await frame.locator('[data-action="send-test-request"]').first().click();
      await quickInputStep(page, 'Send a test request to digits_mlp');
      const input = page.locator(QUICK_INPUT);
      await input.fill('digits_test.csv');
      await page.locator(QUICK_ROW).filter({ hasText: 'digits_test.csv' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.press('Enter');
      await frame.locator('[data-testid="answer"] [data-field="model-version"]', { hasText: '1' }).waitFor({ state: 'visible', timeout: 30_000 });
      const answer = (await frame.locator('pre.answer').textContent()) ?? '';
      if (!/"logits"/.test(answer)) throw new Error(`the answer shows ${answer.slice(0, 200)}`);
      await frame.locator('table.versions[data-model="digits_mlp"] tr[data-version="1"] [data-field="requests"]', { hasText: /^\s*1\s*$/ }).waitFor({ state: 'visible', timeout: 15_000 });

      await frame.locator('input[data-split-version="1"]').fill('100');
      await frame.locator('[data-action="apply-routing"]').first().click();
      await frame.locator('body[data-routing=\'{"1":100}\']').waitFor({ state: 'attached', timeout: 15_000 });
      await screenshot(page, 'serving-panel');

      await runCommand(page, titles['ptp.stopServing']);
      await frame.locator('body[data-serving="false"]').waitFor({ state: 'attached', timeout: 30_000 });
      await status.first().waitFor({ state: 'hidden', timeout: 15_000 });
    },
  },
];
