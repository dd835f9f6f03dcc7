import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { buildBatchInputs, imageOptionsForInput, openDataset, planFeatures } from '../../../../src/pipeline/data';
import { resizeBilinear } from '../../../../src/pipeline/data/image-ops';
import { TempDir, collect, column, rejectsDataset } from './helpers';

/** PNG bytes of a w×h RGBA image from a list of [r, g, b] pixels (row-major; alpha 255). */
function png(w: number, h: number, pixels: [number, number, number][]): Buffer {
  const img = new PNG({ width: w, height: h });
  pixels.forEach(([r, g, b], i) => img.data.set([r, g, b, 255], i * 4));
  return PNG.sync.write(img);
}

function jpeg(w: number, h: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return encodeJpeg({ width: w, height: h, data }, 100).data;
}

function close(actual: ArrayLike<number>, expected: number[], tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} ≉ ${expected[i]}`);
}

describe('pipeline/data: image folders', () => {
  const tmp = new TempDir();
  let root = '';
  const P = {
    a: [[255, 0, 0], [0, 255, 0], [0, 0, 255], [100, 50, 200]] as [number, number, number][],
    c: [[0, 0, 0], [100, 100, 100], [200, 200, 200], [50, 60, 70]] as [number, number, number][],
  };
  before(() => {
    tmp.make();
    root = tmp.path('imgs');
    mkdirSync(path.join(root, 'dog'), { recursive: true });
    mkdirSync(path.join(root, 'cat'), { recursive: true });
    writeFileSync(path.join(root, 'cat', 'a.png'), png(2, 2, P.a));
    writeFileSync(path.join(root, 'cat', 'b.JPG'), jpeg(8, 8, [30, 120, 220]));
    writeFileSync(path.join(root, 'dog', 'c.png'), png(2, 2, P.c));
    writeFileSync(path.join(root, 'dog', 'notes.txt'), 'not an image');
  });
  after(() => tmp.clean());

  it('lists classes and images in sorted order with labels and paths', async () => {
    const src = await openDataset(root, { image: { width: 2, height: 2, channels: 3, scale: 1 } });
    assert.equal(src.format, 'images');
    assert.deepEqual(src.columns, ['image', 'label', 'path']);
    assert.deepEqual(src.classNames, ['cat', 'dog']);
    assert.equal(src.rowCount, 3);
    assert.deepEqual(src.tensorShapes.get('image'), [3, 2, 2]);
    assert.ok(src.notes.some((n) => n.includes('1 file(s)')));
    const batches = await collect(src, 2);
    assert.deepEqual(batches.map((b) => b.rowCount), [2, 1]);
    assert.deepEqual(column(batches, 'label'), [0, 0, 1]);
    assert.deepEqual(column(batches, 'path'), ['cat/a.png', 'cat/b.JPG', 'dog/c.png']);
    assert.deepEqual(batches[1].rowFiles, ['dog/c.png']);
    // NCHW, scale 1: the PNG's exact pixels, channel planes one after another.
    const a = batches[0].tensors!.get('image')!.data.subarray(0, 12);
    assert.deepEqual(Array.from(a), [255, 0, 0, 100, 0, 255, 0, 50, 0, 0, 255, 200]);
    // JPEG at quality 100, downsized 8×8 → 2×2: close to its one colour.
    close(batches[0].tensors!.get('image')!.data.subarray(12, 24), [30, 30, 30, 30, 120, 120, 120, 120, 220, 220, 220, 220], 3, 'jpeg');
  });

  it('converts to grayscale, scales, normalises per channel and lays out NHWC', async () => {
    const gray = await collect(await openDataset(root, { image: { width: 2, height: 2, channels: 1 } }), 1);
    const g = (r: number, gg: number, b: number) => (0.299 * r + 0.587 * gg + 0.114 * b) / 255;
    close(gray[0].tensors!.get('image')!.data, P.a.map(([r, gg, b]) => g(r, gg, b)), 1e-6, 'gray');
    assert.deepEqual(gray[0].tensors!.get('image')!.shape, [1, 2, 2]);

    const mean = [0.5, 0.25, 0];
    const std = [0.5, 0.25, 2];
    const nhwc = await collect(await openDataset(root, { image: { width: 2, height: 2, channels: 3, mean, std, layout: 'NHWC' } }), 3);
    assert.deepEqual(nhwc[0].tensors!.get('image')!.shape, [2, 2, 3]);
    const expect = P.c.flatMap((px) => px.map((v, k) => (v / 255 - mean[k]) / std[k]));
    close(nhwc[0].tensors!.get('image')!.data.subarray(24, 36), expect, 1e-6, 'nhwc');
  });

  it('resizes bilinearly with half-pixel centres', async () => {
    // One row 0 → 100 upscaled ×2: samples at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    assert.deepEqual(Array.from(resizeBilinear(Float32Array.from([0, 100]), 2, 1, 1, 4, 1)), [0, 25, 75, 100]);
    // 4 → 2 averages pairs (sample points at 0.5 and 2.5).
    assert.deepEqual(Array.from(resizeBilinear(Float32Array.from([0, 10, 20, 30]), 4, 1, 1, 2, 1)), [5, 25]);
    const up = await collect(await openDataset(root, { image: { width: 4, height: 4, channels: 1, scale: 1 } }), 1);
    const d = up[0].tensors!.get('image')!.data;
    assert.equal(d.length, 16);
    const l = P.a.map(([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b);
    close([d[0], d[3], d[12], d[15]], l, 1e-3, 'corners');
    close([d[1]], [l[0] + (l[1] - l[0]) * 0.25], 1e-3, 'edge');
  });

  it('defaults to the first image size, RGB, 1/255, NCHW', async () => {
    const src = await openDataset(root);
    assert.deepEqual(src.tensorShapes.get('image'), [3, 2, 2]);
    assert.ok(src.notes.some((n) => n.includes('no image options given')));
    const b = await collect(src, 3);
    close(b[0].tensors!.get('image')!.data.subarray(0, 4), [1, 0, 0, 100 / 255], 1e-7);
  });

  it('plans the image tensor onto an image model input (path and label never fed)', async () => {
    const inputs = [{ name: 'pixels', kind: 'tensor' as const, elem_type: 'FLOAT', shape: ['N', 3, 2, 2] }];
    const src = await openDataset(root, { image: imageOptionsForInput(inputs[0])! });
    const plan = planFeatures(src, inputs, { requireLabel: true });
    assert.equal(plan.label, 'label');
    assert.deepEqual(plan.feeds[0].source, { kind: 'tensor', tensor: 'image' });
    assert.deepEqual(plan.excluded, [{ column: 'path', reason: 'file path (auto)' }]);
    const [b] = await collect(src, 3);
    const out = buildBatchInputs(plan, b);
    assert.deepEqual(out.inputs.pixels.dims, [3, 3, 2, 2]);
    assert.equal(out.inputs.pixels.values, b.tensors!.get('image')!.data);
    assert.deepEqual(Array.from(out.labels as Float64Array), [0, 0, 1]);
  });

  it('derives image options from a model input shape', () => {
    assert.deepEqual(imageOptionsForInput({ name: 'x', kind: 'tensor', elem_type: 'FLOAT', shape: ['N', 3, 224, 200] }, { scale: 1 }), {
      scale: 1,
      channels: 3,
      height: 224,
      width: 200,
      layout: 'NCHW',
    });
    assert.deepEqual(imageOptionsForInput({ name: 'x', kind: 'tensor', elem_type: 'FLOAT', shape: [1, 28, 28, 1] }), {
      channels: 1,
      height: 28,
      width: 28,
      layout: 'NHWC',
    });
    assert.equal(imageOptionsForInput({ name: 'x', kind: 'tensor', elem_type: 'FLOAT', shape: ['N', 64] }), undefined);
  });

  it('refuses folders without class subfolders, undecodable images and bad options', async () => {
    const flat = tmp.path('flat');
    mkdirSync(flat);
    writeFileSync(path.join(flat, 'x.png'), png(1, 1, [[1, 2, 3]]));
    await rejectsDataset(openDataset(flat), /flat: an image folder needs one subfolder per class/, /1 images directly in it/);
    const broken = tmp.path('broken');
    mkdirSync(path.join(broken, 'k'), { recursive: true });
    writeFileSync(path.join(broken, 'k', 'x.png'), 'not a png');
    const src = await openDataset(broken, { image: { width: 1, height: 1, channels: 3 } });
    await rejectsDataset(collect(src, 1), /image "k\/x\.png" cannot be decoded/);
    await rejectsDataset(openDataset(root, { image: { width: 2, height: 2, channels: 3, mean: [1, 2] } }), /mean needs 1 or 3 values/);
  });
});
