/** UI tests: Register Model… from the Explorer, the Models view, Set Alias… from its context menu. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, chooseStep, explorerContextCommand, quickInputStep, rowContextCommand } from './workbench.mjs';

/** The rows of the Models view (expanded if it was collapsed). */
export async function modelsRows(page) {
  const header = page.locator('.pane-header', { hasText: /^\s*Models/ }).first();
  await header.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return page.locator('.pane', { has: header }).locator('.monaco-list-row');
}

export async function rowWith(page, label, description) {
  const rows = await modelsRows(page);
  const row = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).filter({ hasText: description ?? '' });
  await row.first().waitFor({ state: 'visible', timeout: 30_000 });
  return row.first();
}

export const tests = [
  {
    name: 'Explorer → Post-Training → Register Model… on digits_mlp.onnx: the Models view shows digits_mlp → v1 @champion; Set Alias… from its context menu adds @challenger',
    timeout: 120_000,
    async fn({ page, cs }) {
      const registry = join(cs.dirs.workspace, '.ptp', 'registry');
      rmSync(registry, { recursive: true, force: true });
      await explorerContextCommand(page, 'digits_mlp.onnx', 'Post-Training', 'Register Model…');
      await quickInputStep(page, 'Register digits_mlp.onnx');
      const input = page.locator(QUICK_INPUT);
      const suggested = await input.inputValue();
      if (suggested !== 'digits_mlp') throw new Error(`the suggested model name is "${suggested}"`);
      await input.press('Enter');
      await chooseStep(page, 'alias', '@champion');

      const v1 = await rowWith(page, 'v1', '@champion');
      await rowWith(page, 'digits_mlp', '1 version');
      await screenshot(page, 'models-view');

      // Set Alias… from the version's context menu, as a user does.
      await rowContextCommand(page, v1, [/^Set Alias/], 'Models view context menu on v1');
      await quickInputStep(page, 'Set an alias on digits_mlp@1');
      await page.locator(QUICK_INPUT).fill('@challenger');
      await page.locator(QUICK_ROW).filter({ hasText: '@challenger' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator(QUICK_INPUT).press('Enter');
      await rowWith(page, 'v1', '@challenger');

      const record = JSON.parse(readFileSync(join(registry, 'models', 'digits_mlp', 'model.json'), 'utf8'));
      if (record.aliases.champion !== 1 || record.aliases.challenger !== 1) throw new Error(`aliases on disk: ${JSON.stringify(record.aliases)}`);
      const moves = record.alias_history.map((m) => `${m.alias}:${m.from}→${m.to}`).join(' ');
      if (moves !== 'champion:null→1 challenger:null→1') throw new Error(`alias history on disk: ${moves}`);
      rmSync(registry, { recursive: true, force: true });
    },
  },
];
