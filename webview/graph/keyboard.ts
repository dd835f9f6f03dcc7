/**
 * Keyboard navigation over the drawn picture: ↓ to a consumer, ↑ to a producer (the one closest in x),
 * ← → to the nearest box on the left/right (same row first). Works on drawn items, so collapsed groups
 * take part like nodes. Pure: no DOM.
 */
import type { Scene } from './scene';

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';
}

/** The item to select after pressing `key` with `current` selected (-1 = none: the top-left box). */
export function navigate(scene: Scene, current: number, key: NavKey): number {
  const cur = current >= 0 ? scene.boxOfItem[current]! : -1;
  if (cur < scene.frameCount || cur < 0) return firstBox(scene);
  const cx = scene.x[cur]! + scene.w[cur]! / 2;
  const cy = scene.y[cur]! + scene.h[cur]! / 2;
  const centre = (i: number): [number, number] => [scene.x[i]! + scene.w[i]! / 2, scene.y[i]! + scene.h[i]! / 2];
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    let best = -1;
    let bestD = Infinity;
    for (let e = 0; e < scene.edgeCount; e++) {
      const other = key === 'ArrowDown' ? (scene.edgeFrom[e] === current ? scene.edgeTo[e]! : -1) : scene.edgeTo[e] === current ? scene.edgeFrom[e]! : -1;
      if (other < 0) continue;
      const b = scene.boxOfItem[other]!;
      if (b < 0) continue;
      const [ox, oy] = centre(b);
      const d = Math.abs(ox - cx) + 0.01 * Math.abs(oy - cy);
      if (d < bestD) {
        bestD = d;
        best = other;
      }
    }
    return best >= 0 ? best : current;
  }
  const dir = key === 'ArrowRight' ? 1 : -1;
  let best = -1;
  let bestD = Infinity;
  for (let i = scene.frameCount; i < scene.count; i++) {
    if (i === cur) continue;
    const [ox, oy] = centre(i);
    const dx = (ox - cx) * dir;
    if (dx <= 1) continue;
    const sameRow = Math.abs(oy - cy) < (scene.h[cur]! + scene.h[i]!) / 2;
    const d = dx + (sameRow ? 0 : 4 * Math.abs(oy - cy) + 1e6);
    if (d < bestD) {
      bestD = d;
      best = scene.item[i]!;
    }
  }
  return best >= 0 ? best : current;
}

function firstBox(scene: Scene): number {
  let best = -1;
  for (let i = scene.frameCount; i < scene.count; i++) {
    if (best < 0 || scene.y[i]! < scene.y[best]! - 0.5 || (Math.abs(scene.y[i]! - scene.y[best]!) <= 0.5 && scene.x[i]! < scene.x[best]!)) best = i;
  }
  return best >= 0 ? scene.item[best]! : -1;
}
