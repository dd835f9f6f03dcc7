/** The GraphView of one graph of a model: nodes, tensors (declared or inferred shapes), groups from name scopes. */
import type { GraphView, GvNode, GvTensor } from './graph-types';
import { longToNumber } from '../long';
import type { OnnxModel } from '../model';
import type { onnx } from '../proto/onnx';
import {
  functionKey,
  inferGraphTypes,
  opsetMap,
  typeInfoOf,
  type ConstValue,
  type InferResult,
  type OuterScope,
  type TypeInfo,
} from '../shape-inference';
import { sameShape } from '../shape-inference/dims';
import { dataTypeName } from '../tensor/dtypes';
import { describeType } from '../types-text';
import { opCategory } from './categories';
import { buildHierarchy } from './hierarchy';
import { breadcrumbOf, calledFunction, functionPath, resolveGraph, subgraphPaths, type ResolvedGraph } from './resolve';
import type { Graph, ModelProto } from '../onnx-types';


export interface GraphViewOptions {
  /** Values of lazily held initializers (see `loadShapeConstants`), so shape chains through them resolve. */
  readonly constants?: ReadonlyMap<string, ConstValue>;
}

/** Shape inference for each level of a resolved path (root first), enclosing graphs serving as outer scope. */
export function inferResolved(model: ModelProto, r: ResolvedGraph, constants?: ReadonlyMap<string, ConstValue>): InferResult[] {
  const opsets = opsetMap(model.opsetImport ?? []);
  const functions = model.functions ?? [];
  const captured = new Map<object, InferResult>();
  const rootOptions = { constants, functions, subgraphResults: captured };
  let inputTypes: (TypeInfo | undefined)[] | undefined;
  if (r.fn && model.graph) {
    // Type a function's inputs from its first call in the main graph.
    const main = inferGraphTypes(model.graph, opsets, undefined, { constants, functions });
    const key = functionKey(r.fn.domain, r.fn.name, r.fn.overload);
    const call = (model.graph.node ?? []).find((n) => functionKey(n.domain, n.opType, n.overload) === key);
    if (call) inputTypes = (call.input ?? []).map((x) => (x ? main.types.get(x) : undefined));
  }
  let result = inferGraphTypesWithInputs(r.levels[0]!.graph, opsets, undefined, rootOptions, inputTypes);
  const results: InferResult[] = [result];
  for (let i = 1; i < r.levels.length; i++) {
    const level = r.levels[i]!;
    const got = captured.get(level.graph);
    if (got) result = got;
    else {
      // Not reached by a rule (e.g. an unknown op holding a graph): infer it against its enclosing graphs.
      const chain = [...results];
      const outer: OuterScope = {
        type: (n) => {
          for (let k = chain.length - 1; k >= 0; k--) {
            const t = chain[k]!.types.get(n);
            if (t) return t;
          }
          return undefined;
        },
        value: (n) => {
          for (let k = chain.length - 1; k >= 0; k--) {
            const v = chain[k]!.values.get(n);
            if (v) return v;
          }
          return undefined;
        },
      };
      result = inferGraphTypesWithInputs(level.graph, opsets, outer, { functions, subgraphResults: captured });
    }
    results.push(result);
  }
  return results;
}

function inferGraphTypesWithInputs(
  g: Graph,
  opsets: ReadonlyMap<string, number>,
  outer: OuterScope | undefined,
  options: Parameters<typeof inferGraphTypes>[3],
  inputTypes?: readonly (TypeInfo | undefined)[],
): InferResult {
  if (!inputTypes) return inferGraphTypes(g, opsets, outer, options);
  // Undeclared inputs typed by position: declare them for the inference.
  const input = (g.input ?? []).map((vi, i) => {
    const t = inputTypes[i];
    if (vi.type || !t) return vi;
    return { ...vi, type: { tensorType: { elemType: t.elemType, shape: t.shape ? { dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) } : null } } } as onnx.ValueInfoProto.$Properties;
  });
  return inferGraphTypes({ ...g, input }, opsets, outer, options);
}

/** Names defined in the enclosing graphs of a resolved path (for `outer` tensors). */
function outerNames(r: ResolvedGraph): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < r.levels.length - 1; i++) {
    const g = r.levels[i]!.graph;
    for (const vi of g.input ?? []) if (vi.name) names.add(vi.name);
    for (const t of g.initializer ?? []) if (t.name) names.add(t.name);
    for (const s of g.sparseInitializer ?? []) if (s.values?.name) names.add(s.values.name);
    for (const n of g.node ?? []) for (const o of n.output ?? []) if (o) names.add(o);
  }
  return names;
}

/** Builds the view of the graph at `path` (`main`, `main/<node>:<attr>`, `function:<domain>/<name>`). */
export function buildGraphView(model: OnnxModel, path = 'main', options: GraphViewOptions = {}): GraphView {
  return buildGraphViewOfProto(model.proto, path, options);
}

export function buildGraphViewOfProto(proto: ModelProto, path = 'main', options: GraphViewOptions = {}): GraphView {
  const r = resolveGraph(proto, path);
  const g = r.graph;
  const nodesIn = g.node ?? [];
  let levels: InferResult[];
  try {
    levels = inferResolved(proto, r, options.constants);
  } catch {
    levels = [];
  }
  const inferredType = (name: string): TypeInfo | undefined => {
    for (let k = levels.length - 1; k >= 0; k--) {
      const t = levels[k]!.types.get(name);
      if (t) return t;
    }
    return undefined;
  };

  // Declared types (value_info, inputs, outputs) and non-tensor type descriptions.
  const declared = new Map<string, TypeInfo>();
  const otherTypes = new Map<string, string>();
  for (const vi of [...(g.input ?? []), ...(g.valueInfo ?? []), ...(g.output ?? [])]) {
    if (!vi.name || !vi.type) continue;
    const t = typeInfoOf(vi.type);
    if (t) {
      if (!declared.has(vi.name)) declared.set(vi.name, t);
    } else otherTypes.set(vi.name, describeType(vi.type).text);
  }
  const initializers = new Map<string, TypeInfo>();
  for (const t of g.initializer ?? []) if (t.name) initializers.set(t.name, { elemType: t.dataType ?? 0, shape: (t.dims ?? []).map((d) => longToNumber(d)) });
  for (const s of g.sparseInitializer ?? []) {
    const name = s.values?.name;
    if (name) initializers.set(name, { elemType: s.values?.dataType ?? 0, shape: (s.dims ?? []).map((d) => longToNumber(d)) });
  }
  const inputNames = new Set((g.input ?? []).map((v) => v.name ?? ''));
  const outputNames = new Set((g.output ?? []).map((v) => v.name ?? ''));
  const outer = r.levels.length > 1 ? outerNames(r) : new Set<string>();

  // Tensors in order of appearance.
  const ids = new Map<string, number>();
  const names: string[] = [];
  const producers: number[] = [];
  const consumers: number[][] = [];
  const idOf = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
      producers.push(-1);
      consumers.push([]);
    }
    return id;
  };
  for (const vi of g.input ?? []) if (vi.name) idOf(vi.name);
  for (const name of initializers.keys()) idOf(name);
  const nodes: GvNode[] = new Array<GvNode>(nodesIn.length);
  const nodeNames: string[] = new Array<string>(nodesIn.length);
  const nodeInputs: number[][] = [];
  const nodeOutputs: number[][] = [];
  for (let i = 0; i < nodesIn.length; i++) {
    const n = nodesIn[i]!;
    const ins = (n.input ?? []).map((x) => {
      if (!x) return -1;
      const id = idOf(x);
      const c = consumers[id]!;
      if (c[c.length - 1] !== i) c.push(i);
      return id;
    });
    const outs = (n.output ?? []).map((x) => {
      if (!x) return -1;
      const id = idOf(x);
      if (producers[id] === -1) producers[id] = i;
      return id;
    });
    nodeInputs.push(ins);
    nodeOutputs.push(outs);
    nodeNames[i] = n.name ?? '';
  }
  for (const vi of g.output ?? []) if (vi.name) idOf(vi.name);

  const hierarchy = buildHierarchy(nodeNames);
  for (let i = 0; i < nodesIn.length; i++) {
    const n = nodesIn[i]!;
    const fn = calledFunction(proto, n);
    const subs = subgraphPaths(path, n, i);
    const node: GvNode = {
      id: i,
      name: nodeNames[i]!,
      opType: n.opType ?? '',
      domain: n.domain && n.domain !== 'ai.onnx' ? n.domain : '',
      category: opCategory(n.opType ?? '', n.domain, fn !== undefined),
      inputs: nodeInputs[i]!,
      outputs: nodeOutputs[i]!,
      group: hierarchy.nodeGroup[i]!,
      ...(subs.length > 0 ? { subgraphs: subs.map((s) => ({ attr: s.attr, path: s.path })) } : {}),
      ...(fn ? { functionPath: functionPath(fn) } : {}),
    };
    nodes[i] = node;
  }

  const tensors: GvTensor[] = names.map((name, id) => {
    const producer = producers[id]!;
    const init = initializers.get(name);
    const kind: GvTensor['kind'] = init
      ? 'initializer'
      : inputNames.has(name)
        ? 'input'
        : outputNames.has(name)
          ? 'output'
          : producer < 0 && outer.has(name)
            ? 'outer'
            : 'intermediate';
    const decl = init ?? declared.get(name);
    const t: TypeInfo | undefined = init ?? (kind === 'outer' ? inferredType(name) : levels[levels.length - 1]?.types.get(name)) ?? decl;
    const other = otherTypes.get(name);
    let shapeSource: GvTensor['shapeSource'] = null;
    if (t && (t.shape || t.elemType)) shapeSource = decl && decl.elemType === t.elemType && sameShape(decl.shape, t.shape) ? 'declared' : 'inferred';
    else if (other) shapeSource = 'declared';
    return {
      id,
      name,
      elemType: t && t.elemType ? dataTypeName(t.elemType) : (other ?? null),
      shape: t?.shape ?? null,
      shapeSource,
      kind,
      producer,
      consumers: consumers[id]!,
    };
  });

  return {
    path,
    breadcrumb: breadcrumbOf(proto, r),
    name: r.levels[r.levels.length - 1]!.label,
    nodes,
    tensors,
    groups: hierarchy.groups,
    rootGroups: hierarchy.rootGroups,
    rootNodes: hierarchy.rootNodes,
    inputs: (g.input ?? []).filter((v) => v.name && !initializers.has(v.name)).map((v) => ids.get(v.name!)!),
    outputs: (g.output ?? []).filter((v) => v.name).map((v) => ids.get(v.name!)!),
    functions: (proto.functions ?? []).map((f) => ({ path: functionPath(f), label: `${f.domain ? `${f.domain}.` : ''}${f.name ?? ''}` })),
  };
}
