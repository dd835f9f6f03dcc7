/** PNG export: the whole laid-out picture drawn off-screen at up to 2× (capped at 16k px a side, 50 Mpx). */
import type { DrawState, Renderer } from './renderer';
import type { Scene } from './scene';
import type { GraphTheme } from './theme';

export function renderPng(renderer: Renderer, scene: Scene, theme: GraphTheme, state: DrawState): Promise<Uint8Array> {
  const pad = 20;
  const b = scene.bounds;
  const w = b.maxX - b.minX + 2 * pad;
  const hgt = b.maxY - b.minY + 2 * pad;
  const scale = Math.min(2, 16000 / Math.max(w, hgt), Math.sqrt(50e6 / (w * hgt)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(w * scale));
  canvas.height = Math.max(1, Math.ceil(hgt * scale));
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) return Promise.reject(new Error('No 2D canvas.'));
  renderer.draw(ctx, scene, { x: b.minX - pad, y: b.minY - pad, scale }, canvas.width, canvas.height, 1, theme, { ...state, hover: -1 });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => {
      if (!blob) reject(new Error('The picture is too large to encode.'));
      else blob.arrayBuffer().then((buf) => resolve(new Uint8Array(buf)), reject);
    }, 'image/png'),
  );
}
