/** UI tests: Predict on Data… (batch inference) from the Explorer, as a user walks through it. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot } from '../lib.mjs';
import { QUICK_INPUT, TOAST, chooseStep, explorerContextCommand, quickInputStep } from './workbench.mjs';

export const tests = [
  {
    name: 'Explorer → Post-Training → Predict on Data… on digits_mlp.onnx writes digits_test.predictions.csv next to the data; Open shows it',
    timeout: 120_000,
    async fn({ page, cs }) {
      const output = join(cs.dirs.workspace, 'digits_test.predictions.csv');
      rmSync(output, { force: true });
      await explorerContextCommand(page, 'digits_mlp.onnx', 'Post-Training', 'Predict on Data…');

      // 1/3 the data: digits_test.csv is offered (next to the model, or as the last data used with it).
      await chooseStep(page, '(1/3)', 'digits_test.csv');
      // 2/3 the save dialog (code-server: the simple dialog) suggests <data stem>.predictions.csv next to the data.
      await quickInputStep(page, '(2/3)');
      const input = page.locator(QUICK_INPUT);
      const deadline = Date.now() + 10_000;
      while (!(await input.inputValue()).endsWith('digits_test.predictions.csv') && Date.now() < deadline) await page.waitForTimeout(100);
      const suggested = await input.inputValue();
      if (!suggested.endsWith('/digits_test.predictions.csv')) throw new Error(`the save dialog suggests "${suggested}"`);
      await input.press('Enter');
      // 3/3 the id column: the row index is the first choice.
      await quickInputStep(page, '(3/3)');
      const first = await page.locator('.quick-input-widget .monaco-list-row').first().innerText();
      if (!/row index \(default\)/.test(first)) throw new Error(`the first id choice is "${first}"`);
      await input.press('Enter');

      const toast = page.locator(TOAST).filter({ hasText: /Wrote 450 predictions to digits_test\.predictions\.csv/ });
      await toast.first().waitFor({ state: 'visible', timeout: 90_000 });
      await screenshot(page, 'predict-done');
      const lines = readFileSync(output, 'utf8').split('\n').filter(Boolean);
      if (lines.length !== 451 || !lines[0].startsWith('id,prediction,score_0')) throw new Error(`${output}: ${lines.length} lines, header ${lines[0]}`);

      await toast.first().getByRole('button', { name: 'Open' }).click();
      await page.locator('.tabs-container .tab', { hasText: 'digits_test.predictions.csv' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await screenshot(page, 'predict-opened');
      await page.keyboard.press('Control+W').catch(() => {});
      rmSync(output, { force: true });
      if (existsSync(output)) throw new Error(`${output} could not be removed`);
    },
  },
];
