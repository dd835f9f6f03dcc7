/**
 * Embedding tables: a Gather whose data is a constant float initializer (NLP models' largest weights) keeps its
 * table as symmetric int8 and dequantizes only the rows it gathers (onnxruntime's GatherQuant / QDQGather; this is
 * the graph onnxruntime's QDQ optimizer makes of DequantizeLinear → Gather → QuantizeLinear):
 *
 *   per tensor:  Gather(T_quantized, idx; axis) → DequantizeLinear(·, T_scale, T_zero_point) → y
 *   per row:     Gather(T_quantized, idx; axis) → Cast(float) → Mul(·, Gather(T_scale, idx; axis)) → y
 *
 * Per row (`per_channel`) gives every entry along the gathered axis its own scale, stored shaped [1, …, V, …, 1]
 * so that gathering it with the same indices lines each gathered row up with its scale (DequantizeLinear's `axis`
 * cannot: the gathered rows are not a fixed axis of the output). Dynamic and static modes use the same rewrite; the
 * output keeps its name and stays float, so consumers (quantized or not) are untouched.
 */
import type { OnnxModel } from '../../core';
import { DataType } from '../../core/tensor/dtypes';
import type { QuantizeRecipe } from '../../protocol/quantize';
import { attr, attrNumber, dimsOf, rawTensor, type GraphEditor, type Node } from '../shared/graph-editor';
import type { NodeOutcome, RewriteOutcome } from './outcome';
import { quantizeInt8 } from './qparams';
import { sqnrFromSums } from './sqnr';
import { newTensorBytes, readFloatWeight, weightBytes } from '../shared/weights';

/** A Gather to rewrite: its table (input 0) and the gathered axis (normalized to ≥ 0). */
export interface GatherPlan {
  readonly index: number;
  readonly table: string;
  readonly axis: number;
}

/**
 * The plan of a Gather node; a reason when it reads a float table that cannot be quantized; undefined when its
 * data is not float (index and shape arithmetic on int64: nothing to quantize, not worth a line in the report).
 */
export function planGather(ed: GraphEditor, index: number, types: ReadonlyMap<string, number>): GatherPlan | string | undefined {
  const node = ed.nodes[index]!;
  const [table, indices] = node.input ?? [];
  if (!table || !indices) return 'missing inputs';
  const type = types.get(table) || (ed.initializers.get(table)?.dataType ?? 0);
  if (type !== DataType.FLOAT) return undefined;
  if (!ed.initializers.has(table)) return 'data is computed at run time (only constant tables, such as embeddings, are quantized)';
  const issue = ed.weightIssue(table);
  if (issue) return issue;
  const rank = (ed.constant(table)!.dims ?? []).length;
  if (rank === 0) return 'data is a scalar';
  const axis = attrNumber(node, 'axis', 0);
  const normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank) return `axis ${axis} is outside the table's rank ${rank}`;
  return { index, table, axis: normalized };
}

interface QuantizedTable {
  readonly q: string;
  readonly scale: string;
  readonly zp?: string;
  readonly perRow: boolean;
  readonly sqnr: number;
}

/**
 * Rewrites planned Gathers one at a time. A table read by several Gathers (same axis) is quantized once; `retired`
 * is shared with the caller's other rewrites so a table also read by a MatMul (tied embeddings) is counted once.
 */
export class GatherRewriter {
  private readonly tables = new Map<string, QuantizedTable>();

  constructor(
    private readonly ed: GraphEditor,
    private readonly model: OnnxModel,
    private readonly recipe: QuantizeRecipe,
    private readonly out: RewriteOutcome,
    private readonly retired: Set<string>,
  ) {}

  async rewrite(plan: GatherPlan): Promise<NodeOutcome> {
    const ed = this.ed;
    const node = ed.nodes[plan.index]!;
    const name = node.name ?? '';
    const y = node.output?.[0] ?? '';
    const indices = node.input![1]!;
    const t = await this.quantizeTable(plan);
    const gathered = ed.unique(`${y}_quantized`);
    // The Gather keeps its name (it is still the same lookup, now on int8 rows).
    const gather: Node = { ...node, input: [t.q, indices], output: [gathered, ...(node.output ?? []).slice(1)] };
    const nodes: Node[] = [gather];
    if (t.perRow) {
      const asFloat = ed.unique(`${y}_float`);
      const rowScale = ed.unique(`${y}_scale`);
      nodes.push(
        { opType: 'Cast', name: ed.unique(`${name}_Cast`), input: [gathered], output: [asFloat], attribute: [attr.int('to', DataType.FLOAT)] },
        { opType: 'Gather', name: ed.unique(`${name}_scale_Gather`), input: [t.scale, indices], output: [rowScale], attribute: [attr.int('axis', plan.axis)] },
        { opType: 'Mul', name: ed.unique(`${name}_scale_Mul`), input: [asFloat, rowScale], output: [y] },
      );
    } else {
      nodes.push({ opType: 'DequantizeLinear', name: ed.unique(`${name}_DequantizeLinear`), input: [gathered, t.scale, t.zp!], output: [y] });
    }
    ed.replaceNode(plan.index, nodes);
    return {
      index: plan.index,
      name,
      opType: 'Gather',
      status: 'quantized',
      precision: 'int8',
      weight: plan.table,
      output: y,
      quantOutput: y,
      quantOutputType: DataType.FLOAT,
      weightSqnr: t.sqnr,
      replacedBy: nodes.map((n) => n.opType ?? ''),
    };
  }

  private async quantizeTable(plan: GatherPlan): Promise<QuantizedTable> {
    const ed = this.ed;
    const key = `${plan.table}|${plan.axis}`;
    const hit = this.tables.get(key);
    if (hit) return hit;
    const source = ed.constant(plan.table)!;
    const dims = dimsOf(source);
    const perRow = this.recipe.per_channel && dims.length >= 2;
    const data = await readFloatWeight(this.model, source);
    const q = quantizeInt8(data, dims, { kind: 'int8', symmetric: true, reduceRange: this.recipe.reduce_range, axis: perRow ? plan.axis : undefined });
    const add = (suffix: string, dt: DataType, shape: readonly number[], values: ArrayBufferView): string => {
      const tensor = rawTensor(ed.unique(`${plan.table}${suffix}`), dt, shape, values);
      this.out.weightBytesAfter += newTensorBytes(tensor);
      return ed.addInitializer(tensor);
    };
    const qName = add('_quantized', DataType.INT8, dims, q.values);
    const scale = perRow ? add('_scale', DataType.FLOAT, dims.map((d, i) => (i === plan.axis ? d : 1)), q.scales) : add('_scale', DataType.FLOAT, [], q.scales);
    const zp = perRow ? undefined : add('_zero_point', DataType.INT8, [], new Int8Array(1));
    if (!this.retired.has(plan.table)) {
      this.retired.add(plan.table);
      this.out.weightBytesBefore += weightBytes(this.model, source);
      ed.dropInitializer(plan.table);
    }
    const t: QuantizedTable = { q: qName, scale, ...(zp ? { zp } : {}), perRow, sqnr: sqnrFromSums(q.signal, q.noise) };
    this.tables.set(key, t);
    return t;
  }
}
