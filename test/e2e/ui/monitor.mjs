/**
 * UI tests: Monitor Model… from the Explorer on the request log of a real `ptp serve` — the runner serves
 * digits_mlp.onnx with --log, sends the test rows with pixel_36 shifted through REST /v2/models/…/infer, stops
 * the server; then a user picks the training data as reference, Browse… the log as current, 10 chunks, and the
 * dashboard's heatmap shows pixel_36 drifted in every chunk.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, screenshot, withTimeout } from '../lib.mjs';
import { QUICK_INPUT, QUICK_ROW, chooseStep, explorerContextCommand, quickInputStep, typeIntoSimpleDialog, webviewFrameOf } from './workbench.mjs';

const SHIFTED = 'pixel_36';

/** Serves `model` with a request log, sends every row of `data` (SHIFTED + 8) one request each, stops the server. */
async function serveShifted(model, data, logFile, cwd) {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'serve', model, '--log', logFile, '--http-port', '0', '--grpc-port', '0', '--json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
  try {
    const listening = await withTimeout(
      new Promise((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          try {
            const o = JSON.parse(line);
            if (o.listening) resolve(o);
          } catch {
            /* not the listening line */
          }
        });
        child.on('exit', (code) => reject(new Error(`ptp serve exited with ${code}: ${stderr}`)));
      }),
      60_000,
      'ptp serve to listen',
    );
    const base = listening.http.replace(/\/$/, '');
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error(`ptp serve listens on ${base}`);
    const name = 'digits_mlp';
    const meta = await (await fetch(`${base}/v2/models/${name}`)).json();
    const input = meta.inputs[0];
    const [head, ...rows] = readFileSync(data, 'utf8').split(/\r?\n/).filter(Boolean);
    const cols = head.split(',');
    const features = cols.filter((c) => c.startsWith('pixel_'));
    const shifted = cols.indexOf(SHIFTED);
    for (const row of rows) {
      const cells = row.split(',');
      const x = features.map((f) => Number(cells[cols.indexOf(f)]) + (cols.indexOf(f) === shifted ? 8 : 0));
      const res = await fetch(`${base}/v2/models/${name}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: input.name, shape: [1, x.length], datatype: input.datatype, data: x }] }),
      });
      if (!res.ok) throw new Error(`infer: HTTP ${res.status} ${await res.text()}`);
    }
    return rows.length;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await withTimeout(exited, 20_000, 'ptp serve to stop').catch(() => child.kill('SIGKILL'));
  }
}

export const tests = [
  {
    name: 'Monitor Model… from the Explorer on a ptp serve request log (shifted pixel_36): the Monitoring dashboard heatmap flags pixel_36 in every chunk',
    timeout: 240_000,
    async fn({ page, cs }) {
      const ws = cs.dirs.workspace;
      const logDir = join(ws, 'monitor-logs');
      rmSync(logDir, { recursive: true, force: true });
      mkdirSync(logDir, { recursive: true });
      const logFile = join(logDir, 'digits_mlp.requests.jsonl');
      const sent = await serveShifted(join(ws, 'digits_mlp.onnx'), join(ws, 'digits_test.csv'), logFile, ws);
      if (sent < 100) throw new Error(`only ${sent} requests sent`);

      await explorerContextCommand(page, 'digits_mlp.onnx', 'Post-Training', 'Monitor Model…');
      await chooseStep(page, '(1/3)', 'digits_train.csv');
      await quickInputStep(page, '(2/3)');
      const input = page.locator(QUICK_INPUT);
      await input.fill('Browse');
      await page.locator(QUICK_ROW).filter({ hasText: 'Browse…' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await input.press('Enter');
      await typeIntoSimpleDialog(page, logFile);
      await chooseStep(page, '(3/3)', '10 chunks');

      const frame = await webviewFrameOf(page, 'monitor', 180_000);
      await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
      // The filter box narrows the heatmap to the shifted feature (64 pixels and the prediction: more than the 50 shown).
      await frame.locator('input.heatmap-filter').fill(SHIFTED);
      const row = frame.locator(`table.heatmap tr[data-feature="${SHIFTED}"]`);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const cells = await row.locator('button.cell').count();
      const drifted = await row.locator('button.cell.drift').count();
      if (cells !== 10 || drifted !== 10) throw new Error(`${SHIFTED}: ${drifted} of ${cells} chunks flagged`);
      const subtitle = await frame.locator('header .subtitle').nth(1).innerText();
      if (!/request log/.test(subtitle)) throw new Error(`the header says ${subtitle}`);

      // Clicking a cell shows that feature's distribution in that chunk against the reference.
      await row.locator('button.cell').nth(2).click();
      await frame.locator(`svg.distribution[data-column="${SHIFTED}"][data-chunk="2"]`).waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'monitor-dashboard');
      await page.keyboard.press('Control+W').catch(() => {});
      rmSync(logDir, { recursive: true, force: true });
    },
  },
];
