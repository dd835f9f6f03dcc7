/** UI tests: Prune Model… and Distill Model…. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, screenshot } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, openModelFromExplorer, runCommand, webviewFrameOf, quickInputStep, explorerContextCommand, toggleLightDark, closeAllEditors, chooseStep } from './workbench.mjs';

export const tests = [
  {
    name: 'Explorer → Post-Training → Prune Model… (magnitude, global 50%, digits CSV) on digits_cnn.onnx: the Pruning report shows the sparsity and the accuracy before/after; sensitivity curves; Fine-tune… adds the training curves; sparsity overlay in the graph',
    timeout: 240_000,
    async fn({ page }) {
      await closeAllEditors(page);
      await explorerContextCommand(page, 'digits_cnn.onnx', 'Post-Training', 'Prune Model…');
      const input = page.locator(QUICK_INPUT);
      const choose = (step, text) => chooseStep(page, step, text);
      // Method · sparsity (typed: a bad value is refused first) · evaluation data next to the model · auto-detected
      // label · no fine-tuning (the first choice for magnitude pruning) · default output <model>.pruned.onnx.
      await choose(': method', 'Magnitude, global');
      await quickInputStep(page, ': sparsity');
      if ((await input.inputValue()) !== '0.5') throw new Error(`the suggested sparsity is "${await input.inputValue()}"`);
      await input.fill('1.5');
      await page.locator('.quick-input-widget').getByText(/strictly between 0 and 1/).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('0.5');
      await page.waitForTimeout(300);
      await input.press('Enter');
      await choose(': evaluation data', 'digits_test.csv');
      await choose(': label column');
      await quickInputStep(page, ': fine-tune');
      const firstFinetune = (await page.locator(QUICK_ROW).first().innerText()).trim();
      if (!/^No/.test(firstFinetune)) throw new Error(`the first fine-tuning choice is "${firstFinetune}"`);
      await input.press('Enter');
      await quickInputStep(page, ': output file');
      const output = await input.inputValue();
      if (!/digits_cnn\.pruned\.onnx$/.test(output)) throw new Error(`the suggested output is "${output}"`);
      await input.press('Enter');

      const frame = await webviewFrameOf(page, 'prune', 120_000);
      await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
      const sparsity = (await frame.locator('[data-testid="achieved-sparsity"]').textContent())?.trim() ?? '';
      const m = /^(\d+\.\d)%$/.exec(sparsity);
      if (!m || Math.abs(Number(m[1]) - 50) > 2) throw new Error(`achieved sparsity shows "${sparsity}"`);
      const before = (await frame.locator('[data-testid="summary"] [data-metric="accuracy"][data-when="before"]').textContent())?.trim() ?? '';
      const after = (await frame.locator('[data-testid="summary"] [data-metric="accuracy"][data-when="after"]').textContent())?.trim() ?? '';
      if (!/^0\.9\d*$/.test(before)) throw new Error(`accuracy before shows "${before}"`);
      if (!/^(0\.\d+|1)$/.test(after)) throw new Error(`accuracy after shows "${after}"`);
      if ((await frame.locator('[data-action="finetune"]').count()) !== 1) throw new Error('the report without fine-tuning has no "Fine-tune…" button');
      const layers = await frame.locator('[data-testid="layer-table"] tbody tr').count();
      if (layers < 2) throw new Error(`the layer table has ${layers} rows`);
      // Sorting by sparsity (descending first) puts the most pruned layer on top.
      await frame.locator('button[data-sort="sparsity"]').click();
      const values = await frame.locator('[data-testid="layer-table"] tbody td[data-sparsity]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-sparsity'))));
      if (!values.every((v, i) => i === 0 || v <= values[i - 1])) throw new Error(`rows are not sorted by sparsity, highest first: ${values.join(', ')}`);

      await frame.locator('body').evaluate(() => window.scrollTo(0, 0));
      for (let i = 0; i < 2; i++) {
        if (i > 0) await toggleLightDark(page);
        await page.waitForTimeout(800);
        const tag = (await page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
        await screenshot(page, `prune-report-${tag}`);
      }
      await toggleLightDark(page);

      // Sensitivity analysis on the same data: one curve per layer, and the table.
      await frame.locator('[data-action="sensitivity"]').click();
      await frame.locator('body[data-sensitivity="ready"]').waitFor({ state: 'attached', timeout: 120_000 });
      await frame.locator('[data-chart="sensitivity"] canvas').first().waitFor({ state: 'attached', timeout: 10_000 });
      const curves = await frame.locator('[data-testid="sensitivity-table"] tbody tr').count();
      if (curves < 2) throw new Error(`the sensitivity table has ${curves} rows`);
      await frame.locator('[data-section="sensitivity"]').scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await screenshot(page, 'prune-report-sensitivity');

      // "Fine-tune…" on this report prunes again with fine-tuning: training data (*train* files first), label, epochs.
      await frame.locator('[data-action="finetune"]').click();
      await quickInputStep(page, ': training data');
      const firstTrain = (await page.locator(QUICK_ROW).first().innerText()).trim();
      if (!/digits_train\.csv/.test(firstTrain)) throw new Error(`the first training data choice is "${firstTrain}"`);
      await input.press('Enter');
      await choose(': training label column');
      await quickInputStep(page, ': fine-tuning epochs');
      await input.fill('0');
      await page.locator('.quick-input-widget').getByText(/between 1 and 1000/).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('2');
      await page.waitForTimeout(300);
      await input.press('Enter');
      await frame.locator('body[data-finetune="ready"]').waitFor({ state: 'attached', timeout: 120_000 });
      await frame.locator('[data-section="finetune"] [data-chart="finetune-loss"] canvas').first().waitFor({ state: 'attached', timeout: 10_000 });
      const best = (await frame.locator('[data-testid="finetune-best-epoch"]').textContent())?.trim() ?? '';
      if (!/^[12] of [12]/.test(best)) throw new Error(`the fine-tuning best epoch shows "${best}"`);
      const headline = (await frame.locator('[data-testid="summary"]').innerText()).toLowerCase();
      if (!headline.includes('after fine-tuning')) throw new Error(`the summary does not say "after fine-tuning": ${headline}`);
      if ((await frame.locator('[data-action="finetune"]').count()) !== 0) throw new Error('a fine-tuned report still offers "Fine-tune…"');
      await frame.locator('[data-section="finetune"]').scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await screenshot(page, 'prune-report-finetune');

      // "Show sparsity in graph" opens the source model on its Graph tab, which shows the overlay's legend.
      await frame.locator('[data-action="show-overlay"]').click();
      const overview = await webviewFrameOf(page, 'overview', 60_000, '[data-view-state="ready"]');
      await overview.locator('vscode-panel-tab#main-tab-graph[aria-selected="true"]').waitFor({ state: 'attached', timeout: 15_000 });
      await overview.locator('body[data-graph-state="ready"]').waitFor({ state: 'attached', timeout: 45_000 });
      const legend = overview.locator('.ptp-graph-legend');
      await legend.first().waitFor({ state: 'visible', timeout: 10_000 });
      const legendText = await legend.first().innerText();
      if (!/Pruning/.test(legendText) || !/%/.test(legendText)) throw new Error(`the graph legend shows "${legendText}"`);
      await screenshot(page, 'prune-graph-overlay');
    },
  },
  {
    name: 'Palette → Distill Model… (MLP 16, 200 epochs, digits CSV) on digits_mlp.onnx: the Distillation report shows teacher vs student and the loss curves',
    timeout: 240_000,
    async fn({ page, titles }) {
      await closeAllEditors(page);
      await openModelFromExplorer(page, 'digits_mlp.onnx');
      await runCommand(page, titles['ptp.distillModel'] ?? 'Post-Training: Distill Model…');
      const input = page.locator(QUICK_INPUT);
      await quickInputStep(page, ': training data');
      await input.fill('digits_test.csv');
      await page.locator(QUICK_ROW).filter({ hasText: 'digits_test.csv' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.press('Enter');
      await quickInputStep(page, ': label column');
      await input.press('Enter');
      await quickInputStep(page, ': student');
      await input.press('Enter');
      await quickInputStep(page, ': student hidden widths');
      await input.fill('16,x');
      await page.locator('.quick-input-widget').getByText(/not a whole number/).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('16');
      await page.waitForTimeout(300);
      await input.press('Enter');
      await quickInputStep(page, ': epochs');
      if ((await input.inputValue()) !== '200') throw new Error(`the suggested epochs are "${await input.inputValue()}"`);
      await input.fill('0');
      await page.locator('.quick-input-widget').getByText(/between 1 and/).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('200');
      await page.waitForTimeout(300);
      await input.press('Enter');
      await quickInputStep(page, ': output file');
      if (!/digits_mlp\.student\.onnx$/.test(await input.inputValue())) throw new Error(`the suggested output is "${await input.inputValue()}"`);
      await input.press('Enter');

      const frame = await webviewFrameOf(page, 'distill', 180_000);
      await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
      const teacher = (await frame.locator('[data-testid="summary"] [data-metric="accuracy"][data-when="teacher"]').textContent())?.trim() ?? '';
      const student = (await frame.locator('[data-testid="summary"] [data-metric="accuracy"][data-when="student"]').textContent())?.trim() ?? '';
      if (!/^0\.9\d*$/.test(teacher)) throw new Error(`teacher accuracy shows "${teacher}"`);
      if (!/^(0\.\d+|1)$/.test(student)) throw new Error(`student accuracy shows "${student}"`);
      await frame.locator('[data-chart="loss"] canvas').first().waitFor({ state: 'attached', timeout: 10_000 });
      const best = (await frame.locator('[data-testid="best-epoch"]').textContent())?.trim() ?? '';
      if (!/^\d+ of \d+/.test(best)) throw new Error(`best epoch shows "${best}"`);
      for (let i = 0; i < 2; i++) {
        if (i > 0) await toggleLightDark(page);
        await page.waitForTimeout(800);
        const tag = (await page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
        await screenshot(page, `distill-report-${tag}`);
      }
      await toggleLightDark(page);
    },
  },
  {
    name: 'Palette → Distill Model… → student "Another ONNX model (e.g. a pruned copy)…" → digits_mlp.pruned.onnx, keep zeros, 5 epochs: the Distillation report names the student file and shows teacher vs student',
    timeout: 120_000,
    async fn({ page, cs, titles }) {
      await closeAllEditors(page);
      // The pruned copy the picker suggests: written by the ptp CLI (no UI test prunes the MLP).
      const pruned = join(cs.dirs.workspace, 'digits_mlp.pruned.onnx');
      if (!existsSync(pruned)) {
        execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'prune', join(cs.dirs.workspace, 'digits_mlp.onnx'), '--method', 'magnitude', '--sparsity', '0.5', '-o', pruned], { stdio: 'pipe', timeout: 60_000 });
      }
      await openModelFromExplorer(page, 'digits_mlp.onnx');
      await runCommand(page, titles['ptp.distillModel'] ?? 'Post-Training: Distill Model…');
      const input = page.locator(QUICK_INPUT);
      const choose = (step, text) => chooseStep(page, step, text);
      await choose(': training data', 'digits_test.csv');
      await choose(': label column');
      await choose(': student', 'Another ONNX model');
      // The pruned copy next to the teacher comes first; a pruned student suggests keeping its zeros.
      await quickInputStep(page, ': student model');
      const firstStudent = (await page.locator(QUICK_ROW).first().innerText()).trim();
      if (!/digits_mlp\.pruned\.onnx/.test(firstStudent)) throw new Error(`the first student model choice is "${firstStudent}"`);
      await input.press('Enter');
      await quickInputStep(page, ': keep zero weights');
      const firstKeep = (await page.locator(QUICK_ROW).first().innerText()).trim();
      if (!/^Yes/.test(firstKeep)) throw new Error(`the first "keep zero weights" choice is "${firstKeep}"`);
      await input.press('Enter');
      await quickInputStep(page, ': epochs');
      await input.fill('5');
      await page.waitForTimeout(300);
      await input.press('Enter');
      await quickInputStep(page, ': output file');
      const output = (await input.inputValue()).replace(/digits_mlp\.student\.onnx$/, 'digits_mlp.pruned.trained.onnx');
      if (!output.endsWith('digits_mlp.pruned.trained.onnx')) throw new Error(`the suggested output is "${await input.inputValue()}"`);
      await input.fill(output);
      await page.waitForTimeout(300);
      await input.press('Enter');

      const frame = await webviewFrameOf(page, 'distill', 90_000);
      await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
      await frame.locator('[data-testid="student"]').filter({ hasText: 'digits_mlp.pruned.onnx' }).first().waitFor({ state: 'attached', timeout: 30_000 });
      const student = (await frame.locator('[data-testid="student"]').textContent())?.trim() ?? '';
      if (!/zeros kept/.test(student)) throw new Error(`the student shows "${student}"`);
      const studentPath = (await frame.locator('[data-testid="student-path"]').textContent())?.trim() ?? '';
      if (!studentPath.endsWith('digits_mlp.pruned.onnx')) throw new Error(`the student path shows "${studentPath}"`);
      const teacherAcc = (await frame.locator('[data-testid="summary"] [data-metric="accuracy"][data-when="teacher"]').textContent())?.trim() ?? '';
      const studentAcc = (await frame.locator('[data-testid="summary"] [data-metric="accuracy"][data-when="student"]').textContent())?.trim() ?? '';
      if (!/^0\.9\d*$/.test(teacherAcc)) throw new Error(`teacher accuracy shows "${teacherAcc}"`);
      if (!/^(0\.\d+|1)$/.test(studentAcc)) throw new Error(`student accuracy shows "${studentAcc}"`);
      const best = (await frame.locator('[data-testid="best-epoch"]').textContent())?.trim() ?? '';
      if (!/^\d of [1-5]\b/.test(best)) throw new Error(`best epoch shows "${best}" (5 epochs at most)`);
      if (!existsSync(output)) throw new Error(`${output} was not written`);
      await screenshot(page, 'distill-report-pruned-student');
    },
  },
];
