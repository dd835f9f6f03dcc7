/** UI tests: Quantize Model… and Optimize Graph…. */
import { screenshot } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, runCommand, webviewFrameOf, quickInputStep, explorerContextCommand, toggleLightDark, chooseStep } from './workbench.mjs';

export const tests = [
  {
    name: 'Explorer → Post-Training → Quantize Model… (static, digits CSV) on digits_mlp.onnx shows the size ratio, the accuracy delta and re-quantizes with an excluded node',
    timeout: 180_000,
    async fn({ page }) {
      await runCommand(page, 'View: Close All Editors');
      await explorerContextCommand(page, 'digits_mlp.onnx', 'Post-Training', 'Quantize Model…');
      const input = page.locator(QUICK_INPUT);
      const choose = (step, text) => chooseStep(page, step, text);
      // Mode · calibration data (the CSV next to the model) · method MinMax · per tensor · evaluate on the
      // calibration data · auto-detected label · default output <model>.int8.onnx.
      await choose(': mode', 'Static int8');
      await choose(': calibration data', 'digits_test.csv');
      await choose(': calibration method');
      await choose(': weight scales');
      await choose(': evaluation data');
      await choose(': label column');
      await quickInputStep(page, ': output file');
      const output = await input.inputValue();
      if (!/digits_mlp\.int8\.onnx$/.test(output)) throw new Error(`the suggested output is "${output}"`);
      await input.press('Enter');

      const frame = await webviewFrameOf(page, 'quantize', 90_000);
      await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
      const ratio = (await frame.locator('[data-testid="size-ratio"]').textContent())?.trim() ?? '';
      if (!/^\d+\.\d\d× smaller$/.test(ratio)) throw new Error(`size ratio shows "${ratio}"`);
      const accuracy = (await frame.locator('[data-metric="accuracy"][data-when="after"]').textContent())?.trim() ?? '';
      if (!/^0\.9\d*$/.test(accuracy)) throw new Error(`accuracy after shows "${accuracy}"`);
      const delta = (await frame.locator('[data-testid="delta-accuracy"]').textContent())?.trim() ?? '';
      if (!/^(0|[+−]0\.00\d*|[+−]\d(\.\d+)?e-\d+)$/.test(delta)) throw new Error(`accuracy delta shows "${delta}"`);
      const rows = await frame.locator('[data-testid="node-table"] tbody tr').count();
      if (rows < 2) throw new Error(`the node table has ${rows} rows`);

      for (let i = 0; i < 2; i++) {
        if (i > 0) await toggleLightDark(page);
        await page.waitForTimeout(800);
        const tag = (await page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
        await screenshot(page, `quantize-report-${tag}`);
        await frame.locator('[data-section="nodes"]').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        await screenshot(page, `quantize-report-${tag}-nodes`);
        await frame.locator('body').evaluate(() => window.scrollTo(0, 0));
      }
      await toggleLightDark(page);

      // The closed loop: check the worst node's "exclude" box, Re-quantize, and the new report lists it as excluded.
      const first = frame.locator('[data-testid="node-table"] tbody tr').first();
      const node = await first.getAttribute('data-node');
      await first.locator('input[type=checkbox]').check();
      await frame.locator('[data-action="requantize"]').click();
      await frame.locator(`[data-testid="node-table"] tr.excluded[data-node="${node}"]`).waitFor({ state: 'attached', timeout: 60_000 });
      await screenshot(page, 'quantize-report-requantized');
    },
  },
  {
    name: 'Explorer → Post-Training → Optimize Graph… on digits_cnn.onnx shows the node counts and the verified passes',
    timeout: 120_000,
    async fn({ page }) {
      await runCommand(page, 'View: Close All Editors');
      await explorerContextCommand(page, 'digits_cnn.onnx', 'Post-Training', 'Optimize Graph…');
      const input = page.locator(QUICK_INPUT);
      await quickInputStep(page, ': passes');
      await input.press('Enter');
      await quickInputStep(page, ': onnxruntime level');
      await input.press('Enter');
      await quickInputStep(page, ': output file');
      if (!/digits_cnn\.opt\.onnx$/.test(await input.inputValue())) throw new Error(`the suggested output is "${await input.inputValue()}"`);
      await input.press('Enter');
      const frame = await webviewFrameOf(page, 'quantize', 60_000, '[data-mode="optimize"]');
      const nodes = (await frame.locator('[data-testid="node-count"]').textContent())?.trim() ?? '';
      if (!/^\d+ → \d+$/.test(nodes)) throw new Error(`node count shows "${nodes}"`);
      const verdicts = await frame.locator('[data-testid="pass-table"] .verdict').allInnerTexts();
      if (verdicts.length === 0 || verdicts.some((v) => !v.includes('verified'))) throw new Error(`pass verdicts: ${JSON.stringify(verdicts)}`);
      for (let i = 0; i < 2; i++) {
        if (i > 0) await toggleLightDark(page);
        await page.waitForTimeout(800);
        const tag = (await page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
        await screenshot(page, `optimize-report-${tag}`);
      }
      await toggleLightDark(page);
    },
  },
];
