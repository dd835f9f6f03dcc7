/**
 * Draws a Scene on a 2D canvas, fast enough for ten thousand boxes on screen:
 * - viewport culling of boxes and edges (edge bounding boxes);
 * - batching: one path per fill colour, one path for all edges, one for all arrowheads;
 * - level of detail by on-screen size: no text, strokes, arrowheads or curves when they would be a few
 *   pixels, solid category colours for tiny boxes, edge labels only when zoomed in.
 * All text is drawn with fillText (model strings never become markup).
 */
import type { Camera } from './camera';
import { GraphIndex } from './graph-index';
import { FONT_SIZE, FRAME_HEADER, type ItemBoxes } from './item-boxes';
import { traceArrow, tracePath, traceStubDot } from './edge-path';
import { boxFill, boxRadius, boxStroke, type OverlayPaint } from './paint';
import { BOX_GROUP, BOX_INPUT, BOX_NODE, BOX_OUTPUT, type Scene } from './scene';
import type { GraphTheme } from './theme';

export interface EdgeLabel {
  readonly text: string;
  readonly inferred: boolean;
}

export interface DrawState {
  readonly selected: number;
  readonly hover: number;
  /** Items highlighted by the search. */
  readonly hits: ReadonlySet<number> | null;
  /** Items outlined in a colour (compare view: added, removed, changed). */
  readonly marks: ReadonlyMap<number, string> | null;
  /** Node fills from an overlay; nodes without a value are drawn neutral while an overlay is shown. */
  readonly overlay: ReadonlyMap<number, OverlayPaint> | null;
  readonly boxes: ItemBoxes;
  readonly edgeLabel: (edge: number) => EdgeLabel | null;
}

/** Zoom levels (screen px per world unit) where details appear. */
export const LOD = { text: 0.5, names: 0.7, strokes: 0.22, arrows: 0.3, curves: 0.3, edgeLabels: 0.85 } as const;

const MAX_EDGE_LABELS = 600;

export class Renderer {
  private readonly buckets = new Map<string, number[]>();

  constructor(private readonly index: GraphIndex) {}

  draw(ctx: CanvasRenderingContext2D, scene: Scene, cam: Camera, viewW: number, viewH: number, dpr: number, theme: GraphTheme, state: DrawState, clear = true): void {
    const s = cam.scale;
    const k = dpr * s;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (clear) {
      ctx.fillStyle = theme.background;
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    }
    ctx.setTransform(k, 0, 0, k, -cam.x * k, -cam.y * k);
    const x0 = cam.x - 20 / s;
    const y0 = cam.y - 20 / s;
    const x1 = cam.x + (viewW + 20) / s;
    const y1 = cam.y + (viewH + 20) / s;
    const px = 1 / s;
    const visible = (i: number) => scene.x[i]! <= x1 && scene.x[i]! + scene.w[i]! >= x0 && scene.y[i]! <= y1 && scene.y[i]! + scene.h[i]! >= y0;

    this.drawFrames(ctx, scene, theme, state, visible, s, px);
    this.drawEdges(ctx, scene, theme, state, x0, y0, x1, y1, s, px);
    this.drawLeaves(ctx, scene, theme, state, visible, s, px);
    if (s >= LOD.edgeLabels) this.drawEdgeLabels(ctx, scene, theme, state, x0, y0, x1, y1);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  private drawFrames(ctx: CanvasRenderingContext2D, scene: Scene, theme: GraphTheme, state: DrawState, visible: (i: number) => boolean, s: number, px: number): void {
    const index = this.index;
    for (let i = 0; i < scene.frameCount; i++) {
      if (!visible(i)) continue;
      const g = index.groupOf(scene.item[i]!);
      ctx.fillStyle = theme.frameFill[index.groupDepth[g]! % 2]!;
      ctx.fillRect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!);
      if (s >= LOD.strokes * 0.5) {
        const sel = scene.item[i] === state.selected;
        const mark = state.marks?.get(scene.item[i]!);
        ctx.strokeStyle = sel ? theme.selection : (mark ?? theme.frameStroke);
        ctx.lineWidth = (sel || mark ? 2 : 1) * px;
        ctx.strokeRect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!);
      }
      if (s * FRAME_HEADER >= 9) {
        ctx.fillStyle = theme.muted;
        ctx.font = `600 ${FONT_SIZE.group}px ${theme.fontFamily}`;
        ctx.textBaseline = 'middle';
        ctx.textAlign = 'left';
        ctx.save();
        ctx.beginPath();
        ctx.rect(scene.x[i]!, scene.y[i]!, scene.w[i]! - 18, FRAME_HEADER);
        ctx.clip();
        ctx.fillText(state.boxes.frameHeader(g), scene.x[i]! + 10, scene.y[i]! + FRAME_HEADER / 2);
        ctx.restore();
        ctx.textAlign = 'center';
        ctx.fillText('−', scene.x[i]! + scene.w[i]! - 10, scene.y[i]! + FRAME_HEADER / 2);
      }
    }
  }

  private drawEdges(ctx: CanvasRenderingContext2D, scene: Scene, theme: GraphTheme, state: DrawState, x0: number, y0: number, x1: number, y1: number, s: number, px: number): void {
    const curves = s >= LOD.curves;
    const arrows = s >= LOD.arrows;
    const highlighted: number[] = [];
    const pts = scene.points;
    ctx.beginPath();
    const arrowPath = arrows ? new Path2D() : null;
    // Edges shorter than a pixel on screen are not drawn (zoomed far out they would only add noise and time).
    const minSpan = 0.8 * px;
    for (let e = 0; e < scene.edgeCount; e++) {
      const b = 4 * e;
      if (scene.edgeBox[b]! > x1 || scene.edgeBox[b + 2]! < x0 || scene.edgeBox[b + 1]! > y1 || scene.edgeBox[b + 3]! < y0) continue;
      if (scene.edgeBox[b + 2]! - scene.edgeBox[b]! < minSpan && scene.edgeBox[b + 3]! - scene.edgeBox[b + 1]! < minSpan) continue;
      if (state.selected >= 0 && (scene.edgeFrom[e] === state.selected || scene.edgeTo[e] === state.selected)) {
        highlighted.push(e);
        continue;
      }
      tracePath(ctx, pts, scene.edgeStart[e]!, scene.edgeStart[e + 1]!, curves);
      if (arrowPath) {
        traceArrow(arrowPath, pts, scene.edgeStart[e]!, scene.edgeStart[e + 1]!, curves);
        if (scene.edgeStub[e]) traceStubDot(arrowPath, pts, scene.edgeStart[e]!);
      }
    }
    ctx.strokeStyle = theme.edge;
    ctx.lineWidth = Math.max(1, Math.min(1.4, 1.4 * s)) * px;
    ctx.stroke();
    if (arrowPath) {
      ctx.fillStyle = theme.edge;
      ctx.fill(arrowPath);
    }
    if (highlighted.length > 0) {
      ctx.beginPath();
      const hp = new Path2D();
      for (const e of highlighted) {
        tracePath(ctx, pts, scene.edgeStart[e]!, scene.edgeStart[e + 1]!, curves);
        traceArrow(hp, pts, scene.edgeStart[e]!, scene.edgeStart[e + 1]!, curves);
        if (scene.edgeStub[e]) traceStubDot(hp, pts, scene.edgeStart[e]!);
      }
      ctx.strokeStyle = theme.edgeHighlight;
      ctx.lineWidth = 2.2 * px;
      ctx.stroke();
      ctx.fillStyle = theme.edgeHighlight;
      ctx.fill(hp);
    }
  }

  private drawLeaves(ctx: CanvasRenderingContext2D, scene: Scene, theme: GraphTheme, state: DrawState, visible: (i: number) => boolean, s: number, px: number): void {
    for (const list of this.buckets.values()) list.length = 0;
    const bucket = (key: string, i: number) => {
      let list = this.buckets.get(key);
      if (!list) this.buckets.set(key, (list = []));
      list.push(i);
    };
    const shown: number[] = [];
    const tiny = (i: number) => scene.h[i]! * s < 5;
    const rounded = s * 28 >= 14;
    // Boxes smaller than half a pixel are left out; their group frames still show where they are.
    const minSize = 0.5 * px;
    for (let i = scene.frameCount; i < scene.count; i++) {
      if (!visible(i) || (scene.w[i]! < minSize && scene.h[i]! < minSize)) continue;
      shown.push(i);
    }
    // Stacked look of collapsed groups (drawn first, behind).
    if (s >= LOD.strokes) {
      ctx.beginPath();
      for (const i of shown) if (scene.kind[i] === BOX_GROUP) ctx.rect(scene.x[i]! + 4, scene.y[i]! + 4, scene.w[i]!, scene.h[i]!);
      ctx.fillStyle = theme.frameStroke;
      ctx.fill();
    }
    // Fills, batched by colour.
    for (const i of shown) bucket(boxFill(this.index, scene, i, theme, state.overlay, tiny(i)), i);
    for (const [fill, list] of this.buckets) {
      if (list.length === 0) continue;
      ctx.beginPath();
      for (const i of list) {
        if (rounded) ctx.roundRect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!, boxRadius(scene, i));
        else ctx.rect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!);
      }
      ctx.fillStyle = fill;
      ctx.fill();
    }
    // Borders, batched by colour.
    if (s >= LOD.strokes) {
      for (const list of this.buckets.values()) list.length = 0;
      for (const i of shown) bucket(boxStroke(this.index, scene, i, theme), i);
      ctx.lineWidth = px;
      for (const [stroke, list] of this.buckets) {
        if (list.length === 0) continue;
        ctx.beginPath();
        for (const i of list) {
          if (rounded) ctx.roundRect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!, boxRadius(scene, i));
          else ctx.rect(scene.x[i]!, scene.y[i]!, scene.w[i]!, scene.h[i]!);
        }
        ctx.strokeStyle = stroke;
        ctx.stroke();
      }
    }
    // Text.
    if (s >= LOD.text) this.drawLeafText(ctx, scene, theme, state, shown, s);
    // Outlines: marks, search hits, hover, selection (on top of everything).
    const outline = (i: number, color: string, width: number, pad: number) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width * px;
      const p = pad * px;
      ctx.strokeRect(scene.x[i]! - p, scene.y[i]! - p, scene.w[i]! + 2 * p, scene.h[i]! + 2 * p);
    };
    for (const i of shown) {
      const item = scene.item[i]!;
      const mark = state.marks?.get(item);
      if (mark) outline(i, mark, 3, 2);
      if (state.hits?.has(item)) outline(i, theme.searchHit, 2.5, mark ? 5 : 2);
      if (item === state.hover && item !== state.selected) outline(i, theme.edgeHighlight, 1.2, 1);
    }
    const sel = state.selected >= 0 ? scene.boxOfItem[state.selected]! : -1;
    if (sel >= scene.frameCount && visible(sel)) outline(sel, theme.selection, 2.5, 3);
  }

  private drawLeafText(ctx: CanvasRenderingContext2D, scene: Scene, theme: GraphTheme, state: DrawState, shown: readonly number[], s: number): void {
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'center';
    const names = state.boxes.showNames && s >= LOD.names;
    const opFont = `600 ${FONT_SIZE.op}px ${theme.fontFamily}`;
    const nameFont = `${FONT_SIZE.name}px ${theme.fontFamily}`;
    const smallFont = `${FONT_SIZE.small}px ${theme.fontFamily}`;
    // One font at a time: op types and group labels first, then the second lines.
    ctx.font = opFont;
    for (const i of shown) {
      const kind = scene.kind[i]!;
      if (kind === BOX_INPUT || kind === BOX_OUTPUT) continue;
      const item = scene.item[i]!;
      const t = state.boxes.textOf(item);
      const cx = scene.x[i]! + scene.w[i]! / 2 - (kind === BOX_GROUP ? 7 : 0);
      const twoLines = kind === BOX_GROUP || (names && t.line2 !== '');
      ctx.fillStyle = (kind === BOX_NODE && state.overlay?.get(item)?.text) || theme.foreground;
      ctx.fillText(t.line1, cx, scene.y[i]! + (twoLines ? scene.h[i]! / 2 - 7 : scene.h[i]! / 2));
      if (kind === BOX_GROUP) ctx.fillText('+', scene.x[i]! + scene.w[i]! - 12, scene.y[i]! + scene.h[i]! / 2);
    }
    ctx.font = smallFont;
    for (const i of shown) {
      const kind = scene.kind[i]!;
      const t = state.boxes.textOf(scene.item[i]!);
      if (kind === BOX_INPUT || kind === BOX_OUTPUT) {
        ctx.fillStyle = theme.foreground;
        ctx.fillText(t.line1, scene.x[i]! + scene.w[i]! / 2, scene.y[i]! + scene.h[i]! / 2);
      } else if (kind === BOX_GROUP) {
        ctx.fillStyle = theme.muted;
        ctx.fillText(t.line2, scene.x[i]! + scene.w[i]! / 2 - 7, scene.y[i]! + scene.h[i]! / 2 + 8);
      }
    }
    if (names) {
      ctx.font = nameFont;
      for (const i of shown) {
        if (scene.kind[i] !== BOX_NODE) continue;
        const item = scene.item[i]!;
        const t = state.boxes.textOf(item);
        if (t.line2 === '') continue;
        ctx.fillStyle = state.overlay?.get(item)?.text ?? theme.muted;
        ctx.fillText(t.line2, scene.x[i]! + scene.w[i]! / 2, scene.y[i]! + scene.h[i]! / 2 + 8);
      }
    }
  }

  private drawEdgeLabels(ctx: CanvasRenderingContext2D, scene: Scene, theme: GraphTheme, state: DrawState, x0: number, y0: number, x1: number, y1: number): void {
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    const normal = `${FONT_SIZE.small}px ${theme.monoFamily}`;
    const inferred = `italic ${FONT_SIZE.small}px ${theme.monoFamily}`;
    // Labels that would overlap one already drawn are skipped (a coarse grid of occupied rectangles).
    const cell = 64;
    const taken = new Map<number, number[]>();
    const key = (cx: number, cy: number) => cx * 73856093 + cy;
    const overlaps = (lx: number, ly: number, w: number, hgt: number) => {
      for (let cx = Math.floor(lx / cell); cx <= Math.floor((lx + w) / cell); cx++) {
        for (let cy = Math.floor(ly / cell); cy <= Math.floor((ly + hgt) / cell); cy++) {
          const list = taken.get(key(cx, cy));
          if (!list) continue;
          for (let k = 0; k < list.length; k += 4) {
            if (lx < list[k]! + list[k + 2]! && list[k]! < lx + w && ly < list[k + 1]! + list[k + 3]! && list[k + 1]! < ly + hgt) return true;
          }
        }
      }
      return false;
    };
    const take = (lx: number, ly: number, w: number, hgt: number) => {
      for (let cx = Math.floor(lx / cell); cx <= Math.floor((lx + w) / cell); cx++) {
        for (let cy = Math.floor(ly / cell); cy <= Math.floor((ly + hgt) / cell); cy++) {
          const k = key(cx, cy);
          let list = taken.get(k);
          if (!list) taken.set(k, (list = []));
          list.push(lx, ly, w, hgt);
        }
      }
    };
    let drawn = 0;
    for (let e = 0; e < scene.edgeCount && drawn < MAX_EDGE_LABELS; e++) {
      const mx = scene.edgeMid[2 * e]!;
      const my = scene.edgeMid[2 * e + 1]!;
      if (mx < x0 || mx > x1 || my < y0 || my > y1) continue;
      const label = state.edgeLabel(e);
      if (!label) continue;
      ctx.font = label.inferred ? inferred : normal;
      const w = ctx.measureText(label.text).width + 6;
      if (overlaps(mx + 3, my - 7, w, 14)) continue;
      take(mx + 3, my - 7, w, 14);
      drawn++;
      ctx.fillStyle = theme.labelBackground;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(mx + 3, my - 7, w, 14);
      ctx.globalAlpha = 1;
      ctx.fillStyle = label.inferred ? theme.muted : theme.foreground;
      ctx.fillText(label.text, mx + 6, my);
    }
  }
}
