/** Fill and border colours of drawn boxes, shared by the canvas renderer and the SVG export. Pure. */
import type { GraphIndex } from './graph-index';
import { BOX_GROUP, BOX_INPUT, BOX_NODE, type Scene } from './scene';
import type { GraphTheme } from './theme';

export interface OverlayPaint {
  readonly fill: string;
  readonly text: string;
}

/** `tiny`: the box is a few pixels on screen — solid category colour so it stays visible. */
export function boxFill(index: GraphIndex, scene: Scene, i: number, theme: GraphTheme, overlay: ReadonlyMap<number, OverlayPaint> | null, tiny: boolean): string {
  const kind = scene.kind[i]!;
  const item = scene.item[i]!;
  if (kind === BOX_NODE) {
    if (overlay) return overlay.get(item)?.fill ?? theme.frameFill[1];
    const cat = theme.categories[index.node(item).category] ?? theme.categories.other;
    return tiny ? cat.color : cat.fill;
  }
  if (kind === BOX_GROUP) return tiny ? theme.groupStroke : theme.groupFill;
  return kind === BOX_INPUT ? theme.inputFill : theme.outputFill;
}

export function boxStroke(index: GraphIndex, scene: Scene, i: number, theme: GraphTheme): string {
  const kind = scene.kind[i]!;
  if (kind === BOX_NODE) return (theme.categories[index.node(scene.item[i]!).category] ?? theme.categories.other).color;
  if (kind === BOX_GROUP) return theme.groupStroke;
  return theme.ioStroke;
}

/** Corner radius: rounded boxes for nodes and groups, pills for inputs and outputs. */
export function boxRadius(scene: Scene, i: number): number {
  const kind = scene.kind[i]!;
  return kind === BOX_NODE || kind === BOX_GROUP ? 4 : scene.h[i]! / 2;
}
