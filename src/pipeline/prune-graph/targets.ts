/**
 * Which nodes pruning can work on: main-graph Conv / Gemm / MatMul whose weight is a float32 initializer read by
 * that node alone, and the layout of each weight (output-channel axis, reduction axis).
 */
import type { PruneSkipped } from '../../protocol/prune';
import { attrNumber, dimsOf, type GraphEditor, type Tensor } from '../shared/graph-editor';

export type TargetOp = 'Conv' | 'Gemm' | 'MatMul';

/** A node whose weight can be pruned. */
export interface PruneTarget {
  /** Index of the node in the source graph (and in GraphEditor.nodes). */
  readonly index: number;
  readonly name: string;
  readonly opType: TargetOp;
  readonly weight: Tensor;
  readonly dims: readonly number[];
  /** Elements of the weight. */
  readonly size: number;
  /** The bias initializer name (Conv input 2, Gemm input 2), when there is one. */
  readonly bias?: string;
  /** Conv `group` (1 for Gemm / MatMul). */
  readonly group: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

const TARGET_OPS = new Set<string>(['Conv', 'Gemm', 'MatMul']);

/** Axis of the weight that indexes output channels (Conv W[O,I,…]: 0; Gemm B[K,N]: 1, transB B[N,K]: 0; MatMul B[K,N]: 1). */
export function outputAxis(t: PruneTarget): number {
  if (t.opType === 'Conv') return 0;
  if (t.opType === 'Gemm') return t.transB ? 0 : 1;
  return 1;
}

/** Axis of the weight summed over by the layer (Conv: 1; Gemm: 0, transB: 1; MatMul: 0). */
export function reductionAxis(t: PruneTarget): number {
  if (t.opType === 'Conv') return 1;
  if (t.opType === 'Gemm') return t.transB ? 1 : 0;
  return 0;
}

/** Element count of a shape. */
export function elements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Nodes reading tensor `name` in the main graph, counting a node once per input slot. */
function readers(ed: GraphEditor, name: string): number {
  let n = 0;
  for (const i of ed.consumers.get(name) ?? []) n += (ed.nodes[i]!.input ?? []).filter((x) => x === name).length;
  return n;
}

/** Why the weight input of `node` cannot be pruned, or undefined. */
function sharedIssue(ed: GraphEditor, name: string): string | undefined {
  if (ed.subgraphReads.has(name)) return `weight '${name}' is also read inside a subgraph, which pruning would change too`;
  if (ed.graphOutputs.has(name)) return `weight '${name}' is also a graph output`;
  if (readers(ed, name) > 1) {
    const others = (ed.consumers.get(name) ?? []).map((i) => `'${ed.nodes[i]!.name ?? ''}'`).join(', ');
    return `weight '${name}' is shared by ${others}; pruning it would change every node reading it`;
  }
  return undefined;
}

/** The prunable nodes of the main graph, and the Conv / Gemm / MatMul nodes that cannot be pruned with the reason. */
export function findTargets(ed: GraphEditor): { targets: PruneTarget[]; skipped: PruneSkipped[] } {
  const targets: PruneTarget[] = [];
  const skipped: PruneSkipped[] = [];
  ed.nodes.forEach((node, index) => {
    const op = node.opType ?? '';
    if (!TARGET_OPS.has(op) || (node.domain ?? '') !== '') return;
    const name = node.name ?? '';
    const skip = (reason: string) => skipped.push({ node: name, op_type: op, reason });
    const wName = node.input?.[1] ?? '';
    const issue = ed.weightIssue(wName) ?? sharedIssue(ed, wName);
    if (issue) return skip(issue);
    const weight = ed.initializers.get(wName)!;
    const dims = dimsOf(weight);
    if (op === 'Conv' && dims.length < 3) return skip(`weight '${wName}' has rank ${dims.length}; a Conv weight has rank 3 or more`);
    if (op !== 'Conv' && dims.length !== 2) return skip(`weight '${wName}' has rank ${dims.length}; only rank-2 ${op} weights are pruned`);
    const size = elements(dims);
    if (size === 0) return skip(`weight '${wName}' is empty`);
    const biasName = op === 'MatMul' ? undefined : node.input?.[2] || undefined;
    targets.push({
      index,
      name,
      opType: op as TargetOp,
      weight,
      dims,
      size,
      ...(biasName ? { bias: biasName } : {}),
      group: op === 'Conv' ? attrNumber(node, 'group', 1) : 1,
      transA: op === 'Gemm' && attrNumber(node, 'transA', 0) !== 0,
      transB: op === 'Gemm' && attrNumber(node, 'transB', 0) !== 0,
    });
  });
  return { targets, skipped };
}
