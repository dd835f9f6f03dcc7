/**
 * What a layout engine takes and returns (one container: its child boxes and local edges), and the
 * messages of the layout worker. Coordinates are the container's content coordinates: (0, 0) is the top
 * left of the laid-out content, y grows downwards, rank direction top-to-bottom. No DOM.
 */

export type LayoutEngine = 'layered' | 'dagre';
/** `auto`: dagre for small containers (its network-simplex ranks read best), `layered` for larger ones. */
export type LayoutEngineChoice = LayoutEngine | 'auto';

export interface LayoutInput {
  /** Box sizes, one pair (width, height) per item. */
  readonly sizes: Float64Array;
  /** Edges as pairs of item indices (no self loops; duplicates are merged by the caller). */
  readonly edges: Int32Array;
  readonly nodesep: number;
  readonly ranksep: number;
  readonly edgesep: number;
  /** Per item: -1 pinned to the top rank, 1 to the bottom rank, 0 free (ports of a group; optional). */
  readonly pins?: Int8Array;
}

export interface LayoutOutput {
  /** Box centres. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly width: number;
  readonly height: number;
  /** Edge e's polyline is points[2*edgeStart[e] .. 2*edgeStart[e+1]) as x, y pairs, from source to target. */
  readonly edgeStart: Uint32Array;
  readonly points: Float32Array;
  /**
   * 1 for a stub: a far edge from a broadcast source (many far consumers) or past the routing budget, drawn
   * as a short lead into its target instead of a route across the picture (optional, layered engine).
   */
  readonly stubs?: Uint8Array;
}

/** Items above this count are never given to dagre in `auto` mode (it is super-linear: ~1 ms per node). */
export const DAGRE_AUTO_MAX_ITEMS = 48;

/** dagre has no pinned ranks: containers with ports go to the layered engine in `auto` mode. */
export function chooseEngine(choice: LayoutEngineChoice, items: number, edges: number, pinned: boolean): LayoutEngine {
  if (choice !== 'auto') return choice;
  return !pinned && items <= DAGRE_AUTO_MAX_ITEMS && edges <= 2 * DAGRE_AUTO_MAX_ITEMS ? 'dagre' : 'layered';
}

/** Jobs go to a worker in batches: a fully expanded 100k-node graph has ~20,000 small containers. */
export interface LayoutJobMessage {
  readonly id: number;
  readonly engine: LayoutEngine;
  readonly input: LayoutInput;
}

export interface LayoutRequestMessage {
  readonly type: 'layout';
  readonly jobs: readonly LayoutJobMessage[];
}

export type LayoutJobResult = { readonly id: number; readonly output: LayoutOutput; readonly ms: number } | { readonly id: number; readonly error: string };

export interface LayoutReplyMessage {
  readonly type: 'results';
  readonly results: readonly LayoutJobResult[];
}
