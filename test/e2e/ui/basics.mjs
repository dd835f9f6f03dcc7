/** UI tests: opening the workspace, the command palette, the model overview and Validate Model. */
import { QUICK_INPUT, QUICK_ROW, TOAST, explorerRow, openModelFromExplorer, runCommand } from './workbench.mjs';

export const tests = [
  {
    name: 'workbench opens the fixture workspace and lists the models in the Explorer',
    timeout: 90_000,
    async fn({ page }) {
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await explorerRow(page, 'tiny.onnx');
      await explorerRow(page, 'broken.onnx');
    },
  },
  {
    // Also the gate for the next tests: until the extension's contributions are registered, a double-click
    // opens .onnx files in the text editor instead of the custom editor.
    name: 'the command palette lists the Post-Training commands',
    timeout: 90_000,
    async fn({ page, titles }) {
      // The palette lists the commands known when it opens, so reopen it until the extension registered.
      const input = page.locator(QUICK_INPUT);
      const deadline = Date.now() + 75_000;
      const TITLES = ['ptp.validateModel', 'ptp.inspectModel', 'ptp.runSampleInputs'].map((id) => {
        if (!titles[id]) throw new Error(`package.json contributes no command ${id}`);
        return titles[id];
      });
      const shows = async (title) => {
        await input.fill(`>${title}`, { timeout: 5_000 });
        await page.locator(QUICK_ROW).first().waitFor({ state: 'visible', timeout: 5_000 });
        await page.waitForTimeout(200);
        return (await page.locator(QUICK_ROW).allInnerTexts()).some((t) => t.includes(title));
      };
      let lastMissing = [];
      for (;;) {
        try {
          await page.keyboard.press('F1');
          await input.waitFor({ state: 'visible', timeout: 5_000 });
          lastMissing = [];
          for (const title of TITLES) if (!(await shows(title))) lastMissing.push(title);
          if (lastMissing.length === 0) return;
        } catch {
          /* palette closed again (focus moved); retry */
        } finally {
          await page.keyboard.press('Escape').catch(() => {});
        }
        if (Date.now() > deadline) throw new Error(`commands missing from the palette: ${lastMissing.join(', ') || '(palette did not open)'}`);
        await page.waitForTimeout(1_000);
      }
    },
  },
  {
    name: 'double-clicking tiny.onnx opens the model overview with inputs X, outputs Y and the IR version',
    timeout: 90_000,
    async fn({ page }) {
      const frame = await openModelFromExplorer(page, 'tiny.onnx');
      await frame.getByText('X', { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await frame.getByText('Y', { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const text = await frame.locator('body').innerText();
      if (!/\bIR[ _]version\s*:?\s*8\b/i.test(text)) {
        throw new Error(`overview does not show the IR version (8); it shows:\n${text.slice(0, 1500)}`);
      }
      // X and Y sit in the inputs/outputs table(s).
      const inTable = await frame
        .locator('table, [role="table"], [role="grid"], vscode-data-grid')
        .filter({ hasText: 'X' })
        .count();
      if (inTable === 0) throw new Error(`no table lists the input X; overview text:\n${text.slice(0, 1500)}`);
    },
  },
  {
    name: 'Post-Training: Validate Model from the command palette reports tiny.onnx as valid',
    timeout: 90_000,
    async fn({ page, titles }) {
      await openModelFromExplorer(page, 'tiny.onnx');
      await runCommand(page, titles['ptp.validateModel'] ?? 'Post-Training: Validate Model');
      const toast = page.locator(TOAST).filter({ hasText: /valid/i });
      try {
        await toast.first().waitFor({ state: 'visible', timeout: 45_000 });
      } catch {
        const all = await page.locator(TOAST).allInnerTexts();
        throw new Error(`no notification about validity appeared; notifications: ${JSON.stringify(all)}`);
      }
      const text = await toast.first().innerText();
      if (/invalid|not valid|not an onnx|\b[1-9]\d* errors?\b|failed/i.test(text)) throw new Error(`validation notification says: ${text}`);
    },
  },
];
