/**
 * Lookup tables over one GraphView: a single numeric "item" space for everything the view can draw
 * (nodes, name-scope groups, graph input/output pills), parents, depths and name indexes. Pure: no DOM.
 *
 * Item ids: node n → n; group g → N + g; graph input/output k → N + G + k (N nodes, G groups).
 */
import type { GraphView, GvGroup, GvNode } from '../../src/protocol/graph';

export const KIND_NODE = 0;
export const KIND_GROUP = 1;
export const KIND_INPUT = 2;
export const KIND_OUTPUT = 3;
export type ItemKind = typeof KIND_NODE | typeof KIND_GROUP | typeof KIND_INPUT | typeof KIND_OUTPUT;

/** The root container (the graph itself) has this id where a group id is expected. */
export const ROOT = -1;

export class GraphIndex {
  readonly nodeCount: number;
  readonly groupCount: number;
  readonly itemCount: number;
  /** Tensor id of each input/output pill, in item order (inputs first). */
  readonly ioTensor: Int32Array;
  readonly inputCount: number;
  /** Depth of each group: 1 for top-level groups (the root container has depth 0). */
  readonly groupDepth: Int32Array;
  private readonly nodeKeyMap = new Map<string, number>();
  private readonly groupPathMap = new Map<string, number>();
  private readonly inputItemByTensor = new Map<number, number>();
  private readonly outputItemByTensor = new Map<number, number>();
  private readonly childrenCache = new Map<number, Int32Array>();
  private positions: Int32Array | null = null;

  constructor(readonly view: GraphView) {
    this.nodeCount = view.nodes.length;
    this.groupCount = view.groups.length;
    const inputs = view.inputs.filter((t) => view.tensors[t] !== undefined && view.tensors[t]!.kind !== 'initializer');
    const outputs = view.outputs.filter((t) => view.tensors[t] !== undefined);
    this.inputCount = inputs.length;
    this.ioTensor = Int32Array.from([...inputs, ...outputs]);
    this.itemCount = this.nodeCount + this.groupCount + this.ioTensor.length;
    inputs.forEach((t, k) => this.inputItemByTensor.set(t, this.nodeCount + this.groupCount + k));
    outputs.forEach((t, k) => this.outputItemByTensor.set(t, this.nodeCount + this.groupCount + inputs.length + k));

    this.groupDepth = new Int32Array(this.groupCount);
    for (let g = 0; g < this.groupCount; g++) this.groupDepth[g] = this.computeDepth(g);
    for (const n of view.nodes) {
      if (n.name !== '' && !this.nodeKeyMap.has(n.name)) this.nodeKeyMap.set(n.name, n.id);
      this.nodeKeyMap.set(`#${n.id}`, n.id);
    }
    for (const g of view.groups) if (!this.groupPathMap.has(g.path)) this.groupPathMap.set(g.path, g.id);
  }

  kind(item: number): ItemKind {
    if (item < this.nodeCount) return KIND_NODE;
    if (item < this.nodeCount + this.groupCount) return KIND_GROUP;
    return item - this.nodeCount - this.groupCount < this.inputCount ? KIND_INPUT : KIND_OUTPUT;
  }

  groupItem(g: number): number {
    return this.nodeCount + g;
  }

  /** Group id of a group item. */
  groupOf(item: number): number {
    return item - this.nodeCount;
  }

  node(item: number): GvNode {
    return this.view.nodes[item]!;
  }

  group(g: number): GvGroup {
    return this.view.groups[g]!;
  }

  /** Tensor id shown by an input/output pill. */
  ioTensorOf(item: number): number {
    return this.ioTensor[item - this.nodeCount - this.groupCount]!;
  }

  inputItem(tensor: number): number | undefined {
    return this.inputItemByTensor.get(tensor);
  }

  outputItem(tensor: number): number | undefined {
    return this.outputItemByTensor.get(tensor);
  }

  /** The group that directly holds an item (ROOT for top-level items and input/output pills). */
  parentOf(item: number): number {
    const k = this.kind(item);
    if (k === KIND_NODE) return this.view.nodes[item]!.group;
    if (k === KIND_GROUP) return this.view.groups[item - this.nodeCount]!.parent;
    return ROOT;
  }

  /** Depth of a container (ROOT = 0). */
  containerDepth(container: number): number {
    return container === ROOT ? 0 : this.groupDepth[container]!;
  }

  /** Items directly inside a container: child groups, then member nodes, then (root only) input/output pills. */
  childrenOf(container: number): Int32Array {
    let c = this.childrenCache.get(container);
    if (!c) {
      const items: number[] = [];
      if (container === ROOT) {
        for (let k = 0; k < this.inputCount; k++) items.push(this.nodeCount + this.groupCount + k);
        for (const g of this.view.rootGroups) items.push(this.groupItem(g));
        for (const n of this.view.rootNodes) items.push(n);
        for (let k = this.inputCount; k < this.ioTensor.length; k++) items.push(this.nodeCount + this.groupCount + k);
      } else {
        const g = this.view.groups[container]!;
        for (const child of g.children) items.push(this.groupItem(child));
        for (const n of g.nodes) items.push(n);
      }
      c = Int32Array.from(items);
      this.childrenCache.set(container, c);
    }
    return c;
  }

  /** Index of an item in its container's `childrenOf` list. */
  positionOf(item: number): number {
    if (!this.positions) {
      const pos = new Int32Array(this.itemCount).fill(-1);
      const fill = (container: number) => {
        const items = this.childrenOf(container);
        for (let i = 0; i < items.length; i++) pos[items[i]!] = i;
      };
      fill(ROOT);
      for (let g = 0; g < this.groupCount; g++) fill(g);
      this.positions = pos;
    }
    return this.positions[item]!;
  }

  /** `name`, or `#<id>` for unnamed nodes: the key overlays, view state and tests use. */
  nodeKey(n: number): string {
    const node = this.view.nodes[n]!;
    return node.name !== '' ? node.name : `#${node.id}`;
  }

  /** What a person reads: the name, or `OpType #id` for unnamed nodes. */
  nodeLabel(n: number): string {
    const node = this.view.nodes[n]!;
    return node.name !== '' ? node.name : `${node.opType} #${node.id}`;
  }

  /** A node by name or `#<id>`. */
  nodeByKey(key: string): number | undefined {
    return this.nodeKeyMap.get(key);
  }

  groupByPath(path: string): number | undefined {
    return this.groupPathMap.get(path);
  }

  /** A stable key for a group in view state: its path, plus `#id` when the path is not unique. */
  groupKey(g: number): string {
    const group = this.view.groups[g]!;
    return this.groupPathMap.get(group.path) === g ? group.path : `${group.path}#${g}`;
  }

  groupByKey(key: string): number | undefined {
    const direct = this.groupPathMap.get(key);
    if (direct !== undefined) return direct;
    const m = /#(\d+)$/.exec(key);
    if (!m) return undefined;
    const g = Number(m[1]);
    return g < this.groupCount && this.groupKey(g) === key ? g : undefined;
  }

  /** Groups holding an item, innermost first. */
  ancestors(item: number): number[] {
    const out: number[] = [];
    for (let g = this.parentOf(item); g !== ROOT; g = this.view.groups[g]!.parent) out.push(g);
    return out;
  }

  private computeDepth(g: number): number {
    let depth = 0;
    for (let p = g; p !== ROOT && depth <= this.groupCount; p = this.view.groups[p]!.parent) depth++;
    return depth;
  }
}
