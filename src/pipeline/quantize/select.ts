/**
 * Which nodes of the main graph a mode considers: the op types it handles, narrowed by `op_types`, minus
 * `exclude` (kept in float and reported with status 'excluded'). Nodes of other domains and inside subgraphs are
 * never touched.
 */
import { normalizeDomain } from '../../core/graph-walk';
import type { QuantizeMode, QuantizeRecipe, SkippedNode } from '../../protocol/quantize';
import type { GraphEditor } from '../shared/graph-editor';
import type { NodeOutcome } from './outcome';
import { DEFAULT_OP_TYPES } from './recipe';

/** Op types each mode can rewrite (fp16: every default-domain op, see ./fp16.ts). */
export const HANDLED_OP_TYPES: Readonly<Record<Exclude<QuantizeMode, 'fp16'>, ReadonlySet<string>>> = {
  dynamic: new Set(DEFAULT_OP_TYPES.dynamic),
  static: new Set([...DEFAULT_OP_TYPES.static, 'Sigmoid', 'LeakyRelu', 'Softmax', 'Identity', 'Split', 'Slice', 'Resize', 'Pad', 'Sub', 'Div']),
  // Gather (embedding tables → GatherBlockQuantized) only when op_types asks, as onnxruntime's 4-bit quantizer does.
  int4: new Set([...DEFAULT_OP_TYPES.int4, 'Gather']),
};

/**
 * Op types a mode recognizes but leaves in float, with the reason the report gives for each such node (so a user
 * looking for them sees why, instead of silence).
 */
export const LEFT_FLOAT: Readonly<Record<QuantizeMode, Readonly<Record<string, string>>>> = {
  dynamic: {
    ConvTranspose:
      "dynamic quantization has no integer ConvTranspose (onnxruntime's quantize_dynamic leaves it float too): use static mode to quantize it",
  },
  static: {},
  int4: {},
  fp16: {},
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
    const unknown = [...wanted].filter((t) => !handled.has(t) && !(t in LEFT_FLOAT[recipe.mode]));
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
    const leftFloat = LEFT_FLOAT[recipe.mode][op];
    if (leftFloat !== undefined && (recipe.op_types.length === 0 || wanted.has(op)) && !exclude.has(name)) {
      skipped.push({ node: name, op_type: op, reason: leftFloat });
      return;
    }
    if (handled !== 'all' && !handled.has(op)) return;
    if (wanted.size > 0 && !wanted.has(op)) {
      // A Gather that is not a lookup in a float table (index arithmetic) is no candidate of any mode: not listed.
      if (op === 'Gather' && !ed.isFloatInitializer(n.input?.[0] ?? '')) return;
      const reason = recipe.op_types.length ? 'op type not in op_types' : `not among ${recipe.mode}'s default op types: list it in op_types to quantize it`;
      skipped.push({ node: name, op_type: op, reason });
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
