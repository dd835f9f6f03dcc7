/**
 * 4-bit embedding tables (onnxruntime's MatMulNBitsQuantizer with Gather in op_types_to_quantize): a Gather on a
 * constant float table T[V, D] along axis 0 becomes com.microsoft GatherBlockQuantized(T_Q4, idx, T_scales
 * [, T_zero_points]) with gather_axis 0, quantize_axis 1, bits 4 and block_size: each row is cut into blocks of
 * block_size along D and stored as MatMulNBits stores a column (./int4-pack.ts: two codes per byte, low nibble
 * first; symmetric blocks have no zero points, i.e. 8). The kernel needs whole blocks, so the block size is the
 * largest power of two ≤ the recipe's that divides D (at least 16). onnxruntime-node 1.30's CPU provider runs it.
 */
import type { OnnxModel } from '../../core';
import { DataType } from '../../core/tensor/dtypes';
import type { QuantizeRecipe } from '../../protocol/quantize';
import type { GatherPlan } from './gather';
import { attr, dimsOf, rawTensor, type GraphEditor } from '../shared/graph-editor';
import { quantizeBlockwise4 } from './int4-pack';
import type { NodeOutcome, RewriteOutcome } from './outcome';
import { sqnrFromSums } from './sqnr';
import { newTensorBytes, readFloatWeight, weightBytes } from '../shared/weights';

/** The smallest block GatherBlockQuantized takes. */
const MIN_BLOCK = 16;

/** The largest power of two ≤ `requested` dividing `width` (≥ 16), or undefined. */
export function gatherBlockSize(requested: number, width: number): number | undefined {
  for (let b = requested; b >= MIN_BLOCK; b /= 2) if (b <= width && width % b === 0) return b;
  return undefined;
}

interface Table4 {
  readonly inputs: string[];
  readonly blockSize: number;
  readonly sqnr: number;
}

/** Rewrites planned Gathers into GatherBlockQuantized; a table read by several Gathers is quantized once. */
export class Int4GatherRewriter {
  private readonly tables = new Map<string, Table4>();
  /** Tables whose block size is below the recipe's, for the run's warning. */
  readonly lowered: string[] = [];

  constructor(
    private readonly ed: GraphEditor,
    private readonly model: OnnxModel,
    private readonly recipe: QuantizeRecipe,
    private readonly out: RewriteOutcome,
    private readonly retired: Set<string>,
  ) {}

  /** Why the table cannot be stored in 4 bits, or undefined. */
  issue(plan: GatherPlan): string | undefined {
    const dims = dimsOf(this.ed.constant(plan.table)!);
    if (dims.length !== 2) return `4-bit tables must be 2-D (the table is ${dims.length}-D)`;
    if (plan.axis !== 0) return `4-bit tables are gathered along axis 0 (this Gather uses axis ${plan.axis})`;
    if (gatherBlockSize(this.recipe.block_size, dims[1]!) === undefined) {
      return `row width ${dims[1]} is not a multiple of ${MIN_BLOCK}, GatherBlockQuantized's smallest block`;
    }
    return undefined;
  }

  /** Rewrites the node (call `issue` first). */
  async rewrite(plan: GatherPlan): Promise<NodeOutcome> {
    const ed = this.ed;
    const node = ed.nodes[plan.index]!;
    const name = node.name ?? '';
    const y = node.output?.[0] ?? '';
    const t = await this.quantizeTable(plan.table);
    ed.replaceNode(plan.index, [
      {
        opType: 'GatherBlockQuantized',
        domain: 'com.microsoft',
        name: ed.unique(`${name}_GatherBlockQuantized`),
        input: [t.inputs[0]!, node.input![1]!, ...t.inputs.slice(1)],
        output: [y],
        attribute: [attr.int('gather_axis', 0), attr.int('quantize_axis', 1), attr.int('bits', 4), attr.int('block_size', t.blockSize)],
      },
    ]);
    ed.requireDomain('com.microsoft', 1);
    return {
      index: plan.index,
      name,
      opType: 'Gather',
      status: 'quantized',
      precision: 'int4',
      weight: plan.table,
      output: y,
      quantOutput: y,
      quantOutputType: DataType.FLOAT,
      weightSqnr: t.sqnr,
      replacedBy: ['GatherBlockQuantized'],
    };
  }

  private async quantizeTable(table: string): Promise<Table4> {
    const hit = this.tables.get(table);
    if (hit) return hit;
    const ed = this.ed;
    const source = ed.constant(table)!;
    const [rows, width] = dimsOf(source) as [number, number];
    const bs = gatherBlockSize(this.recipe.block_size, width)!;
    if (bs !== this.recipe.block_size) this.lowered.push(`${table} (D = ${width}: ${bs})`);
    const q = quantizeBlockwise4(await readFloatWeight(this.model, source), rows, width, bs, this.recipe.weight_symmetric);
    const add = (suffix: string, dt: DataType, dims: readonly number[], values: ArrayBufferView): string => {
      const t = rawTensor(ed.unique(`${table}_${suffix}`), dt, dims, values);
      this.out.weightBytesAfter += newTensorBytes(t);
      return ed.addInitializer(t);
    };
    const inputs = [add('Q4', DataType.UINT8, [rows, width / 2], q.packed), add('scales', DataType.FLOAT, [rows, q.blocks], q.scales)];
    if (q.zeroPoints) inputs.push(add('zero_points', DataType.UINT8, [rows, Math.ceil(q.blocks / 2)], q.zeroPoints));
    if (!this.retired.has(table)) {
      this.retired.add(table);
      this.out.weightBytesBefore += weightBytes(this.model, source);
      ed.dropInitializer(table);
    }
    const t = { inputs, blockSize: bs, sqnr: sqnrFromSums(q.signal, q.noise) };
    this.tables.set(table, t);
    return t;
  }
}
