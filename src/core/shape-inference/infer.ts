/**
 * Shape inference without onnxruntime: declared types first (inputs, initializers, value_info, outputs),
 * then one pass over the nodes in topological order, each by its operator rule. Small integer values
 * (shapes built by Shape → Gather → Concat chains) are carried along so Reshape/Expand targets resolve.
 * Malformed models never throw: a node whose rule fails just leaves its outputs unknown.
 */
import { longToNumber } from '../long';
import { normalizeDomain } from '../graph-walk';
import { inlineConst, tensorDims } from './constants';
import { NodeCtx, type Scope } from './context';
import { RULES } from './ops/registry';
import './ops/elementwise';
import './ops/conv-pool';
import './ops/linalg';
import './ops/reshape';
import './ops/select';
import './ops/values';
import './ops/control';
import type { ConstValue, Dim, InferOptions, InferResult, Opsets, TypeInfo } from './types';
import type { Graph, Node, TypeProto, FunctionProto } from '../onnx-types';


/** A function body seen as a graph (inputs and outputs are names only; value_info from IR 10 kept). */
export function functionAsGraph(f: FunctionProto): Graph {
  return {
    name: f.name ?? '',
    node: f.node ?? [],
    input: (f.input ?? []).map((name) => ({ name })),
    output: (f.output ?? []).map((name) => ({ name })),
    valueInfo: f.valueInfo ?? [],
    initializer: [],
  };
}

/** Key of a function or of a node calling one: domain, name/op_type and overload. */
export function functionKey(domain: string | null | undefined, name: string | null | undefined, overload?: string | null): string {
  return `${normalizeDomain(domain)}\u0000${name ?? ''}\u0000${overload ?? ''}`;
}

/** Default-domain opset assumed when a model imports none. */
const DEFAULT_OPSET = 21;
/** Deepest subgraph nesting we infer into. */
const MAX_DEPTH = 16;

/** Opset imports as a map keyed by normalized domain (`ai.onnx` for the default one). */
export function opsetMap(opsets: Opsets | undefined): Map<string, number> {
  const m = new Map<string, number>();
  if (!opsets) return m;
  if (opsets instanceof Map) {
    for (const [d, v] of opsets) m.set(normalizeDomain(d), v);
    return m;
  }
  for (const o of opsets as readonly { domain?: string | null; version?: unknown }[]) {
    m.set(normalizeDomain(o.domain), longToNumber(o.version as number));
  }
  return m;
}

/** Element type and shape of a declared TypeProto (tensors and sparse tensors only). */
export function typeInfoOf(t: TypeProto | null | undefined): TypeInfo | undefined {
  const tt = t?.tensorType ?? t?.sparseTensorType;
  if (!tt) return undefined;
  const shape = tt.shape
    ? (tt.shape.dim ?? []).map((d): Dim => {
        if (d.dimValue !== null && d.dimValue !== undefined) return longToNumber(d.dimValue);
        return d.dimParam ? d.dimParam : null;
      })
    : null;
  return { elemType: tt.elemType ?? 0, shape };
}

/** Declared info completed by inferred info: declared dims win, unknown ones are filled in. */
function refine(declared: TypeInfo | undefined, inferred: TypeInfo): TypeInfo {
  if (!declared) return inferred;
  const elemType = declared.elemType || inferred.elemType;
  if (!declared.shape) return { elemType, shape: inferred.shape };
  if (!inferred.shape || inferred.shape.length !== declared.shape.length) return { elemType, shape: declared.shape };
  return { elemType, shape: declared.shape.map((d, i) => (d === null ? inferred.shape![i]! : d)) };
}

/** Order of the nodes to infer: the given order when it is topological (the norm), else a topological sort. */
export function nodeOrder(nodes: readonly Node[]): number[] | null {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) if (o && !producer.has(o)) producer.set(o, i);
  });
  let sorted = true;
  outer: for (let i = 0; i < nodes.length; i++) {
    for (const x of nodes[i]!.input ?? []) {
      const p = x ? producer.get(x) : undefined;
      if (p !== undefined && p >= i) {
        sorted = false;
        break outer;
      }
    }
  }
  if (sorted) return null;
  // Kahn's algorithm, lowest index first among ready nodes; nodes left in cycles keep their order at the end.
  const indeg = new Array<number>(nodes.length).fill(0);
  const users: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const seen = new Set<number>();
    for (const x of n.input ?? []) {
      const p = x ? producer.get(x) : undefined;
      if (p === undefined || seen.has(p)) continue;
      seen.add(p);
      indeg[i]!++;
      users[p]!.push(i);
    }
  });
  const heap = new MinHeap();
  indeg.forEach((d, i) => d === 0 && heap.push(i));
  const order: number[] = [];
  const done = new Uint8Array(nodes.length);
  while (heap.size > 0) {
    const i = heap.pop();
    order.push(i);
    done[i] = 1;
    for (const u of users[i]!) if (--indeg[u]! === 0) heap.push(u);
  }
  for (let i = 0; i < nodes.length; i++) if (!done[i]) order.push(i);
  return order;
}

class MinHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const m = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[m]! >= last) break;
        a[i] = a[m]!;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

interface OuterScope {
  type(name: string): TypeInfo | undefined;
  value(name: string): ConstValue | undefined;
}

/** Infers one graph; `outer` resolves names of enclosing graphs, `inputTypes` types undeclared graph inputs by position. */
export function inferGraph(
  graph: Graph,
  opsets: ReadonlyMap<string, number>,
  outer: OuterScope | undefined,
  options: InferOptions = {},
  inputTypes?: readonly (TypeInfo | undefined)[],
  depth = 0,
  memo: Map<object, InferResult> = new Map(),
): InferResult {
  const types = new Map<string, TypeInfo>();
  const values = new Map<string, ConstValue>();
  const declared = new Map<string, TypeInfo>();

  for (const t of graph.initializer ?? []) {
    if (!t.name) continue;
    types.set(t.name, { elemType: t.dataType ?? 0, shape: tensorDims(t) });
    const v = options.constants?.get(t.name) ?? inlineConst(t);
    if (v) values.set(t.name, v);
  }
  for (const s of graph.sparseInitializer ?? []) {
    const name = s.values?.name;
    if (name) types.set(name, { elemType: s.values?.dataType ?? 0, shape: (s.dims ?? []).map((d) => longToNumber(d)) });
  }
  (graph.input ?? []).forEach((vi, i) => {
    if (!vi.name) return;
    const t = typeInfoOf(vi.type);
    const given = inputTypes?.[i];
    const init = types.get(vi.name);
    if (t && t.shape) types.set(vi.name, init ? refine(t, init) : given ? refine(t, given) : t);
    else if (init) types.set(vi.name, t ? { elemType: t.elemType || init.elemType, shape: init.shape } : init);
    else if (given) types.set(vi.name, t ? refine(t, given) : given);
    else if (t) types.set(vi.name, t);
  });
  for (const vi of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    if (!vi.name || types.has(vi.name)) continue;
    const t = typeInfoOf(vi.type);
    if (t) declared.set(vi.name, t);
  }
  const nodes = graph.node ?? [];
  // Values declared before they are produced (value_info of intermediates) are visible from the start.
  for (const [name, t] of declared) types.set(name, t);

  const scope: Scope = {
    type: (n) => types.get(n) ?? outer?.type(n),
    value: (n) => values.get(n) ?? (types.has(n) ? undefined : outer?.value(n)),
    inferSubgraph: (g, inputs) => {
      if (depth >= MAX_DEPTH) return [];
      // A graph object met twice in one run (shared in memory) is inferred once.
      let r = memo.get(g);
      if (!r) {
        r = inferGraph(g, opsets, scope, options, inputs, depth + 1, memo);
        memo.set(g, r);
        options.subgraphResults?.set(g, r);
      }
      return (g.output ?? []).map((o) => (o.name ? r.types.get(o.name) : undefined));
    },
  };
  let functions: Map<string, Graph> | undefined;
  if (options.functions && options.functions.length > 0) {
    functions = new Map();
    for (const f of options.functions) functions.set(functionKey(f.domain, f.name, f.overload), functionAsGraph(f));
  }

  const order = nodeOrder(nodes);
  const count = nodes.length;
  for (let k = 0; k < count; k++) {
    const node = nodes[order ? order[k]! : k]!;
    const outputs = node.output;
    if (!outputs || outputs.length === 0) continue;
    const domain = node.domain && node.domain !== 'ai.onnx' ? node.domain : '';
    const fn = RULES.get(`${domain}:${node.opType ?? ''}`);
    const body = fn ? undefined : functions?.get(functionKey(node.domain, node.opType, node.overload));
    if (!fn && !body) continue;
    const ctx = new NodeCtx(node, opsets.get(domain || 'ai.onnx') ?? DEFAULT_OPSET, scope);
    try {
      if (fn) fn(ctx);
      else if (depth < MAX_DEPTH) {
        // A function body sees only its own inputs (no outer scope).
        const inputs = (node.input ?? []).map((x) => (x ? scope.type(x) : undefined));
        const r = inferGraph(body!, opsets, undefined, options, inputs, depth + 1, memo);
        (body!.output ?? []).forEach((o, i) => {
          const t = o.name ? r.types.get(o.name) : undefined;
          if (t) ctx.set(i, t.elemType, t.shape, o.name ? r.values.get(o.name) : undefined);
        });
      }
    } catch {
      continue;
    }
    for (let i = 0; i < outputs.length; i++) {
      const name = outputs[i];
      const out = ctx.outs[i];
      if (!name || !out) continue;
      const t = refine(declared.get(name), out.type);
      if (t.shape) for (let j = 0; j < t.shape.length; j++) {
        const d = t.shape[j];
        if (typeof d === 'number' && !(Number.isSafeInteger(d) && d >= 0)) t.shape[j] = null;
      }
      types.set(name, t);
      if (out.value) values.set(name, out.value);
    }
  }
  return { types, values };
}

/**
 * Types and shapes of the tensors of `graph`: declared ones, completed by inference through the nodes.
 * `outer` gives the types of names visible from enclosing graphs (for If/Loop bodies).
 */
export function inferShapes(
  graph: Graph,
  opsets?: Opsets,
  outer?: ReadonlyMap<string, TypeInfo>,
  options?: InferOptions,
): Map<string, TypeInfo> {
  const scope: OuterScope | undefined = outer ? { type: (n) => outer.get(n), value: () => undefined } : undefined;
  return inferGraph(graph, opsetMap(opsets), scope, options).types;
}

/** Like {@link inferShapes}, also returning the (partially) known values of small tensors. */
export function inferGraphTypes(graph: Graph, opsets?: Opsets, outer?: OuterScope, options?: InferOptions): InferResult {
  return inferGraph(graph, opsetMap(opsets), outer, options);
}

export type { OuterScope };
