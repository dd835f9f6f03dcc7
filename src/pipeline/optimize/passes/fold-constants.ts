/** fold-constants: nodes computed only from constants become initializers (evaluated by onnxruntime). */
import { bitsPerElement } from '../../../core/tensor/dtypes';
import type { DecodedTensor } from '../../../core/tensor/types';
import { isRuntimeError } from '../../runtime/errors';
import { evaluateConstants } from '../const-eval';
import type { GraphIndex, PassContext } from '../context';
import { hasSubgraph, isOnnxOp, type Node } from '../../shared/nodes';
import { tensorProtoOf, type TensorProto } from '../../shared/tensors';

/** Operators whose output is not a function of their inputs. */
const NONDETERMINISTIC = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

/** A folded tensor may always take this many bytes; above it, no more than the largest constant it is computed from. */
export const FOLD_MIN_BYTE_LIMIT = 1 << 20;

/** Rounds of excluding nodes whose folded outputs would be too large. */
const MAX_ATTEMPTS = 4;

/**
 * Folds constant subgraphs: a default-domain, deterministic node without subgraphs whose inputs are all
 * constants (non-overridable initializers, Constant outputs, outputs of other such nodes) is evaluated once by
 * onnxruntime, and the values other nodes (or subgraphs) read become initializers of the same names.
 * Never folded: nodes writing a graph output (the output stays computed), outputs that would grow the model
 * (larger than max(1 MiB, the largest constant they come from) — e.g. ConstantOfShape, Expand, Tile).
 * When onnxruntime cannot evaluate the subgraph, nothing is folded and a warning says why. Returns nodes removed.
 */
export async function foldConstants(ctx: PassContext): Promise<number> {
  const excluded = new Set<Node>();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const index = ctx.index();
    const plan = await planFolding(ctx, index, excluded);
    if (plan.nodes.length === 0 || plan.outputs.length === 0) return plan.nodes.length === 0 ? 0 : applyFolding(ctx, plan, new Map());
    let values;
    try {
      values = await evaluateConstants(plan, { irVersion: ctx.irVersion, opsetImport: ctx.proto.opsetImport ?? [], functions: ctx.proto.functions ?? [] }, ctx.runtime);
    } catch (e) {
      if (!isRuntimeError(e)) throw e;
      ctx.warn(`fold-constants: skipped, ${e.message}`);
      return 0;
    }
    const tooBig = [...values].filter(([, v]) => byteSize(v.size, v.dataType) > plan.byteLimit).map(([name]) => name);
    if (tooBig.length === 0) return applyFolding(ctx, plan, values);
    for (const name of tooBig) excluded.add(index.producer.get(name)!);
  }
  return 0;
}

interface FoldPlan {
  readonly nodes: Node[];
  readonly initializers: TensorProto[];
  /** Values read outside the folded set (they become initializers). */
  readonly outputs: string[];
  readonly byteLimit: number;
}

async function planFolding(ctx: PassContext, index: GraphIndex, excluded: ReadonlySet<Node>): Promise<FoldPlan> {
  const graphOutputs = ctx.graphOutputs();
  const constants = ctx.constantInitializerNames();
  const known = new Set<string>();
  const usedInits = new Map<string, TensorProto>();
  const folded: Node[] = [];
  for (const n of ctx.nodes()) {
    if (excluded.has(n) || !foldable(n) || (n.output ?? []).some((o) => graphOutputs.has(o))) continue;
    const ins = (n.input ?? []).filter(Boolean);
    if (!ins.every((i) => known.has(i) || constants.has(i))) continue;
    for (const i of ins) if (!known.has(i)) usedInits.set(i, ctx.initializer(i)!);
    folded.push(n);
    for (const o of n.output ?? []) if (o) known.add(o);
  }
  const inSet = new Set(folded);
  const outer = ctx.outerScopeNames();
  const outputs = [...known].filter((name) => outer.has(name) || (index.consumers.get(name) ?? []).some((c) => !inSet.has(c)));
  const initializers = await Promise.all([...usedInits.values()].map((t) => ctx.inlineTensor(t)));
  const largest = Math.max(0, ...initializers.map((t) => (t.rawData?.length ?? 0) + 4 * (t.floatData?.length ?? 0) + 8 * (t.int64Data?.length ?? 0)));
  return { nodes: folded, initializers, outputs, byteLimit: Math.max(FOLD_MIN_BYTE_LIMIT, largest) };
}

function foldable(n: Node): boolean {
  return isOnnxOp(n) && !NONDETERMINISTIC.has(n.opType ?? '') && !hasSubgraph(n) && (n.output ?? []).some(Boolean);
}

function applyFolding(ctx: PassContext, plan: FoldPlan, values: ReadonlyMap<string, DecodedTensor>): number {
  ctx.removeNodes(new Set(plan.nodes));
  for (const [name, v] of values) ctx.addInitializer(tensorProtoOf(name, v));
  ctx.dropValueInfo(new Set(values.keys()));
  return plan.nodes.length;
}

/** Bytes of `count` elements (strings counted at 16 bytes each). */
function byteSize(count: number, dataType: number): number {
  const bits = bitsPerElement(dataType);
  return count * (bits > 0 ? bits / 8 : 16);
}
