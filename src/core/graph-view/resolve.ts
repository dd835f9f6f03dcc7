/**
 * Graph paths: `main`, `main/<node>:<attr>` for subgraphs (the node's name, or `<op_type>_<index>` when it
 * has none — as `walkGraphs` writes them; a GRAPHS attribute's later graphs get `#<i>`), and
 * `function:<domain>/<name>` for model-local functions (their subgraphs nest the same way).
 */
import { OnnxFormatError } from '../errors';
import { normalizeDomain, subgraphsOf } from '../graph-walk';
import type { onnx } from '../proto/onnx';
import { functionAsGraph } from '../shape-inference';
import type { Graph, Node, FunctionProto } from '../onnx-types';


/** The path names a graph the model does not hold. */
export class GraphPathError extends Error {
  constructor(readonly path: string) {
    super(`no graph at path '${path}' in this model`);
    this.name = 'GraphPathError';
  }
}

export interface GraphLevel {
  readonly graph: Graph;
  readonly path: string;
  readonly label: string;
  /** The node holding this graph in an attribute (undefined for main and functions). */
  readonly owner?: Node;
}

export interface ResolvedGraph {
  /** From the root (main or the function) to the graph itself. */
  readonly levels: readonly GraphLevel[];
  readonly graph: Graph;
  readonly path: string;
  /** Set when the path lies inside a model-local function. */
  readonly fn?: FunctionProto;
}

/** Label a node's subgraphs are reached by (`walkGraphs` compatible). */
export function nodeLabel(n: Node, index: number): string {
  return n.name || `${n.opType ?? 'node'}_${index}`;
}

/** The subgraphs of node `index` with the paths that open them. */
export function subgraphPaths(parentPath: string, n: Node, index: number): { attr: string; path: string; graph: Graph }[] {
  const label = nodeLabel(n, index);
  const seen = new Map<string, number>();
  return subgraphsOf(n).map((s) => {
    const k = seen.get(s.attr) ?? 0;
    seen.set(s.attr, k + 1);
    return { attr: s.attr, path: `${parentPath}/${label}:${s.attr}${k > 0 ? `#${k}` : ''}`, graph: s.graph };
  });
}

export function functionPath(f: { domain?: string | null; name?: string | null; overload?: string | null }): string {
  return `function:${normalizeDomain(f.domain)}/${f.name ?? ''}${f.overload ? `@${f.overload}` : ''}`;
}

/** The function a node calls, if the model defines one with its domain, op_type (and overload). */
export function calledFunction(model: onnx.ModelProto.$Properties, n: Node): FunctionProto | undefined {
  const fns = model.functions;
  if (!fns || fns.length === 0) return undefined;
  const d = normalizeDomain(n.domain);
  return fns.find((f) => f.name === n.opType && normalizeDomain(f.domain) === d && (f.overload ?? '') === (n.overload ?? ''));
}

function descend(levels: GraphLevel[], path: string): void {
  for (;;) {
    const cur = levels[levels.length - 1]!;
    if (cur.path === path) return;
    let best: { path: string; graph: Graph; owner: Node; label: string } | undefined;
    (cur.graph.node ?? []).forEach((n, i) => {
      for (const s of subgraphPaths(cur.path, n, i)) {
        if ((path === s.path || path.startsWith(`${s.path}/`)) && (!best || s.path.length > best.path.length)) {
          best = { path: s.path, graph: s.graph, owner: n, label: s.path.slice(cur.path.length + 1) };
        }
      }
    });
    if (!best) throw new GraphPathError(path);
    levels.push({ graph: best.graph, path: best.path, label: best.label, owner: best.owner });
  }
}

/** Finds the graph a path names; throws GraphPathError when there is none. */
export function resolveGraph(model: onnx.ModelProto.$Properties, path: string): ResolvedGraph {
  const levels: GraphLevel[] = [];
  let fn: FunctionProto | undefined;
  if (path === 'main' || path.startsWith('main/')) {
    // A ModelProto without a graph is a broken file (every model has one), not a bad path.
    if (!model.graph) throw new OnnxFormatError('malformed', 'not a valid ONNX model: it has no graph');
    levels.push({ graph: model.graph, path: 'main', label: model.graph.name || 'main' });
  } else if (path.startsWith('function:')) {
    let bestLen = -1;
    for (const f of model.functions ?? []) {
      const fp = functionPath(f);
      if ((path === fp || path.startsWith(`${fp}/`)) && fp.length > bestLen) {
        fn = f;
        bestLen = fp.length;
      }
    }
    if (!fn) throw new GraphPathError(path);
    levels.push({ graph: functionAsGraph(fn), path: functionPath(fn), label: fn.name ?? '' });
  } else throw new GraphPathError(path);
  descend(levels, path);
  return { levels, graph: levels[levels.length - 1]!.graph, path, fn };
}

/** Breadcrumb of a resolved graph (functions start from main). */
export function breadcrumbOf(model: onnx.ModelProto.$Properties, r: ResolvedGraph): { path: string; label: string }[] {
  const out = r.levels.map((l) => ({ path: l.path, label: r.fn && l === r.levels[0] ? `function ${l.label}` : l.label }));
  if (r.fn) out.unshift({ path: 'main', label: model.graph?.name || 'main' });
  return out;
}
