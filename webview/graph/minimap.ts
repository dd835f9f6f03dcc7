/**
 * The overview in a corner: the whole picture drawn once (per layout or theme) into a cached canvas, the
 * viewport as a rectangle on top each frame; click or drag to move there.
 */
import type { Camera } from './camera';
import type { GraphIndex } from './graph-index';
import { boxFill } from './paint';
import type { Scene } from './scene';
import type { GraphTheme } from './theme';

const WIDTH = 180;
const HEIGHT = 130;

export class Minimap {
  readonly element: HTMLCanvasElement;
  private readonly cache: HTMLCanvasElement;
  private scene: Scene | null = null;
  private scale = 1;
  private offsetX = 0;
  private offsetY = 0;
  private dpr = 1;
  private dragging = false;

  constructor(private readonly onNavigate: (worldX: number, worldY: number) => void) {
    this.element = document.createElement('canvas');
    this.element.className = 'ptp-graph-minimap';
    this.element.setAttribute('aria-hidden', 'true');
    this.cache = document.createElement('canvas');
    const move = (e: PointerEvent) => {
      if (!this.scene) return;
      const r = this.element.getBoundingClientRect();
      this.onNavigate((e.clientX - r.left - this.offsetX) / this.scale, (e.clientY - r.top - this.offsetY) / this.scale);
    };
    this.element.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      this.dragging = true;
      this.element.setPointerCapture(e.pointerId);
      move(e);
    });
    this.element.addEventListener('pointermove', (e) => this.dragging && move(e));
    this.element.addEventListener('pointerup', () => (this.dragging = false));
  }

  /** Renders the cached overview of a scene. */
  setScene(scene: Scene | null, index: GraphIndex | null, theme: GraphTheme): void {
    this.scene = scene;
    this.dpr = window.devicePixelRatio || 1;
    this.element.width = this.cache.width = Math.round(WIDTH * this.dpr);
    this.element.height = this.cache.height = Math.round(HEIGHT * this.dpr);
    this.element.style.width = `${WIDTH}px`;
    this.element.style.height = `${HEIGHT}px`;
    const ctx = this.cache.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, this.cache.width, this.cache.height);
    if (!scene || !index || scene.count === 0) return;
    const b = scene.bounds;
    const bw = Math.max(1, b.maxX - b.minX);
    const bh = Math.max(1, b.maxY - b.minY);
    this.scale = Math.min((WIDTH - 8) / bw, (HEIGHT - 8) / bh);
    this.offsetX = (WIDTH - bw * this.scale) / 2 - b.minX * this.scale;
    this.offsetY = (HEIGHT - bh * this.scale) / 2 - b.minY * this.scale;
    const k = this.scale * this.dpr;
    ctx.setTransform(k, 0, 0, k, this.offsetX * this.dpr, this.offsetY * this.dpr);
    for (let i = 0; i < scene.frameCount; i++) {
      ctx.fillStyle = theme.frameFill[1];
      ctx.fillRect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!);
    }
    const minSize = 1 / k;
    const byFill = new Map<string, number[]>();
    for (let i = scene.frameCount; i < scene.count; i++) {
      const f = boxFill(index, scene, i, theme, null, true);
      let list = byFill.get(f);
      if (!list) byFill.set(f, (list = []));
      list.push(i);
    }
    for (const [fill, list] of byFill) {
      ctx.beginPath();
      for (const i of list) ctx.rect(scene.x[i]!, scene.y[i]!, Math.max(minSize, scene.w[i]!), Math.max(minSize, scene.h[i]!));
      ctx.fillStyle = fill;
      ctx.fill();
    }
  }

  draw(cam: Camera, viewW: number, viewH: number, theme: GraphTheme): void {
    const ctx = this.element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.cache, 0, 0);
    if (!this.scene) return;
    const k = this.dpr;
    const x = (cam.x * this.scale + this.offsetX) * k;
    const y = (cam.y * this.scale + this.offsetY) * k;
    const w = (viewW / cam.scale) * this.scale * k;
    const hgt = (viewH / cam.scale) * this.scale * k;
    ctx.strokeStyle = theme.selection;
    ctx.lineWidth = 1.5 * k;
    ctx.strokeRect(x, y, Math.max(2, w), Math.max(2, hgt));
  }
}
