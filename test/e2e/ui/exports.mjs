/**
 * UI tests: what the export and save buttons write. Graph tab → PNG, side panel → "Save as .npy", Attributions
 * panel → Save JSON / CSV / PNG / SVG. Each file goes through code-server's simple save dialog to a folder outside
 * the workspace (a new file in the workspace would shift the Explorer rows later tests double-click) and is read
 * back and checked against what the model, the data or the panel says.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { screenshot } from '../lib.mjs';
import { hasPngSignature, readNpy, readPng } from './file-formats.mjs';
import { closeAllEditors, openGraphTab, clickGraphNode, quickInputStep, typeIntoSimpleDialog, webviewFrameOf, explainFromExplorer } from './workbench.mjs';

/** A fresh folder outside the workspace for one test's files (kept when the test fails, to look at). */
function exportDir() {
  return mkdtempSync(`${tmpdir()}/ptp-e2e-export-`);
}

function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Waits until `file` exists and its size stopped changing; resolves to its bytes. */
async function waitForFile(page, file, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!existsSync(file) && Date.now() < deadline) await page.waitForTimeout(200);
  if (!existsSync(file)) throw new Error(`${what} did not write ${file}`);
  await page.waitForTimeout(200);
  return readFileSync(file);
}

/** `a` and `b` agree to a relative tolerance (absolute near zero). */
function close(a, b, tol = 1e-5) {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The side panel's "Type / Shape / Min / …" rows of a tensor detail as a map. */
async function detailRows(detail) {
  const pairs = await detail.locator('table.ptp-graph-table tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(pairs.map(([k, v]) => [k.trim(), v.trim()]));
}

/** tiny.onnx's initializers as test/fixtures/make-fixtures.mjs writes them (float32). */
const TINY_W = Array.from({ length: 12 }, (_, i) => Math.fround(((i % 5) - 2) / 4));
const TINY_B = [0, 1, 2].map((j) => Math.fround(j / 10 - 0.1));

/** Row 3 (0-based) of diabetes_test.csv: feature values by column and the label. */
function diabetesRow(file, index) {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const names = header.split(',');
  const cells = lines[index].split(',').map(Number);
  return Object.fromEntries(names.map((n, j) => [n, cells[j]]));
}

export const tests = [
  {
    name: 'Export: Graph tab → PNG of tiny.onnx writes a decodable PNG of the whole graph at 2× (same extent as the SVG export)',
    timeout: 150_000,
    async fn({ page }) {
      await closeAllEditors(page);
      const frame = await openGraphTab(page, 'tiny.onnx', 2);
      const dir = exportDir();
      const toolbar = frame.locator('.ptp-graph-toolbar');

      const png = `${dir}/tiny.graph.png`;
      await toolbar.locator('button', { hasText: /^PNG$/ }).click();
      await quickInputStep(page, 'Export the graph as PNG');
      await typeIntoSimpleDialog(page, png);
      const bytes = await waitForFile(page, png, 'the PNG export');
      await toolbar.locator('.ptp-graph-toolbar-message', { hasText: 'PNG exported.' }).waitFor({ state: 'visible', timeout: 10_000 });
      if (!hasPngSignature(bytes)) throw new Error(`${png} does not start with the PNG signature: ${bytes.subarray(0, 8).toString('hex')}`);
      if (bytes.length < 1000) throw new Error(`${png} has only ${bytes.length} bytes`);
      const picture = readPng(bytes, png);
      if (picture.distinctColours < 3) throw new Error(`${png} is blank: ${picture.distinctColours} distinct colours in ${picture.width}×${picture.height}`);

      // The PNG is the SVG's picture (same bounds and padding) drawn at 2×.
      const svgFile = `${dir}/tiny.graph.svg`;
      await toolbar.locator('button', { hasText: /^SVG$/ }).click();
      await quickInputStep(page, 'Export the graph as SVG');
      await typeIntoSimpleDialog(page, svgFile);
      const svg = (await waitForFile(page, svgFile, 'the SVG export')).toString('utf8');
      const size = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
      if (!size) throw new Error(`no width/height on the SVG root: ${svg.slice(0, 200)}`);
      const [w, h] = [Number(size[1]), Number(size[2])];
      if (Math.abs(picture.width - 2 * w) > 2 || Math.abs(picture.height - 2 * h) > 2) {
        throw new Error(`PNG is ${picture.width}×${picture.height}, expected about 2 × the SVG's ${w}×${h}`);
      }
      removeDir(dir);
    },
  },
  {
    name: 'Export: Graph tab → gemm0 → W and B → "Save as .npy" write .npy files holding the initializers the side panel shows',
    timeout: 150_000,
    async fn({ page }) {
      await closeAllEditors(page);
      const frame = await openGraphTab(page, 'tiny.onnx', 2);
      await clickGraphNode(frame, 'gemm0');
      const panel = frame.locator('.ptp-graph-panel');
      await panel.locator('[data-node-name="gemm0"]').waitFor({ state: 'visible', timeout: 10_000 });
      const dir = exportDir();

      for (const [name, expected, shape] of [['W', TINY_W, [4, 3]], ['B', TINY_B, [3]]]) {
        const item = panel.locator('.ptp-graph-tensors li').filter({ has: frame.locator('button.ptp-graph-link', { hasText: new RegExp(`^${name}$`) }) });
        await item.locator('button.ptp-graph-link').first().click();
        const detail = item.locator('.ptp-graph-tensor-detail');
        await detail.waitFor({ state: 'visible', timeout: 15_000 });
        const rows = await detailRows(detail);
        const preview = ((await detail.locator('.preview').textContent()) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '…').map(Number);

        const target = `${dir}/${name}.npy`;
        await detail.locator('button.ptp-graph-save-npy').click();
        await quickInputStep(page, `Save ${name} as .npy`);
        await typeIntoSimpleDialog(page, target);
        const npy = readNpy(await waitForFile(page, target, `"Save as .npy" of ${name}`), target);

        if (npy.descr !== '<f4' || npy.fortranOrder) throw new Error(`${target}: descr ${npy.descr}, fortran_order ${npy.fortranOrder}; expected <f4 in C order`);
        if (npy.shape.join() !== shape.join()) throw new Error(`${target}: shape (${npy.shape.join(', ')}), expected (${shape.join(', ')})`);
        if (rows.Shape !== `[${shape.join(', ')}]`) throw new Error(`the side panel shows shape ${rows.Shape} for ${name}`);
        if (!npy.values.every((v, i) => v === expected[i])) throw new Error(`${target}: values ${npy.values.join(', ')}, expected ${expected.join(', ')}`);
        if (preview.length === 0 || !preview.every((v, i) => close(v, npy.values[i], 1e-4))) throw new Error(`the side panel previews ${preview.join(', ')} but the file holds ${npy.values.join(', ')}`);
        const [min, max] = [Math.min(...npy.values), Math.max(...npy.values)];
        if (!close(Number(rows.Min), min, 1e-4) || !close(Number(rows.Max), max, 1e-4)) throw new Error(`the side panel shows min ${rows.Min} / max ${rows.Max}; the file's are ${min} / ${max}`);
        if (Number(rows.Elements) !== expected.length) throw new Error(`the side panel shows ${rows.Elements} elements for ${name}`);
      }
      await screenshot(page, 'graph-tab-save-npy');
      removeDir(dir);
    },
  },
  {
    name: 'Export: Attributions panel of diabetes_ridge.onnx → Save JSON / CSV / PNG / SVG write the attributions of row 3',
    timeout: 180_000,
    async fn({ page, cs }) {
      await closeAllEditors(page);
      const data = `${cs.dirs.workspace}/diabetes_test.csv`;
      await explainFromExplorer(page, 'diabetes_ridge.onnx', data, '3');
      const frame = await webviewFrameOf(page, 'explain', 90_000);
      await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
      await frame.locator('[data-testid=waterfall] [data-feature="bmi"]').waitFor({ state: 'attached', timeout: 10_000 });
      const dir = exportDir();
      const status = frame.locator('.export-status');

      /** Clicks the button of `action`, answers the save dialog with `file`, waits for "Saved …" and the file. */
      const save = async (action, title, file) => {
        await frame.locator(`[data-action="${action}"]`).click();
        await quickInputStep(page, title);
        await typeIntoSimpleDialog(page, file);
        const bytes = await waitForFile(page, file, `${action} of the Attributions panel`);
        await status.filter({ hasText: `Saved ${file}` }).waitFor({ state: 'visible', timeout: 10_000 });
        return bytes;
      };

      // JSON: the whole result; its numbers obey Σφ = f(x) − E[f(x)] and its feature values are row 3 of the data.
      const jsonFile = `${dir}/diabetes.attributions.json`;
      const result = JSON.parse((await save('save-json', 'Save the attributions as JSON', jsonFile)).toString('utf8'));
      for (const key of ['model', 'data', 'method', 'task', 'feature_names', 'output_names', 'base_value', 'f_x', 'shap_values', 'feature_values', 'rows']) {
        if (!(key in result)) throw new Error(`${jsonFile} has no "${key}" (keys: ${Object.keys(result).join(', ')})`);
      }
      const row3 = diabetesRow(data, 3);
      const features = Object.keys(row3).filter((k) => k !== 'target');
      if (basename(result.model) !== 'diabetes_ridge.onnx' || result.task !== 'regression') throw new Error(`${jsonFile}: model ${result.model}, task ${result.task}`);
      if (result.feature_names.join() !== features.join()) throw new Error(`${jsonFile}: feature_names ${result.feature_names.join(', ')}, expected ${features.join(', ')}`);
      if (result.rows.join() !== '3' || result.shap_values.length !== 1 || result.shap_values[0].length !== 10) {
        throw new Error(`${jsonFile}: rows ${JSON.stringify(result.rows)}, shap_values of ${result.shap_values.length} rows × ${result.shap_values[0]?.length} features`);
      }
      const phis = result.shap_values[0].map((perOutput) => perOutput[0]);
      const sum = phis.reduce((a, b) => a + b, 0);
      if (!close(sum, result.f_x[0][0] - result.base_value[0], 1e-6)) throw new Error(`${jsonFile}: Σφ = ${sum} but f(x) − E[f(x)] = ${result.f_x[0][0] - result.base_value[0]}`);
      if (!features.every((f, j) => close(result.feature_values[0][j], row3[f], 1e-6))) throw new Error(`${jsonFile}: feature_values ${result.feature_values[0].join(', ')} are not row 3 of ${data}`);

      // CSV: one line per (row, feature, output), the φ of the JSON.
      const csvFile = `${dir}/diabetes.attributions.csv`;
      const lines = (await save('save-csv', 'Save the attributions as CSV', csvFile)).toString('utf8').trim().split(/\r?\n/);
      if (lines[0] !== 'row,feature,output,value,phi') throw new Error(`${csvFile}: header "${lines[0]}"`);
      const records = lines.slice(1).map((l) => l.split(','));
      if (records.map((r) => r[1]).join() !== features.join()) throw new Error(`${csvFile}: feature column ${records.map((r) => r[1]).join(', ')}, expected ${features.join(', ')}`);
      if (!records.every((r, j) => r[0] === '3' && Number(r[4]) === phis[j] && close(Number(r[3]), row3[features[j]], 1e-6))) {
        throw new Error(`${csvFile}: rows do not match the JSON's row 3 values and φ:\n${lines.slice(0, 4).join('\n')}`);
      }

      // PNG and SVG of the waterfall plot: the picture on the page, at 2× for the PNG.
      const plot = frame.locator('[data-testid=waterfall] svg').first();
      const [plotW, plotH] = [Number(await plot.getAttribute('width')), Number(await plot.getAttribute('height'))];
      const pngFile = `${dir}/diabetes.waterfall.png`;
      const pngBytes = await save('png-waterfall', 'Save the plot as PNG', pngFile);
      if (!hasPngSignature(pngBytes)) throw new Error(`${pngFile} does not start with the PNG signature: ${pngBytes.subarray(0, 8).toString('hex')}`);
      const png = readPng(pngBytes, pngFile);
      if (png.width !== Math.floor(2 * plotW) || png.height !== Math.floor(2 * plotH)) throw new Error(`${pngFile} is ${png.width}×${png.height}, expected 2 × the plot's ${plotW}×${plotH}`);
      if (png.distinctColours < 4) throw new Error(`${pngFile} is blank: ${png.distinctColours} distinct colours`);

      const svgFile = `${dir}/diabetes.waterfall.svg`;
      const svg = (await save('svg-waterfall', 'Save the plot as SVG', svgFile)).toString('utf8');
      if (!/^<\?xml[^>]*\?>\s*<svg\s[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(svg) || !svg.trimEnd().endsWith('</svg>')) {
        throw new Error(`${svgFile} is not a standalone SVG document: ${svg.slice(0, 200)}`);
      }
      const missing = features.filter((f) => !new RegExp(`>\\s*${f}\\b`).test(svg));
      if (missing.length > 0) throw new Error(`${svgFile} does not label ${missing.join(', ')}`);
      removeDir(dir);
    },
  },
];
