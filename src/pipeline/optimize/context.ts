/**
 * PassContext: the mutable main graph a pass rewrites, with the lookups passes share (producers, consumers,
 * constants, shapes) and undo snapshots. Initializer TensorProtos are never mutated: passes add new ones, so
 * those shared with the source file are still streamed from it when the model is written.
 */
import { loadShapeConstants } from '../../core/graph-view';
import { longToNumber } from '../../core/long';
import { deriveModel, type OnnxModel } from '../../core/model';
import { onnx } from '../../core/proto/onnx';
import { inferShapes, opsetMap, type ConstValue, type TypeInfo } from '../../core/shape-inference';
import { encodeTensorValues } from '../../core/tensor/decode';
import type { DecodedTensor } from '../../core/tensor/types';
import type { RuntimeOptions } from '../../protocol/worker';
import { constantNodeValue } from './constant-node';
import { isOnnxOp, subgraphReferences, type Node } from '../shared/nodes';
import { restoreGraph, snapshotGraph, type GraphSnapshot } from './snapshot';
import type { TensorProto } from '../shared/tensors';

/** Where each tensor comes from and who reads it, in the main graph. */
export interface GraphIndex {
  readonly producer: ReadonlyMap<string, Node>;
  readonly consumers: ReadonlyMap<string, readonly Node[]>;
}

export class PassContext {
  readonly warnings: string[] = [];
  /** onnxruntime options for passes that evaluate subgraphs (constant folding). */
  runtime: RuntimeOptions = {};
  /** Every name ever used, so generated names never collide (even with removed tensors). */
  private readonly usedNames = new Set<string>();
  private readonly lazyConstants = new WeakMap<object, ConstValue | null>();
  private initCache: { list: readonly TensorProto[]; length: number; map: Map<string, TensorProto> } | undefined;

  /**
   * @param source the opened model (reads lazily held initializer data)
   * @param proto the working model; its graph is replaced on restore
   */
  constructor(
    readonly source: OnnxModel,
    readonly proto: onnx.ModelProto,
  ) {
    this.rememberNames();
  }

  /** A working copy of `source`'s model whose graph can be rewritten without touching `source.proto`. */
  static fromModel(source: OnnxModel): PassContext {
    const graph = restoreGraph(snapshotGraph(source.proto.graph ?? {}));
    return new PassContext(source, onnx.ModelProto.create({ ...source.proto, graph }));
  }

  get graph(): onnx.GraphProto {
    if (!this.proto.graph) this.proto.graph = onnx.GraphProto.create({});
    return this.proto.graph as onnx.GraphProto;
  }

  /** Version of the default ONNX domain the model imports (1 when it imports none). */
  get opset(): number {
    return opsetMap(this.proto.opsetImport ?? []).get('ai.onnx') ?? 1;
  }

  get irVersion(): number {
    return longToNumber(this.proto.irVersion);
  }

  /** The working model as an OnnxModel for `writeModel` (shared initializers still stream from the source). */
  derived(): OnnxModel {
    return deriveModel(this.source, this.proto);
  }

  snapshot(): GraphSnapshot {
    return snapshotGraph(this.graph);
  }

  restore(s: GraphSnapshot): void {
    this.proto.graph = restoreGraph(s);
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  nodes(): Node[] {
    return this.graph.node ?? (this.graph.node = []);
  }

  index(): GraphIndex {
    const producer = new Map<string, Node>();
    const consumers = new Map<string, Node[]>();
    for (const n of this.nodes()) {
      for (const o of n.output ?? []) if (o) producer.set(o, n);
      for (const i of n.input ?? []) {
        if (!i) continue;
        const list = consumers.get(i);
        if (!list) consumers.set(i, [n]);
        else if (list[list.length - 1] !== n) list.push(n);
      }
    }
    return { producer, consumers };
  }

  graphOutputs(): Set<string> {
    return new Set((this.graph.output ?? []).map((o) => o.name ?? ''));
  }

  graphInputs(): Set<string> {
    return new Set((this.graph.input ?? []).map((o) => o.name ?? ''));
  }

  /** Names the main graph's subgraphs may read from it (conservative superset). */
  outerScopeNames(): Set<string> {
    const out = new Set<string>();
    for (const n of this.nodes()) subgraphReferences(n, out);
    return out;
  }

  /** Names no pass may rename or remove the producer of: graph outputs and names read by subgraphs. */
  pinnedNames(): Set<string> {
    const s = this.outerScopeNames();
    for (const o of this.graphOutputs()) s.add(o);
    return s;
  }

  initializer(name: string): TensorProto | undefined {
    return this.initializerMap().get(name);
  }

  /**
   * An initializer whose value cannot be overridden by a feed: from IR 4 on, an initializer also listed as a
   * graph input is a default value, not a constant (onnxruntime's rule too).
   */
  isConstantInitializer(name: string): boolean {
    return this.initializerMap().has(name) && (this.irVersion < 4 || !this.graph.input?.some((i) => i.name === name));
  }

  /** Names of the initializers that are constants (see `isConstantInitializer`). */
  constantInitializerNames(): Set<string> {
    const inputs = this.irVersion < 4 ? new Set<string>() : this.graphInputs();
    return new Set([...this.initializerMap().keys()].filter((n) => !inputs.has(n)));
  }

  /** Initializers by name, rebuilt when the list changes (new array, or initializers added/removed). */
  private initializerMap(): Map<string, TensorProto> {
    const list = this.graph.initializer ?? [];
    const c = this.initCache;
    if (c && c.list === list && c.length === list.length) return c.map;
    const map = new Map(list.map((t) => [t.name ?? '', t] as const));
    this.initCache = { list, length: list.length, map };
    return map;
  }

  /** The value of a constant initializer or of a Constant node's output (value, value_float(s), value_int(s)). */
  async constant(name: string, index: GraphIndex = this.index()): Promise<DecodedTensor | undefined> {
    if (this.isConstantInitializer(name)) return this.source.readTensor(this.initializer(name)!);
    const p = index.producer.get(name);
    if (!p || !isOnnxOp(p, 'Constant')) return undefined;
    return constantNodeValue(p);
  }

  /** A TensorProto with its data inline (lazily held or external data read), for models built in memory. */
  async inlineTensor(t: TensorProto): Promise<TensorProto> {
    const full = await this.source.loadTensorProto(t);
    if ((full.dataLocation ?? 0) !== onnx.TensorProto.DataLocation.EXTERNAL) return full;
    const d = await this.source.readTensor(t);
    return { name: t.name, dims: t.dims, dataType: t.dataType, rawData: encodeTensorValues(d.dataType, d.values) };
  }

  /**
   * Adds an initializer (IR < 4 models list every initializer as a graph input too, so it is added there
   * as well). Its name must be fresh (see `uniqueName`).
   */
  addInitializer(t: TensorProto): void {
    (this.graph.initializer ??= []).push(t);
    this.usedNames.add(t.name ?? '');
    if (this.irVersion < 4) {
      (this.graph.input ??= []).push({
        name: t.name,
        type: { tensorType: { elemType: t.dataType, shape: { dim: (t.dims ?? []).map((d) => ({ dimValue: d })) } } },
      });
    }
  }

  /** `base` if no tensor or node ever had that name, else `base_1`, `base_2`, … */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** Replaces `old` by `replacement` at the same position (keeps the topological order). */
  replaceNode(old: Node, replacement: Node): void {
    const nodes = this.nodes();
    const i = nodes.indexOf(old);
    if (i < 0) throw new Error(`node '${old.name ?? old.opType}' is not in the graph`);
    nodes[i] = replacement;
    for (const o of replacement.output ?? []) this.usedNames.add(o);
  }

  removeNodes(dead: ReadonlySet<Node>): void {
    if (dead.size > 0) this.graph.node = this.nodes().filter((n) => !dead.has(n));
  }

  /** Drops value_info entries for `names` (stale types after a rename). */
  dropValueInfo(names: ReadonlySet<string>): void {
    if (this.graph.valueInfo?.length) this.graph.valueInfo = this.graph.valueInfo.filter((v) => !names.has(v.name ?? ''));
  }

  /** Inferred element types and shapes of the main graph's tensors (declared ones first). */
  async shapes(): Promise<Map<string, TypeInfo>> {
    const constants = new Map<string, ConstValue>();
    const pending: TensorProto[] = [];
    for (const t of this.graph.initializer ?? []) {
      if (!t.name || !this.source.lazyRef(t)) continue;
      const v = this.lazyConstants.get(t);
      if (v === undefined) pending.push(t);
      else if (v) constants.set(t.name, v);
    }
    if (pending.length > 0) {
      const loaded = await loadShapeConstants(deriveModel(this.source, onnx.ModelProto.create({ graph: { initializer: pending } })));
      for (const t of pending) {
        const v = loaded.get(t.name ?? '') ?? null;
        this.lazyConstants.set(t, v);
        if (v) constants.set(t.name!, v);
      }
    }
    return inferShapes(this.graph, this.proto.opsetImport ?? [], undefined, { constants, functions: this.proto.functions ?? [] });
  }

  private rememberNames(): void {
    const g = this.graph;
    for (const t of g.initializer ?? []) this.usedNames.add(t.name ?? '');
    for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) this.usedNames.add(v.name ?? '');
    for (const n of g.node ?? []) {
      if (n.name) this.usedNames.add(n.name);
      for (const o of n.output ?? []) this.usedNames.add(o);
      for (const i of n.input ?? []) this.usedNames.add(i);
      subgraphReferences(n, this.usedNames);
    }
  }
}
