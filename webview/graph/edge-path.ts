/**
 * Edge geometry shared by the canvas and the SVG export: a polyline from the layout becomes a smooth curve
 * (vertical tangents for two points, quadratic joins through the midpoints otherwise) plus an arrowhead.
 * Works on any path sink (CanvasRenderingContext2D, Path2D, or the SVG path builder). Pure.
 */

export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void;
  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void;
  closePath(): void;
}

/** Appends the polyline points[2*from .. 2*to) as a curve (or straight segments when `curves` is false). */
export function tracePath(p: PathSink, pts: Float32Array, from: number, to: number, curves: boolean): void {
  const n = to - from;
  if (n < 2) return;
  const X = (k: number) => pts[2 * (from + k)]!;
  const Y = (k: number) => pts[2 * (from + k) + 1]!;
  p.moveTo(X(0), Y(0));
  if (!curves) {
    for (let k = 1; k < n; k++) p.lineTo(X(k), Y(k));
    return;
  }
  if (n === 2) {
    const dy = Math.max(24, Math.abs(Y(1) - Y(0)) / 2) * (Y(1) >= Y(0) ? 1 : -1);
    p.bezierCurveTo(X(0), Y(0) + dy, X(1), Y(1) - dy, X(1), Y(1));
    return;
  }
  for (let k = 1; k < n - 1; k++) p.quadraticCurveTo(X(k), Y(k), (X(k) + X(k + 1)) / 2, (Y(k) + Y(k + 1)) / 2);
  p.lineTo(X(n - 1), Y(n - 1));
}

export const ARROW_SIZE = 6;

/** An arrowhead at the end of the polyline, along its last direction. */
export function traceArrow(p: PathSink, pts: Float32Array, from: number, to: number, curves: boolean): void {
  const n = to - from;
  if (n < 2) return;
  const ex = pts[2 * (to - 1)]!;
  const ey = pts[2 * (to - 1) + 1]!;
  let dx: number;
  let dy: number;
  if (curves && n === 2) {
    dx = 0;
    dy = ey >= pts[2 * from + 1]! ? 1 : -1;
  } else {
    dx = ex - pts[2 * (to - 2)]!;
    dy = ey - pts[2 * (to - 2) + 1]!;
    const len = Math.hypot(dx, dy) || 1;
    dx /= len;
    dy /= len;
  }
  const bx = ex - dx * ARROW_SIZE;
  const by = ey - dy * ARROW_SIZE;
  p.moveTo(ex, ey);
  p.lineTo(bx - dy * ARROW_SIZE * 0.5, by + dx * ARROW_SIZE * 0.5);
  p.lineTo(bx + dy * ARROW_SIZE * 0.5, by - dx * ARROW_SIZE * 0.5);
  p.closePath();
}

/** A small square at the start of a stub (an edge from a broadcast source, drawn only near its target). */
export function traceStubDot(p: PathSink, pts: Float32Array, from: number): void {
  const x = pts[2 * from]!;
  const y = pts[2 * from + 1]!;
  const r = 2.5;
  p.moveTo(x - r, y - r);
  p.lineTo(x + r, y - r);
  p.lineTo(x + r, y + r);
  p.lineTo(x - r, y + r);
  p.closePath();
}

/** Collects path commands as SVG path data. */
export class SvgPathBuilder implements PathSink {
  private readonly parts: string[] = [];

  moveTo(x: number, y: number): void {
    this.parts.push(`M${n(x)} ${n(y)}`);
  }

  lineTo(x: number, y: number): void {
    this.parts.push(`L${n(x)} ${n(y)}`);
  }

  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    this.parts.push(`C${n(c1x)} ${n(c1y)} ${n(c2x)} ${n(c2y)} ${n(x)} ${n(y)}`);
  }

  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void {
    this.parts.push(`Q${n(cx)} ${n(cy)} ${n(x)} ${n(y)}`);
  }

  closePath(): void {
    this.parts.push('Z');
  }

  toString(): string {
    return this.parts.join('');
  }
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}
