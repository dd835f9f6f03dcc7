/** UI test: the Getting Started walkthrough from the palette; its first step's button copies and opens the example. */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, closeAllEditors, runCommand } from './workbench.mjs';

export const tests = [
  {
    name: 'Welcome: Open Walkthrough… → Get Started with the Post-Training Pipeline → Open the Example Model copies ptp-example/ and opens digits_mlp.onnx; the step ticks off',
    timeout: 120_000,
    async fn({ page, cs }) {
      const folder = join(cs.dirs.workspace, 'ptp-example');
      rmSync(folder, { recursive: true, force: true });
      await closeAllEditors(page);
      await runCommand(page, 'Welcome: Open Walkthrough...');
      const input = page.locator(QUICK_INPUT);
      await input.fill('Get Started with the Post-Training');
      await page.locator(QUICK_ROW).filter({ hasText: 'Get Started with the Post-Training Pipeline' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await input.press('Enter');
      const step = page.locator('.getting-started-step', { hasText: 'Open the example model' }).first();
      await step.waitFor({ state: 'visible', timeout: 30_000 });
      await step.click();
      const button = step.getByRole('button', { name: 'Open the Example Model' });
      await button.first().waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'walkthrough');
      await button.first().click();
      await page.locator('.tabs-container .tab', { hasText: 'digits_mlp.onnx' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) if (!existsSync(join(folder, f))) throw new Error(`ptp-example/${f} was not written`);
      // Back on the walkthrough, the step is done.
      await page.locator('.tabs-container .tab', { hasText: /Welcome|Walkthrough|Get Started/ }).first().click();
      const done = page.locator('.getting-started-step[aria-checked="true"], .getting-started-step:has(.complete)', { hasText: 'Open the example model' });
      await done.first().waitFor({ state: 'attached', timeout: 15_000 });
      await closeAllEditors(page);
      rmSync(folder, { recursive: true, force: true });
    },
  },
];
