/**
 * Navigation over the drawn picture: the camera and the stage size; pan, zoom, fit, focus on an item,
 * scroll an item into view; where the camera goes after a relayout (fit, a saved centre, or an item kept
 * where it was on screen). A fit or centre asked for while the stage has no size yet waits for one.
 * Moves the user makes (pan, zoom, fit, focus) are reported through `moved`; placements after a relayout
 * and automation moves are not. No DOM: the component supplies the scene and does the drawing.
 */
import { centerOn, fitBounds, initialCamera, toScreen, toWorld, zoomAt, type Camera } from './camera';
import { hitTest, type Scene } from './scene';

/** An item's top-left corner on screen (px from the stage's top-left), to keep it there across a relayout. */
export interface ScreenAnchor {
  readonly item: number;
  readonly sx: number;
  readonly sy: number;
}

/** After a relayout: 'initial' (fit, or the top at a readable zoom), 'fit' the whole picture, 'keep' the camera, or a view centre. */
export type CameraPlacement = { readonly center: Camera } | 'initial' | 'fit' | 'keep';

/** A box on screen, px from the stage's top-left. */
export interface ScreenBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Below this zoom, focusing an item zooms to 1 (the item readable); above it the zoom is kept. */
const FOCUS_MIN_SCALE = 0.6;

export class Viewport {
  private cam: Camera = { x: 0, y: 0, scale: 1 };
  private w = 0;
  private h = 0;
  private needsFit = false;
  /** A view centre to apply once the stage has a size. */
  private pendingCenter: Camera | null = null;

  constructor(
    /** The picture being shown (null while none is laid out). */
    private readonly scene: () => Scene | null,
    /** Called after a move the user made: redraw, save the view state. */
    private readonly moved: () => void,
  ) {}

  get camera(): Camera {
    return this.cam;
  }

  /** Stage width in CSS px (0 before it is laid out). */
  get width(): number {
    return this.w;
  }

  /** Stage height in CSS px. */
  get height(): number {
    return this.h;
  }

  /** The view centre (world point and zoom) for the view state; null before the stage has had a size. */
  center(): Camera | null {
    return this.pendingCenter ?? (this.w > 0 ? { x: this.cam.x + this.w / 2 / this.cam.scale, y: this.cam.y + this.h / 2 / this.cam.scale, scale: this.cam.scale } : null);
  }

  /** The stage has a new size: keeps the world point at the centre, then applies a waiting centre or fit. */
  resize(w: number, h: number): void {
    // The details panel opening narrows the stage: what was in the middle stays in the middle.
    if (this.w > 0 && this.h > 0) {
      this.cam = { ...this.cam, x: this.cam.x + (this.w - w) / 2 / this.cam.scale, y: this.cam.y + (this.h - h) / 2 / this.cam.scale };
    }
    this.w = w;
    this.h = h;
    if (this.pendingCenter) this.centerAt(this.pendingCenter);
    else if (this.needsFit) this.fitTo('fit');
  }

  /** Places the camera after a relayout (not reported as a move). */
  place(placement: CameraPlacement): void {
    if (placement === 'fit' || placement === 'initial') this.fitTo(placement);
    else if (placement !== 'keep') this.centerAt(placement.center);
  }

  /** Puts an anchored item's top-left corner back where the anchor says (after a relayout). */
  pin(anchor: ScreenAnchor): void {
    const scene = this.scene();
    const b = scene ? scene.boxOfItem[anchor.item]! : -1;
    if (scene && b >= 0) this.cam = { x: scene.x[b]! - anchor.sx / this.cam.scale, y: scene.y[b]! - anchor.sy / this.cam.scale, scale: this.cam.scale };
  }

  /** Where an item is on screen now, as an anchor; undefined when it is not drawn. */
  anchorOf(item: number): ScreenAnchor | undefined {
    const scene = this.scene();
    const b = scene ? scene.boxOfItem[item]! : -1;
    if (!scene || b < 0) return undefined;
    const [sx, sy] = toScreen(this.cam, scene.x[b]!, scene.y[b]!);
    return { item, sx, sy };
  }

  /** Replaces the camera without reporting a move (automation; the caller draws). */
  set(camera: Camera): void {
    this.cam = camera;
  }

  /** Pans or zooms to a camera the user chose (drag, wheel). */
  moveTo(camera: Camera): void {
    this.cam = camera;
    this.moved();
  }

  /** Centres a world point, keeping the zoom (minimap). */
  centerOn(wx: number, wy: number): void {
    this.moveTo(centerOn(this.cam, wx, wy, this.w, this.h));
  }

  /** Zooms by `factor` keeping the world point under (sx, sy) in place (default: the stage centre). */
  zoomBy(factor: number, sx = this.w / 2, sy = this.h / 2): void {
    this.moveTo(zoomAt(this.cam, sx, sy, factor));
  }

  /** Fits the whole picture (toolbar, F). */
  fit(): void {
    this.fitTo('fit');
    this.moved();
  }

  /** Fits the whole picture without reporting a move (automation; the caller draws). */
  fitSilently(): void {
    this.fitTo('fit');
  }

  /** Centres a drawn item, zooming in to 1 when the view is too small to read it; false when it is not drawn. */
  focus(item: number): boolean {
    const scene = this.scene();
    const b = scene ? scene.boxOfItem[item]! : -1;
    if (!scene || b < 0) return false;
    const scale = this.cam.scale < FOCUS_MIN_SCALE ? 1 : this.cam.scale;
    this.moveTo(centerOn(this.cam, scene.x[b]! + scene.w[b]! / 2, scene.y[b]! + scene.h[b]! / 2, this.w, this.h, scale));
    return true;
  }

  /** Centres a drawn item when any part of it is off screen (keyboard selection); otherwise nothing moves. */
  ensureVisible(item: number): void {
    const scene = this.scene();
    const b = scene ? scene.boxOfItem[item]! : -1;
    if (!scene || b < 0) return;
    const [sx0, sy0] = toScreen(this.cam, scene.x[b]!, scene.y[b]!);
    const [sx1, sy1] = toScreen(this.cam, scene.x[b]! + scene.w[b]!, scene.y[b]! + scene.h[b]!);
    if (sx0 >= 0 && sy0 >= 0 && sx1 <= this.w && sy1 <= this.h) return;
    this.centerOn(scene.x[b]! + scene.w[b]! / 2, scene.y[b]! + scene.h[b]! / 2);
  }

  /** The world point under a screen point. */
  toWorld(sx: number, sy: number): [number, number] {
    return toWorld(this.cam, sx, sy);
  }

  /** The drawn item under a screen point, or -1. */
  itemAt(sx: number, sy: number): number {
    const scene = this.scene();
    if (!scene) return -1;
    const [wx, wy] = this.toWorld(sx, sy);
    const b = hitTest(scene, wx, wy);
    return b >= 0 ? scene.item[b]! : -1;
  }

  /** A drawn item's box on screen; null when it is not drawn. */
  screenBox(item: number): ScreenBox | null {
    const scene = this.scene();
    const b = scene ? scene.boxOfItem[item]! : -1;
    if (!scene || b < 0) return null;
    const [x, y] = toScreen(this.cam, scene.x[b]!, scene.y[b]!);
    return { x, y, width: scene.w[b]! * this.cam.scale, height: scene.h[b]! * this.cam.scale };
  }

  private centerAt(center: Camera): void {
    if (this.w === 0 || this.h === 0) {
      this.pendingCenter = center;
      return;
    }
    this.pendingCenter = null;
    this.needsFit = false;
    this.cam = centerOn(this.cam, center.x, center.y, this.w, this.h, center.scale);
  }

  private fitTo(mode: 'fit' | 'initial'): void {
    const scene = this.scene();
    if (!scene) return;
    this.pendingCenter = null;
    if (this.w === 0 || this.h === 0) {
      this.needsFit = true;
      return;
    }
    this.needsFit = false;
    this.cam = mode === 'initial' ? initialCamera(scene.bounds, this.w, this.h) : fitBounds(scene.bounds, this.w, this.h);
  }
}
