/**
 * What is painted over the laid-out picture besides the selection: the hovered item, search hits and diff
 * marks (moved onto the drawn items holding their nodes), overlay fills with their legend, and edge labels
 * (made when first drawn). The component says when the graph, its layout or the theme changes.
 */
import type { Overlay } from '../../src/protocol/graph';
import type { DiffMark } from './api';
import { edgeLabelText } from './edge-labels';
import { KIND_NODE, type GraphIndex } from './graph-index';
import type { ItemBoxes } from './item-boxes';
import { hitItems, markItems } from './item-maps';
import { itemTitle } from './item-title';
import { renderLegend } from './legend';
import { overlayColors, overlayPaints } from './overlay';
import type { OverlayPaint } from './paint';
import type { DrawState, EdgeLabel } from './renderer';
import type { Scene } from './scene';
import type { SearchHit } from './search';
import type { GraphTheme } from './theme';
import type { VisibleGraph } from './visible-graph';

export class Decorations {
  private index: GraphIndex | null = null;
  private vg: VisibleGraph | null = null;
  private scene: Scene | null = null;
  private hovered = -1;
  private searchHits: readonly SearchHit[] | null = null;
  private hitItems: Set<number> | null = null;
  private overlay: Overlay | null = null;
  private overlayPaint: Map<number, OverlayPaint> | null = null;
  private marks: ReadonlyMap<string, DiffMark> | null = null;
  private markItems: Map<number, string> | null = null;
  private edgeLabels: (EdgeLabel | null | undefined)[] = [];

  constructor(
    /** Where the overlay legend goes. */
    private readonly legendSlot: HTMLElement,
    private readonly theme: () => GraphTheme,
    /** Called after the search hits, the marks or the overlay changed (redraw). */
    private readonly changed: () => void,
  ) {}

  /** The item under the pointer, -1 for none. */
  get hover(): number {
    return this.hovered;
  }

  /** A new graph, not laid out yet (overlay paints are per node of it). */
  setGraph(index: GraphIndex): void {
    this.index = index;
    this.vg = null;
    this.scene = null;
    this.hovered = -1;
    this.updateOverlay();
  }

  /** A new layout of the graph. */
  setPicture(vg: VisibleGraph, scene: Scene): void {
    this.vg = vg;
    this.scene = scene;
    this.edgeLabels = new Array(scene.edgeCount);
    this.refresh();
  }

  /** False when `item` was already the hovered one. */
  setHover(item: number): boolean {
    if (item === this.hovered) return false;
    this.hovered = item;
    return true;
  }

  setSearchHits(hits: readonly SearchHit[] | null): void {
    this.searchHits = hits;
    this.refresh();
    this.changed();
  }

  setMarks(marks: ReadonlyMap<string, DiffMark> | null): void {
    this.marks = marks;
    this.refresh();
    this.changed();
  }

  setOverlay(overlay: Overlay | null): void {
    this.overlay = overlay;
    this.updateOverlay();
    this.changed();
  }

  /** Search hits and diff marks by node land on the drawn item holding the node; mark colours follow the theme. */
  refresh(): void {
    const vg = this.vg;
    const index = this.index;
    if (!vg || !index) return;
    this.hitItems = this.searchHits ? hitItems(index, vg, this.searchHits) : null;
    const t = this.theme();
    this.markItems = this.marks ? markItems(index, vg, this.marks, { added: t.added, removed: t.removed, changed: t.changed }, t.changed) : null;
  }

  /** What the renderer (and the exports) need besides the scene. */
  drawState(selected: number, boxes: ItemBoxes): DrawState {
    return {
      selected,
      hover: this.hovered,
      hits: this.hitItems,
      marks: this.markItems,
      overlay: this.overlayPaint,
      boxes,
      edgeLabel: (e) => this.edgeLabel(e),
    };
  }

  private edgeLabel(e: number): EdgeLabel | null {
    let label = this.edgeLabels[e];
    if (label === undefined) {
      const scene = this.scene!;
      const index = this.index!;
      const from = scene.edgeFrom[e]!;
      const stubFrom = scene.edgeStub[e] ? (index.kind(from) === KIND_NODE ? index.nodeLabel(from) : itemTitle(index, scene, from)) : undefined;
      label = edgeLabelText(index.view.tensors[scene.edgeTensor[e]!], scene.edgeMulti[e]!, stubFrom);
      this.edgeLabels[e] = label;
    }
    return label;
  }

  private updateOverlay(): void {
    this.legendSlot.replaceChildren();
    this.overlayPaint = null;
    if (!this.overlay || !this.index) return;
    this.overlayPaint = overlayPaints(this.index, this.overlay);
    this.legendSlot.appendChild(renderLegend(this.overlay, overlayColors(this.overlay), this.overlayPaint.size));
  }
}
