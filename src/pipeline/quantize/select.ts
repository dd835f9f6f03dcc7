/**
 * Which nodes of the main graph a mode considers: the op types it handles, narrowed by `op_types`, minus
 * `exclude` (kept in float and reported with status 'excluded'). Nodes of other domains and inside subgraphs are
 * never touched.
 */
import { normalizeDomain } from '../../core/graph-walk';
import type { QuantizeMode, QuantizeRecipe, SkippedNode } from '../../protocol/quantize';
import type { GraphEditor } from './graph';
import type { NodeOutcome } from './outcome';
import { DEFAULT_OP_TYPES } from './recipe';

/** Op types each mode can rewrite (fp16: every default-domain op, see ./fp16.ts). */
export const HANDLED_OP_TYPES: Readonly<Record<Exclude<QuantizeMode, 'fp16'>, ReadonlySet<string>>> = {
  dynamic: new Set(DEFAULT_OP_TYPES.dynamic),
  static: new Set([...DEFAULT_OP_TYPES.static, 'Sigmoid', 'LeakyRelu', 'Softmax', 'Identity', 'Split', 'Slice', 'Resize', 'Pad', 'Sub', 'Div']),
  int4: new Set(DEFAULT_OP_TYPES.int4),
};

/** Ops whose output shares its input's quantization parameters in QDQ (they only move or select values). */
export const PASS_THROUGH_OPS: ReadonlySet<string> = new Set(['MaxPool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Slice', 'Split']);

export interface Selection {
  /** Indices of the nodes to rewrite, in graph order. */
  readonly candidates: number[];
  readonly excluded: NodeOutcome[];
  readonly skipped: SkippedNode[];
  readonly warnings: string[];
}

export function selectNodes(ed: GraphEditor, recipe: QuantizeRecipe, handled: ReadonlySet<string> | 'all'): Selection {
  const wanted = new Set(recipe.op_types.length ? recipe.op_types : recipe.mode === 'fp16' ? [] : DEFAULT_OP_TYPES[recipe.mode]);
  const exclude = new Set(recipe.exclude);
  const warnings: string[] = [];
  if (handled !== 'all') {
    const unknown = [...wanted].filter((t) => !handled.has(t));
    if (unknown.length) warnings.push(`op types not handled by ${recipe.mode} quantization were ignored: ${unknown.join(', ')} (handled: ${[...handled].join(', ')})`);
  }
  const candidates: number[] = [];
  const excluded: NodeOutcome[] = [];
  const skipped: SkippedNode[] = [];
  const seen = new Set<string>();
  ed.nodes.forEach((n, index) => {
    const op = n.opType ?? '';
    const name = n.name ?? '';
    seen.add(name);
    if (normalizeDomain(n.domain) !== 'ai.onnx') return;
    if (handled !== 'all' && !handled.has(op)) return;
    if (wanted.size > 0 && !wanted.has(op)) {
      skipped.push({ node: name, op_type: op, reason: 'op type not in op_types' });
      return;
    }
    if (exclude.has(name)) {
      skipped.push({ node: name, op_type: op, reason: 'excluded by request (nodes_to_exclude)' });
      excluded.push({ index, name, opType: op, status: 'excluded', precision: 'float', ...(n.output?.[0] ? { output: n.output[0], quantOutput: n.output[0] } : {}) });
      return;
    }
    candidates.push(index);
  });
  const missing = [...exclude].filter((x) => !seen.has(x));
  if (missing.length) warnings.push(`exclude: no node named ${missing.map((m) => `'${m}'`).join(', ')} in the main graph`);
  const inner = countSubgraphNodes(ed);
  if (inner > 0) warnings.push(`${inner} nodes inside subgraphs (If/Loop/Scan bodies) were left as they are`);
  return { candidates, excluded, skipped, warnings };
}

function countSubgraphNodes(ed: GraphEditor): number {
  let count = 0;
  const stack = ed.nodes.flatMap((n) => (n.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]));
  while (stack.length) {
    const g = stack.pop()!;
    for (const n of g.node ?? []) {
      count++;
      for (const a of n.attribute ?? []) stack.push(...(a.g ? [a.g] : []), ...(a.graphs ?? []));
    }
  }
  return count;
}
