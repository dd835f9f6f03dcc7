/**
 * Occlusion maps: the explained image (grey or RGB, min–max scaled) and the same image with the heatmap of the
 * chosen output on top (diverging: red raises the output, blue lowers it; opacity by |value|), on canvases.
 */
import type { ExplainImage } from '../../src/protocol/explain';
import { h } from '../shared/dom';

const SIZE = 256;

/** The map index of `output` for `row` (else the first map, the row's largest output when maps were limited). */
export function heatmapIndex(image: ExplainImage, row: number, output: number): number {
  const i = image.heatmap_outputs[row]?.indexOf(output) ?? -1;
  return i >= 0 ? i : 0;
}

function drawImage(ctx: CanvasRenderingContext2D, image: ExplainImage, pixels: readonly number[]): void {
  const { width: w, height: hgt, channels: c } = image;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of pixels) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi > lo ? hi - lo : 1;
  const data = ctx.createImageData(w, hgt);
  for (let p = 0; p < w * hgt; p++) {
    for (let k = 0; k < 3; k++) {
      const v = pixels[p * c + (c >= 3 ? k : 0)] ?? 0;
      data.data[p * 4 + k] = Math.round(((v - lo) / range) * 255);
    }
    data.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
}

function canvasOf(image: ExplainImage, label: string): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = h('canvas', { width: image.width, height: image.height, class: 'image-canvas', role: 'img', 'aria-label': label });
  const ctx = canvas.getContext('2d')!;
  return { canvas, ctx };
}

/** [original, overlay] canvases for `row` / `output`; the overlay is also what "Save PNG" exports (scaled up). */
export function imageViews(image: ExplainImage, row: number, output: number): { original: HTMLCanvasElement; overlay: HTMLCanvasElement; max: number; shownOutput: number } {
  const pixels = image.pixels[row] ?? [];
  const index = heatmapIndex(image, row, output);
  const map = image.heatmaps[row]?.[index] ?? [];
  const original = canvasOf(image, 'Explained image');
  drawImage(original.ctx, image, pixels);
  const overlay = canvasOf(image, 'Attribution heatmap over the image');
  drawImage(overlay.ctx, image, pixels);
  const max = Math.max(1e-12, ...map.map(Math.abs));
  const data = overlay.ctx.getImageData(0, 0, image.width, image.height);
  for (let p = 0; p < image.width * image.height; p++) {
    const v = (map[p] ?? 0) / max;
    const alpha = Math.min(1, Math.abs(v)) * 0.75;
    const colour = v >= 0 ? [255, 0, 81] : [0, 139, 251];
    for (let k = 0; k < 3; k++) data.data[p * 4 + k] = Math.round(data.data[p * 4 + k]! * (1 - alpha) + colour[k]! * alpha);
  }
  overlay.ctx.putImageData(data, 0, 0);
  return { original: original.canvas, overlay: overlay.canvas, max, shownOutput: image.heatmap_outputs[row]?.[index] ?? output };
}

/** A copy of `canvas` scaled up (nearest neighbour) to about SIZE px, for PNG export. */
export function scaledCopy(canvas: HTMLCanvasElement): HTMLCanvasElement {
  const scale = Math.max(1, Math.floor(SIZE / Math.max(canvas.width, canvas.height)));
  const out = document.createElement('canvas');
  out.width = canvas.width * scale;
  out.height = canvas.height * scale;
  const ctx = out.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(canvas, 0, 0, out.width, out.height);
  return out;
}
