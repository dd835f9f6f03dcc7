/**
 * Occlusion / patch Shapley for image inputs: the image is cut into a grid of P×P patches (all channels of a
 * pixel go together) and each patch is one feature; attributions come back as an H×W heatmap.
 */
import type { FeatureGroups } from './coalitions';
import type { RowLayout } from './rows';

export interface ImageGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly layout: 'NCHW' | 'NHWC';
  /** First composite value of the image. */
  readonly offset: number;
}

const CHANNELS = new Set([1, 3, 4]);

/**
 * The image geometry of a model with one input whose rows are [C,H,W] or [H,W,C] (C = 1, 3 or 4; when both fit,
 * the smaller end is the channel dim, NCHW on a tie) — or, with `allowPlain`, [H,W] (one channel). Null otherwise.
 */
export function imageGeometry(layout: RowLayout, allowPlain = false): ImageGeometry | null {
  if (layout.slots.length !== 1) return null;
  const s = layout.slots[0]!;
  const r = s.rowShape;
  const chw = r.length === 3 && CHANNELS.has(r[0]!) && r[1]! >= 2 && r[2]! >= 2;
  const hwc = r.length === 3 && CHANNELS.has(r[2]!) && r[0]! >= 2 && r[1]! >= 2;
  // Both fit (e.g. [4,4,3]): the channel dim is the smaller end; ties go to NCHW.
  if (chw && (!hwc || r[0]! <= r[2]!)) return { channels: r[0]!, height: r[1]!, width: r[2]!, layout: 'NCHW', offset: s.offset };
  if (hwc) return { channels: r[2]!, height: r[0]!, width: r[1]!, layout: 'NHWC', offset: s.offset };
  if (allowPlain && r.length === 2 && r[0]! >= 2 && r[1]! >= 2) return { channels: 1, height: r[0]!, width: r[1]!, layout: 'NCHW', offset: s.offset };
  return null;
}

/** The composite index of pixel (y, x), channel c. */
export function pixelIndex(g: ImageGeometry, y: number, x: number, c: number): number {
  return g.offset + (g.layout === 'NCHW' ? c * g.height * g.width + y * g.width + x : (y * g.width + x) * g.channels + c);
}

/** Default patch side: about 8 patches along the longer side. */
export function defaultPatch(g: ImageGeometry): number {
  return Math.max(1, Math.ceil(Math.max(g.height, g.width) / 8));
}

export interface PatchGrid {
  readonly groups: FeatureGroups;
  readonly names: readonly string[];
  readonly rows: number;
  readonly cols: number;
  readonly patch: number;
}

/** The patches as feature groups, row-major over the grid; names like `patch r0 c1 (y 0–3, x 4–7)`. */
export function patchGrid(g: ImageGeometry, patch: number): PatchGrid {
  const rows = Math.ceil(g.height / patch);
  const cols = Math.ceil(g.width / patch);
  const M = rows * cols;
  const start = new Int32Array(M + 1);
  const elems: number[] = [];
  const names: string[] = [];
  for (let pr = 0; pr < rows; pr++) {
    for (let pc = 0; pc < cols; pc++) {
      const y1 = Math.min(g.height, (pr + 1) * patch);
      const x1 = Math.min(g.width, (pc + 1) * patch);
      for (let y = pr * patch; y < y1; y++) for (let x = pc * patch; x < x1; x++) for (let c = 0; c < g.channels; c++) elems.push(pixelIndex(g, y, x, c));
      start[pr * cols + pc + 1] = elems.length;
      names.push(`patch r${pr} c${pc} (y ${pr * patch}–${y1 - 1}, x ${pc * patch}–${x1 - 1})`);
    }
  }
  return { groups: { count: M, start, elems: Int32Array.from(elems) }, names, rows, cols, patch };
}

/** H×W heatmap of one output: each pixel holds its patch's φ divided by the patch's pixel count. */
export function heatmap(g: ImageGeometry, grid: PatchGrid, phi: (patch: number) => number): number[] {
  const out = new Array<number>(g.height * g.width);
  for (let y = 0; y < g.height; y++) {
    const pr = Math.floor(y / grid.patch);
    const h = Math.min(g.height, (pr + 1) * grid.patch) - pr * grid.patch;
    for (let x = 0; x < g.width; x++) {
      const pc = Math.floor(x / grid.patch);
      const w = Math.min(g.width, (pc + 1) * grid.patch) - pc * grid.patch;
      out[y * g.width + x] = phi(pr * grid.cols + pc) / (h * w);
    }
  }
  return out;
}

/** The image of a composite row as H×W×C values (HWC order). */
export function pixelsHwc(g: ImageGeometry, row: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) for (let c = 0; c < g.channels; c++) out.push(row[pixelIndex(g, y, x, c)]!);
  return out;
}
