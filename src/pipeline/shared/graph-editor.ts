/**
 * Graph surgery for the quantizers: a working copy of the main graph (nodes cloned, initializers shared with the
 * source model so that untouched weights are streamed from the source file when the output is written), unique
 * names, producer/consumer maps, new initializers, nodes inserted after a producer or replacing a node, and the
 * resulting ModelProto (nodes kept in topological order).
 */
import { longToNumber, toLong } from '../../core/long';
import { inferShapes } from '../../core/shape-inference';
import { onnx } from '../../core/proto/onnx';
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import type { Node, TensorProto as Tensor, Attribute } from '../../core/onnx-types';
export type { Node, TensorProto as Tensor, Attribute } from '../../core/onnx-types';


const A = onnx.AttributeProto.AttributeType;

/** Attribute builders. */
export const attr = {
  int: (name: string, v: number): Attribute => ({ name, type: A.INT, i: toLong(v) }),
  float: (name: string, v: number): Attribute => ({ name, type: A.FLOAT, f: v }),
  ints: (name: string, v: readonly number[]): Attribute => ({ name, type: A.INTS, ints: v.map(toLong) }),
  tensor: (name: string, t: Tensor): Attribute => ({ name, type: A.TENSOR, t }),
};

/** An attribute's value as a number (INT or FLOAT), or `fallback`. */
export function attrNumber(node: Node, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return fallback;
  if (a.type === A.FLOAT) return a.f ?? fallback;
  if (a.type === A.INT) return longToNumber(a.i);
  return a.f ? a.f : longToNumber(a.i);
}

/** A tensor with raw little-endian data (encoded inline when the model is written). */
export function rawTensor(name: string, dataType: DataType, dims: readonly number[], data: ArrayBufferView): Tensor {
  return { name, dataType, dims: dims.map(toLong), rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Dims of a tensor as numbers. */
export function dimsOf(t: Tensor): number[] {
  return (t.dims ?? []).map(longToNumber);
}

/** The name a node is known by in reports: its name, or `<op_type>_<index>` for an unnamed node (GraphEditor adds `_<k>` on a clash). */
export function nodeLabel(node: Node, index: number): string {
  return node.name ? node.name : `${node.opType ?? 'node'}_${index}`;
}

/** The opset version the model imports for `domain` ('' = the default ONNX domain), or 0. */
export function opsetVersion(proto: onnx.ModelProto.$Properties, domain = ''): number {
  for (const o of proto.opsetImport ?? []) {
    const d = o.domain ?? '';
    const same = domain === '' ? d === '' || d === 'ai.onnx' : d === domain;
    if (same) return longToNumber(o.version);
  }
  return 0;
}

/** Element type of every tensor of the main graph whose type is declared or inferred (0 = unknown). */
export function elementTypes(proto: onnx.ModelProto.$Properties): Map<string, number> {
  const types = inferShapes(proto.graph ?? {}, proto.opsetImport ?? [], undefined, { functions: proto.functions ?? [] });
  const out = new Map<string, number>();
  for (const [k, v] of types) out.set(k, v.elemType);
  return out;
}

/** A working copy of a model's main graph for rewriting. */
export class GraphEditor {
  /** Source nodes, cloned (input/output arrays copied), in source order; index = source index. */
  readonly nodes: Node[];
  readonly initializers = new Map<string, Tensor>();
  readonly graphInputs = new Set<string>();
  readonly graphOutputs = new Set<string>();
  /** Tensor name → indices of the source nodes reading it (main graph only). */
  readonly consumers = new Map<string, number[]>();
  /** Tensor name → index of the source node producing it. */
  readonly producers = new Map<string, number>();
  /** Names read by nodes inside subgraphs (outer-scope references). */
  readonly subgraphReads = new Set<string>();
  private readonly names = new Set<string>();
  private readonly added: Tensor[] = [];
  private readonly after = new Map<number, Node[]>();
  private readonly replaced = new Map<number, Node[]>();
  private readonly dropped = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly domains = new Map<string, number>();

  constructor(readonly proto: onnx.ModelProto) {
    const g = proto.graph ?? {};
    const named = new Set((g.node ?? []).map((n) => n.name ?? '').filter(Boolean));
    this.nodes = (g.node ?? []).map((n, i) => {
      let name = nodeLabel(n, i);
      for (let k = 1; !n.name && named.has(name); k++) name = `${nodeLabel(n, i)}_${k}`;
      named.add(name);
      return { ...n, name, input: [...(n.input ?? [])], output: [...(n.output ?? [])] };
    });
    for (const t of g.initializer ?? []) {
      this.initializers.set(t.name ?? '', t);
      this.names.add(t.name ?? '');
    }
    for (const v of g.input ?? []) this.graphInputs.add(v.name ?? '');
    for (const v of g.output ?? []) this.graphOutputs.add(v.name ?? '');
    for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) this.names.add(v.name ?? '');
    this.nodes.forEach((n, i) => {
      this.names.add(n.name ?? '');
      for (const x of n.input ?? []) {
        if (!x) continue;
        this.names.add(x);
        const list = this.consumers.get(x);
        if (list) {
          if (list[list.length - 1] !== i) list.push(i);
        } else this.consumers.set(x, [i]);
      }
      for (const y of n.output ?? []) {
        if (!y) continue;
        this.names.add(y);
        this.producers.set(y, i);
      }
      for (const a of n.attribute ?? []) {
        for (const sg of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) collectNames(sg, this.names, this.subgraphReads);
      }
    });
  }

  /** A name not used anywhere in the model (`base`, else `base_1`, `base_2`, …), reserved. */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  /** The initializer named `name` when it is a true constant (not also a graph input that may override it). */
  constant(name: string): Tensor | undefined {
    if (this.graphInputs.has(name)) return undefined;
    return this.initializers.get(name);
  }

  /** Why `name` cannot serve as a float32 weight, or undefined when it can. */
  weightIssue(name: string): string | undefined {
    const t = this.initializers.get(name);
    if (!t) return 'weight is not an initializer (computed at run time)';
    if (this.graphInputs.has(name)) {
      return 'weight is also a graph input (IR < 4 style), so it may be fed at run time; remove initializers from the graph inputs to quantize it';
    }
    if (t.dataType !== DataType.FLOAT) return `weight is ${dataTypeName(t.dataType ?? 0)}, not FLOAT`;
    return undefined;
  }

  /** Whether `name` is a float32 initializer (constant or not). */
  isFloatInitializer(name: string): boolean {
    return (this.initializers.get(name)?.dataType ?? 0) === DataType.FLOAT;
  }

  addInitializer(t: Tensor): string {
    this.added.push(t);
    this.names.add(t.name ?? '');
    return t.name ?? '';
  }

  /** Removes an initializer from the output when nothing reads it any more (checked by `build`). */
  dropInitializer(name: string): void {
    this.dropped.add(name);
  }

  /** Replaces a source initializer by `t` of the same name (e.g. converted to float16 in place). */
  replaceInitializer(t: Tensor): void {
    this.removed.add(t.name ?? '');
    this.added.push(t);
  }

  /** Inserts nodes right after the producer of `tensor` (or at the start of the graph for inputs/initializers). */
  insertAfterProducer(tensor: string, nodes: readonly Node[]): void {
    const at = this.producers.get(tensor) ?? -1;
    const list = this.after.get(at);
    if (list) list.push(...nodes);
    else this.after.set(at, [...nodes]);
  }

  /** Replaces source node `index` by `nodes` (in order). */
  replaceNode(index: number, nodes: readonly Node[]): void {
    this.replaced.set(index, [...nodes]);
  }

  /** Declares an opset import the rewritten graph needs (e.g. com.microsoft 1). */
  requireDomain(domain: string, version: number): void {
    this.domains.set(domain, Math.max(version, this.domains.get(domain) ?? 0));
  }

  /** The rewritten model: graph inputs/outputs kept, nodes in topological order, new opset imports. */
  build(overrides: Partial<onnx.GraphProto.$Properties> = {}): onnx.ModelProto {
    const g = this.proto.graph ?? {};
    const nodes: Node[] = [...(this.after.get(-1) ?? [])];
    this.nodes.forEach((n, i) => {
      nodes.push(...(this.replaced.get(i) ?? [n]));
      nodes.push(...(this.after.get(i) ?? []));
    });
    const read = new Set<string>([...this.graphOutputs, ...this.subgraphReads]);
    for (const n of nodes) for (const x of n.input ?? []) if (x) read.add(x);
    const keep = (t: Tensor) => !this.removed.has(t.name ?? '') && (!this.dropped.has(t.name ?? '') || read.has(t.name ?? ''));
    const initializer = [...(g.initializer ?? []).filter(keep), ...this.added];
    const opsetImport = [...(this.proto.opsetImport ?? [])];
    for (const [domain, version] of this.domains) {
      const i = opsetImport.findIndex((o) => (o.domain ?? '') === domain);
      if (i < 0) opsetImport.push({ domain, version: toLong(version) });
      else if (longToNumber(opsetImport[i]!.version) < version) opsetImport[i] = { ...opsetImport[i], version: toLong(version) };
    }
    const graph: onnx.GraphProto.$Properties = { ...g, node: nodes, initializer, ...overrides };
    return onnx.ModelProto.create({ ...this.proto, opsetImport, graph });
  }
}

/** Collects every name used inside a subgraph and the names it reads that it does not define (outer scope). */
function collectNames(g: onnx.GraphProto.$Properties, names: Set<string>, outerReads: Set<string>): void {
  const defined = new Set<string>();
  for (const t of g.initializer ?? []) defined.add(t.name ?? '');
  for (const v of g.input ?? []) defined.add(v.name ?? '');
  for (const n of g.node ?? []) for (const y of n.output ?? []) defined.add(y);
  for (const n of g.node ?? []) {
    if (n.name) names.add(n.name);
    for (const x of n.input ?? []) {
      if (!x) continue;
      names.add(x);
      if (!defined.has(x)) outerReads.add(x);
    }
    for (const y of n.output ?? []) names.add(y);
    for (const a of n.attribute ?? []) {
      for (const sg of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
        const inner = new Set<string>();
        collectNames(sg, names, inner);
        for (const x of inner) if (!defined.has(x)) outerReads.add(x);
      }
    }
  }
}
