/**
 * The 2D camera: world point (x, y) at the top-left of the viewport and a scale (screen px per world unit).
 * screen = (world − (x, y)) · scale. Pure.
 */
import type { Bounds } from './scene';

export interface Camera {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

export const MIN_SCALE = 0.002;
export const MAX_SCALE = 4;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

export function toScreen(cam: Camera, wx: number, wy: number): [number, number] {
  return [(wx - cam.x) * cam.scale, (wy - cam.y) * cam.scale];
}

export function toWorld(cam: Camera, sx: number, sy: number): [number, number] {
  return [cam.x + sx / cam.scale, cam.y + sy / cam.scale];
}

/** Zooms by `factor` keeping the world point under screen point (sx, sy) in place. */
export function zoomAt(cam: Camera, sx: number, sy: number, factor: number): Camera {
  const scale = clampScale(cam.scale * factor);
  const [wx, wy] = toWorld(cam, sx, sy);
  return { x: wx - sx / scale, y: wy - sy / scale, scale };
}

export function panBy(cam: Camera, dxScreen: number, dyScreen: number): Camera {
  return { x: cam.x - dxScreen / cam.scale, y: cam.y - dyScreen / cam.scale, scale: cam.scale };
}

/** The whole of `b` in a viewport of (vw, vh) px with a margin, never zoomed in beyond `maxScale`. */
export function fitBounds(b: Bounds, vw: number, vh: number, margin = 24, maxScale = 1.25): Camera {
  const bw = Math.max(1, b.maxX - b.minX);
  const bh = Math.max(1, b.maxY - b.minY);
  const scale = clampScale(Math.min(maxScale, (vw - 2 * margin) / bw, (vh - 2 * margin) / bh));
  return { x: (b.minX + b.maxX) / 2 - vw / 2 / scale, y: (b.minY + b.maxY) / 2 - vh / 2 / scale, scale };
}

/** Below this fit scale, the first picture starts at a readable zoom at the top instead of fitting. */
export const MIN_INITIAL_SCALE = 0.45;
export const READABLE_SCALE = 0.75;

/** The first picture of a graph: all of it when that stays readable, else its top at a readable zoom. */
export function initialCamera(b: Bounds, vw: number, vh: number): Camera {
  const fit = fitBounds(b, vw, vh);
  if (fit.scale >= MIN_INITIAL_SCALE) return fit;
  const scale = READABLE_SCALE;
  const width = (b.maxX - b.minX) * scale;
  const x = width + 48 <= vw ? (b.minX + b.maxX) / 2 - vw / 2 / scale : b.minX - 24 / scale;
  return { x, y: b.minY - 24 / scale, scale };
}

/** Centres the world point in the viewport, keeping (or setting) the scale. */
export function centerOn(cam: Camera, wx: number, wy: number, vw: number, vh: number, scale = cam.scale): Camera {
  return { x: wx - vw / 2 / scale, y: wy - vh / 2 / scale, scale };
}

/** The visible world rectangle. */
export function viewRect(cam: Camera, vw: number, vh: number): Bounds {
  return { minX: cam.x, minY: cam.y, maxX: cam.x + vw / cam.scale, maxY: cam.y + vh / cam.scale };
}
