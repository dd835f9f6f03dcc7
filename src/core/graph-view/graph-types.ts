/**
 * The graph as the graph webview receives it (src/protocol/graph.ts re-exports these types): structure only
 * (never weight bytes), compact enough for 100,000-node models (ids are array indices; strings are never
 * HTML — the webview renders them as text).
 * Built on the host by `buildGraphView` (src/core/graph-view); details (attributes, tensor values and
 * statistics) are fetched per node/tensor on request.
 */

export type OpCategory =
  | 'conv'
  | 'linear'
  | 'activation'
  | 'normalization'
  | 'pool'
  | 'elementwise'
  | 'reduce'
  | 'shape'
  | 'tensor'
  | 'control'
  | 'quantization'
  | 'logic'
  | 'constant'
  | 'custom'
  | 'other';

export type DimText = number | string | null;

export interface GvTensor {
  readonly id: number;
  readonly name: string;
  readonly elemType: string | null;
  /** null when unknown even after shape inference. */
  readonly shape: readonly DimText[] | null;
  /** Where the type/shape came from. */
  readonly shapeSource: 'declared' | 'inferred' | null;
  readonly kind: 'input' | 'output' | 'initializer' | 'intermediate' | 'outer';
  /** Index of the producing node, -1 for graph inputs, initializers and outer-scope values. */
  readonly producer: number;
  /** Indices of consuming nodes. */
  readonly consumers: readonly number[];
}

export interface GvNode {
  readonly id: number;
  /** The node's name ('' when the model gives none; the UI then shows `op_type #id`). */
  readonly name: string;
  readonly opType: string;
  /** '' = the default ONNX domain. */
  readonly domain: string;
  readonly category: OpCategory;
  /** Tensor ids; -1 for an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Innermost group holding the node (-1 = top level). */
  readonly group: number;
  /** Subgraphs held in attributes (If/Loop/Scan bodies): path to open them with. */
  readonly subgraphs?: readonly { readonly attr: string; readonly path: string }[];
  /** Set when the node calls a model-local function: path `function:<domain>/<name>`. */
  readonly functionPath?: string;
}

export interface GvGroup {
  readonly id: number;
  /** Last scope segment, e.g. `attn`. */
  readonly label: string;
  /** Full scope, e.g. `/encoder/layer.0/attn`. */
  readonly path: string;
  readonly parent: number;
  readonly children: readonly number[];
  /** Direct member nodes. */
  readonly nodes: readonly number[];
  /** Nodes in this group and all descendants. */
  readonly totalNodes: number;
  /** True for groups we made to split a scope with more than 1,000 children. */
  readonly artificial?: boolean;
}

export interface GraphView {
  /** `main`, `main/<node>:<attr>` for subgraphs, `function:<domain>/<name>` for model-local functions. */
  readonly path: string;
  /** Breadcrumb from the main graph to this one. */
  readonly breadcrumb: readonly { readonly path: string; readonly label: string }[];
  readonly name: string;
  readonly nodes: readonly GvNode[];
  readonly tensors: readonly GvTensor[];
  readonly groups: readonly GvGroup[];
  /** Top-level groups and ungrouped nodes. */
  readonly rootGroups: readonly number[];
  readonly rootNodes: readonly number[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Other graphs the user can open from here (functions of the model). */
  readonly functions: readonly { readonly path: string; readonly label: string }[];
}

/** Attribute value formatted for display (text only). */
export interface AttributeView {
  readonly name: string;
  readonly type: string;
  /** Short display text (`[1, 1, 1, 1]`, `3.0`, `"NOTSET"`, `tensor float32[64,3,3,3]`). */
  readonly text: string;
  /** For GRAPH/GRAPHS attributes: paths to open. */
  readonly graphs?: readonly string[];
  /** For TENSOR attributes: a tensor reference that `tensorDetail` can load. */
  readonly tensorRef?: string;
}

export interface NodeDetail {
  readonly graphPath: string;
  readonly nodeId: number;
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly docString: string;
  readonly attributes: readonly AttributeView[];
}

export interface TensorDetail {
  readonly name: string;
  readonly elemType: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly stats: {
    readonly min: number | null;
    readonly max: number | null;
    readonly mean: number | null;
    readonly std: number | null;
    readonly sparsity: number | null;
    readonly nan: number;
  } | null;
  /** Equal-width bins over [min, max]. */
  readonly histogram: { readonly min: number; readonly max: number; readonly counts: readonly number[] } | null;
  /** First values as text. */
  readonly preview: readonly string[];
  /** Why stats were skipped (e.g. over the inline size limit). */
  readonly note?: string;
}

/** Per-node numeric data shown as colours on the graph (profiling times, quantization error, sparsity). */
export interface Overlay {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  /** Keyed by node name (or `#<id>` for unnamed nodes). */
  readonly values: Readonly<Record<string, number>>;
  /** Colour by thresholds (ascending) or by a gradient over [min, max]. */
  readonly scale: { readonly kind: 'gradient' } | { readonly kind: 'thresholds'; readonly thresholds: readonly number[] };
  /** Higher is worse (red) when true. */
  readonly higherIsWorse: boolean;
}
