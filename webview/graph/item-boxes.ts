/**
 * Box sizes and the text drawn in each box: node (op type, and the name when names are shown), collapsed
 * group (scope label and node count), input/output pill (tensor name), frame of an expanded group (header).
 * Text is measured by a function the page provides (canvas measureText), so this stays testable.
 */
import { GraphIndex, KIND_GROUP, KIND_INPUT, KIND_NODE } from './graph-index';

export const NODE_HEIGHT = 28;
export const NODE_HEIGHT_NAMED = 42;
export const GROUP_HEIGHT = 44;
export const IO_HEIGHT = 24;
export const FRAME_PAD = 12;
export const FRAME_HEADER = 26;
export const MAX_LABEL_WIDTH = 240;
export const NODESEP = 22;
export const RANKSEP = 34;
export const EDGESEP = 10;

export type FontRole = 'op' | 'name' | 'group' | 'small';

export const FONT_SIZE: Readonly<Record<FontRole, number>> = { op: 12, name: 10.5, group: 12, small: 10.5 };

export type Measure = (text: string, role: FontRole) => number;

export interface BoxText {
  readonly line1: string;
  readonly line2: string;
}

/** Fits text into `max` px, cutting with an ellipsis. */
export function fitText(text: string, max: number, role: FontRole, measure: Measure): string {
  if (measure(text, role) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(`${text.slice(0, mid)}…`, role) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** Sizes and text of drawn items, computed on demand and cached (one instance per view and name toggle). */
export class ItemBoxes {
  private readonly w: Float32Array;
  private readonly h: Float32Array;
  private readonly text: (BoxText | undefined)[];

  constructor(
    private readonly index: GraphIndex,
    readonly showNames: boolean,
    private readonly measure: Measure,
  ) {
    this.w = new Float32Array(index.itemCount);
    this.h = new Float32Array(index.itemCount);
    this.text = new Array(index.itemCount);
  }

  /** Size of an item drawn as a box (a node, a collapsed group, a pill). */
  width(item: number): number {
    this.ensure(item);
    return this.w[item]!;
  }

  height(item: number): number {
    this.ensure(item);
    return this.h[item]!;
  }

  textOf(item: number): BoxText {
    this.ensure(item);
    return this.text[item]!;
  }

  /** Size of an expanded group's frame around content of the given size. */
  frameSize(g: number, contentWidth: number, contentHeight: number): [number, number] {
    const header = this.frameHeader(g);
    const minWidth = this.measure(header, 'group') + 2 * FRAME_PAD + 18;
    return [Math.max(contentWidth + 2 * FRAME_PAD, minWidth), contentHeight + FRAME_HEADER + FRAME_PAD];
  }

  frameHeader(g: number): string {
    const group = this.index.group(g);
    return `${group.label}  ·  ${plural(group.totalNodes, 'node')}`;
  }

  private ensure(item: number): void {
    if (this.text[item] !== undefined) return;
    const index = this.index;
    const kind = index.kind(item);
    let line1: string;
    let line2 = '';
    let w: number;
    let h: number;
    if (kind === KIND_NODE) {
      const node = index.node(item);
      line1 = node.opType;
      w = this.measure(line1, 'op') + 24;
      h = NODE_HEIGHT;
      if (this.showNames) {
        line2 = fitText(index.nodeLabel(item), MAX_LABEL_WIDTH, 'name', this.measure);
        w = Math.max(w, this.measure(line2, 'name') + 20);
        h = NODE_HEIGHT_NAMED;
      }
      w = Math.max(w, 56);
    } else if (kind === KIND_GROUP) {
      const group = index.group(index.groupOf(item));
      line1 = fitText(group.label, MAX_LABEL_WIDTH, 'group', this.measure);
      line2 = plural(group.totalNodes, 'node');
      w = Math.max(this.measure(line1, 'group'), this.measure(line2, 'small')) + 44;
      h = GROUP_HEIGHT;
    } else {
      const tensor = index.view.tensors[index.ioTensorOf(item)]!;
      line1 = fitText(tensor.name, MAX_LABEL_WIDTH, 'small', this.measure);
      line2 = kind === KIND_INPUT ? 'input' : 'output';
      w = Math.max(this.measure(line1, 'small') + 28, 56);
      h = IO_HEIGHT;
    }
    this.w[item] = Math.ceil(w);
    this.h[item] = h;
    this.text[item] = { line1, line2 };
  }
}
