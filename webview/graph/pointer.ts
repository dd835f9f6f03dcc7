/**
 * Mouse, trackpad and touch on the graph canvas: drag to pan (a press that moves under 4 px is a click),
 * wheel to pan (Shift+wheel sideways), Ctrl/⌘+wheel and pinch to zoom at the pointer, double-click,
 * hover. The component supplies what to do; this file only interprets the events.
 */
import { panBy, type Camera } from './camera';

export interface PointerTarget {
  readonly canvas: HTMLCanvasElement;
  /** The focusable element around the canvas (focused on press, receives wheel events). */
  readonly stage: HTMLElement;
  camera(): Camera;
  /** Sets the camera after a pan. */
  moveCamera(camera: Camera): void;
  zoomBy(factor: number, sx: number, sy: number): void;
  viewHeight(): number;
  click(sx: number, sy: number): void;
  doubleClick(sx: number, sy: number): void;
  hover(sx: number, sy: number): void;
  leave(): void;
}

export type Listen = <K extends keyof HTMLElementEventMap>(el: HTMLElement, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => void;

export function bindPointer(t: PointerTarget, listen: Listen): void {
  const { canvas, stage } = t;
  let down: { x: number; y: number; cam: Camera; id: number } | null = null;
  let dragged = false;
  const local = (e: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  listen(canvas, 'pointerdown', (e) => {
    if (e.button !== 0) return;
    down = { x: e.clientX, y: e.clientY, cam: t.camera(), id: e.pointerId };
    dragged = false;
    canvas.setPointerCapture(e.pointerId);
    stage.focus({ preventScroll: true });
  });
  listen(canvas, 'pointermove', (e) => {
    if (down && down.id === e.pointerId) {
      const dx = e.clientX - down.x;
      const dy = e.clientY - down.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      dragged = true;
      canvas.classList.add('panning');
      t.moveCamera(panBy(down.cam, dx, dy));
      return;
    }
    t.hover(...local(e));
  });
  const up = (e: PointerEvent) => {
    if (!down || down.id !== e.pointerId) return;
    down = null;
    canvas.classList.remove('panning');
    if (!dragged && e.type === 'pointerup') t.click(...local(e));
  };
  listen(canvas, 'pointerup', up);
  listen(canvas, 'pointercancel', up);
  listen(canvas, 'pointerleave', () => t.leave());
  listen(canvas, 'dblclick', (e) => t.doubleClick(...local(e)));
  listen(
    stage,
    'wheel',
    (e) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? t.viewHeight() : 1;
      if (e.ctrlKey || e.metaKey) {
        const [sx, sy] = local(e);
        // Pinch gestures arrive as small ctrl+wheel deltas, mouse wheels as large ones.
        const speed = Math.abs(e.deltaY) < 40 ? 0.01 : 0.002;
        t.zoomBy(Math.exp(-e.deltaY * unit * speed), sx, sy);
      } else {
        const sideways = e.shiftKey && e.deltaX === 0;
        const dx = sideways ? e.deltaY : e.deltaX;
        const dy = sideways ? 0 : e.deltaY;
        t.moveCamera(panBy(t.camera(), -dx * unit, -dy * unit));
      }
    },
    { passive: false },
  );
}
