/**
 * The graph canvas: its backing store sized to the stage at the device pixel ratio, a draw on the next
 * animation frame (once however often it is asked for), and text widths in the theme's font (cached until
 * the theme changes).
 */
import { h } from '../shared/dom';
import { FONT_SIZE, type FontRole } from './item-boxes';

export class StageCanvas {
  readonly element: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  private ratio = 1;
  /** Size in CSS px. */
  private w = 0;
  private h = 0;
  private frame = 0;
  private disposed = false;
  private readonly widths = new Map<string, number>();

  constructor(private readonly draw: () => void) {
    this.element = h('canvas', { class: 'ptp-graph-canvas', 'aria-hidden': 'true' });
    this.ctx = this.element.getContext('2d', { alpha: false })!;
  }

  /** Device pixels per CSS pixel of the backing store. */
  get dpr(): number {
    return this.ratio;
  }

  /**
   * Follows the size of `stage` (and the device pixel ratio): resizes the backing store, then calls
   * `onResize` with the new size in CSS px. Returns the function that stops following.
   */
  follow(stage: HTMLElement, onResize: (w: number, h: number) => void): () => void {
    const resize = () => {
      const r = stage.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const w = Math.floor(r.width);
      const h = Math.floor(r.height);
      if (w === this.w && h === this.h && dpr === this.ratio) return;
      this.setSize(w, h, dpr);
      onResize(w, h);
    };
    const ro = new ResizeObserver(resize);
    ro.observe(stage);
    resize();
    return () => ro.disconnect();
  }

  private setSize(w: number, h: number, dpr: number): void {
    this.w = w;
    this.h = h;
    this.ratio = dpr;
    this.element.width = Math.max(1, Math.round(w * dpr));
    this.element.height = Math.max(1, Math.round(h * dpr));
    this.element.style.width = `${w}px`;
    this.element.style.height = `${h}px`;
  }

  /** Draws on the next animation frame. */
  requestDraw(): void {
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Fills the whole canvas with `color` (nothing laid out yet). */
  clear(color: string): void {
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.fillStyle = color;
    this.ctx.fillRect(0, 0, this.element.width, this.element.height);
  }

  /** Width of `text` in CSS px in the font of `role`. */
  measure(text: string, role: FontRole, fontFamily: string): number {
    const key = `${role}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      const weight = role === 'op' || role === 'group' ? '600 ' : '';
      this.ctx.font = `${weight}${FONT_SIZE[role]}px ${fontFamily}`;
      w = this.ctx.measureText(text).width;
      this.widths.set(key, w);
    }
    return w;
  }

  /** Forgets measured widths (the font changed with the theme). */
  clearMeasures(): void {
    this.widths.clear();
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frame);
  }
}
