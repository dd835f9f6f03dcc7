import assert from 'node:assert/strict';
import { explain, ExplainError } from '../../../../src/pipeline/explain';
import { TempDir } from '../../core/build';
import { assertEfficiency, bruteShapley, csv, imageModel, linearModel, matrix, ortFunction, softmax, uniforms } from './helpers';

describe('explain: occlusion (patch Shapley) on image inputs', function () {
  this.timeout(120000);
  const tmp = new TempDir();
  after(() => tmp.dispose());
  const S = 4;
  const pixels = Array.from({ length: S * S }, (_, i) => `p${i}`);
  const r = uniforms(5);
  const data = matrix(3, S * S, r);
  const bg = matrix(6, S * S, r);
  const model = tmp.file('img.onnx', imageModel([1, S, S], 2));
  const dataFile = tmp.file('img.csv', csv(pixels, data));
  const bgFile = tmp.file('img-bg.csv', csv(pixels, bg));
  /** Patch j of a 2×2 grid of 2×2 patches: its pixel indices (row-major image). */
  const patches = [0, 1, 2, 3].map((j) => {
    const pr = Math.floor(j / 2);
    const pc = j % 2;
    return [0, 1].flatMap((dy) => [0, 1].map((dx) => (pr * 2 + dy) * S + pc * 2 + dx));
  });
  const meanImage = pixels.map((_, i) => bg.reduce((a, b) => a + b[i]!, 0) / bg.length);

  it('is the default for [N,1,H,W] inputs; 2×2 patches: exact Shapley against the mean image equals brute force', async () => {
    const res = await explain({ model, data: dataFile, background: bgFile, patch: 2, label: null });
    assert.equal(res.method, 'occlusion');
    assert.equal(res.feature_names.length, 4);
    assert.equal(res.feature_names[1], 'patch r0 c1 (y 0–1, x 2–3)');
    assert.deepEqual(res.background, { rows: 1, source: bgFile, how: 'mean' });
    const img = res.image!;
    assert.equal(img.shapley, 'exact');
    assert.deepEqual([img.height, img.width, img.channels, img.layout, img.patch, img.grid_rows, img.grid_cols], [4, 4, 1, 'NCHW', 2, 2, 2]);
    assert.deepEqual(img.heatmap_outputs, [
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    const { f, close } = await ortFunction(model, 'x', [1, S, S], softmax);
    try {
      for (let i = 0; i < data.length; i++) {
        const ref = await bruteShapley(f, data[i]!, [meanImage], patches);
        res.shap_values[i]!.forEach((phi, j) => phi.forEach((p, k) => assert.ok(Math.abs(p - ref[j]![k]!) < 2e-6, `row ${i} patch ${j} class ${k}: ${p} vs ${ref[j]![k]}`)));
        // heatmap: each pixel holds its patch's φ / 4; it sums to Σφ
        for (let k = 0; k < 2; k++) {
          const h = img.heatmaps[i]![k]!;
          assert.equal(h.length, S * S);
          patches.forEach((px, j) => px.forEach((p) => assert.ok(Math.abs(h[p]! - res.shap_values[i]![j]![k]! / 4) < 1e-12)));
        }
        assert.deepEqual(img.pixels[i], data[i]);
        // feature value of a patch: the mean of its pixels
        patches.forEach((px, j) => assert.ok(Math.abs(res.feature_values[i]![j]! - px.reduce((a, p) => a + data[i]![p]!, 0) / 4) < 1e-5));
      }
    } finally {
      await close();
    }
    assertEfficiency(res, 1e-9);
  });

  it('baseline "background": interventional over the background rows', async () => {
    const res = await explain({ model, data: dataFile, background: bgFile, patch: 2, baseline: 'background', label: null, rows: [1] });
    assert.equal(res.background.rows, 6);
    const { f, close } = await ortFunction(model, 'x', [1, S, S], softmax);
    const ref = await bruteShapley(f, data[1]!, bg, patches);
    await close();
    res.shap_values[0]!.forEach((phi, j) => phi.forEach((p, k) => assert.ok(Math.abs(p - ref[j]![k]!) < 2e-6)));
  });

  it('16 single-pixel patches: permutation (≥ 10 antithetic pairs), efficiency exact', async () => {
    const res = await explain({ model, data: dataFile, background: bgFile, label: null });
    assert.equal(res.image!.patch, 1);
    assert.equal(res.image!.shapley, 'permutation');
    assert.ok(res.settings.permutation_pairs! >= 10);
    assertEfficiency(res, 1e-9);
  });

  it('[N,H,W,C] inputs: patches take every channel of their pixels', async () => {
    const shape = [4, 4, 3];
    const m = tmp.file('img-hwc.onnx', imageModel(shape, 4));
    const cols = Array.from({ length: 48 }, (_, i) => `v${i}`);
    const rr = uniforms(8);
    const file = tmp.file('img-hwc.csv', csv(cols, matrix(2, 48, rr)));
    const res = await explain({ model: m, data: file, patch: 2, label: null });
    assert.equal(res.image!.layout, 'NHWC');
    assert.equal(res.image!.channels, 3);
    assert.equal(res.feature_names.length, 4);
    assert.equal(res.image!.pixels[0]!.length, 48);
    assertEfficiency(res, 1e-9);
  });

  it('refuses occlusion for a tabular model', async () => {
    const lin = tmp.file('lin.onnx', linearModel([1, 2, 3], 0));
    const file = tmp.file('lin.csv', csv(['a', 'b', 'c'], [[1, 2, 3]]));
    await assert.rejects(explain({ model: lin, data: file, method: 'occlusion', label: null }), (e: unknown) => {
      assert.ok(e instanceof ExplainError);
      assert.match(e.message, /occlusion needs one image input .* "x" rows \[3\]; use --method kernel or permutation/);
      return true;
    });
  });
});
