/**
 * 4-bit weight-only quantization (onnxruntime's MatMulNBitsQuantizer, RTN): MatMul / Gemm with a constant 2-D float
 * weight → com.microsoft MatMulNBits(A, B_q4, scales[, zero_points][, bias]) with attributes K, N, bits = 4,
 * block_size and accuracy_level (packing in ./int4-pack.ts). Gemm: transA must be 0; B is used as stored when
 * transB = 1 (it already is [N, K]), transposed otherwise; α is folded into the scales; C becomes MatMulNBits' bias
 * input when it is a constant [N] with β = 1, else an Add (β·C) after it. When K is below the block size, the block
 * size is lowered to the smallest power of two ≥ max(16, K) so the block is not mostly padding.
 * Gather on a constant float table (embeddings) → GatherBlockQuantized (./gather-int4.ts), when `op_types` lists
 * Gather (opt-in, as in onnxruntime's quantizer); otherwise the run warns that the tables stayed float.
 */
import type { OnnxModel } from '../../core';
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import type { QuantizeRecipe } from '../../protocol/quantize';
import { throwIfAborted, type OperationContext } from '../operation';
import { attr, attrNumber, dimsOf, rawTensor, type GraphEditor, type Node } from '../shared/graph-editor';
import { planGather } from './gather';
import { Int4GatherRewriter } from './gather-int4';
import { quantizeBlockwise4, quantizeBlockwise4KN } from './int4-pack';
import { emptyOutcome, type RewriteOutcome } from './outcome';
import { sqnrFromSums } from './sqnr';
import { newTensorBytes, readFloatWeight, weightBytes } from '../shared/weights';

function blockSizeFor(requested: number, K: number): number {
  if (K >= requested) return requested;
  let b = 16;
  while (b < K) b *= 2;
  return b;
}

export async function rewriteInt4(
  ed: GraphEditor,
  model: OnnxModel,
  recipe: QuantizeRecipe,
  candidates: readonly number[],
  types: ReadonlyMap<string, number>,
  ctx: OperationContext = {},
): Promise<RewriteOutcome> {
  const out = emptyOutcome();
  const lowered: string[] = [];
  const retired = new Set<string>();
  const gathers = new Int4GatherRewriter(ed, model, recipe, out, retired);
  for (const index of candidates) {
    throwIfAborted(ctx.signal);
    const node = ed.nodes[index]!;
    const op = node.opType ?? '';
    const name = node.name ?? '';
    const skip = (reason: string) => out.skipped.push({ node: name, op_type: op, reason });
    if (op === 'Gather') {
      const g = planGather(ed, index, types);
      const issue = typeof g === 'object' ? gathers.issue(g) : g;
      if (issue) skip(issue);
      else if (typeof g === 'object') out.nodes.push(await gathers.rewrite(g));
      continue;
    }
    const [a, b, c] = node.input ?? [];
    if (!a || !b) {
      skip('missing inputs');
      continue;
    }
    const aType = types.get(a) ?? 0;
    if (aType !== 0 && aType !== DataType.FLOAT) {
      skip(`input is ${dataTypeName(aType)}, not FLOAT`);
      continue;
    }
    const issue = ed.weightIssue(b) ?? ((ed.constant(b)!.dims ?? []).length !== 2 ? 'weight is not 2-D' : undefined);
    if (issue) {
      skip(issue);
      continue;
    }
    const w = ed.constant(b)!;
    const gemm = op === 'Gemm';
    if (gemm && attrNumber(node, 'transA', 0) !== 0) {
      skip('Gemm with transA = 1');
      continue;
    }
    const transB = gemm && attrNumber(node, 'transB', 0) !== 0;
    const dims = dimsOf(w);
    const [K, N] = transB ? [dims[1]!, dims[0]!] : [dims[0]!, dims[1]!];
    const data = await readFloatWeight(model, w);
    const bs = blockSizeFor(recipe.block_size, K);
    if (bs !== recipe.block_size) lowered.push(`${name} (K = ${K}: ${bs})`);
    const q = transB ? quantizeBlockwise4(data, N, K, bs, recipe.weight_symmetric) : quantizeBlockwise4KN(data, K, N, bs, recipe.weight_symmetric);
    const alpha = gemm ? attrNumber(node, 'alpha', 1) : 1;
    if (alpha !== 1) for (let i = 0; i < q.scales.length; i++) q.scales[i] = Math.fround(q.scales[i]! * alpha);
    const add = (suffix: string, dt: DataType, d: readonly number[], v: ArrayBufferView) => {
      const t = rawTensor(ed.unique(`${b}_${suffix}`), dt, d, v);
      out.weightBytesAfter += newTensorBytes(t);
      return ed.addInitializer(t);
    };
    const inputs = [a, add('Q4', DataType.UINT8, [N, q.blocks, bs / 2], q.packed), add('scales', DataType.FLOAT, [N * q.blocks], q.scales)];
    if (q.zeroPoints) inputs.push(add('zero_points', DataType.UINT8, [q.zeroPoints.length], q.zeroPoints));
    if (!retired.has(b)) {
      retired.add(b);
      out.weightBytesBefore += weightBytes(model, w);
      ed.dropInitializer(b);
    }
    const y = node.output?.[0] ?? '';
    const beta = gemm ? attrNumber(node, 'beta', 1) : 1;
    const cConst = c ? ed.constant(c) : undefined;
    const biasInput = !!c && beta === 1 && cConst?.dataType === DataType.FLOAT && dimsOf(cConst).length === 1 && dimsOf(cConst)[0] === N;
    if (biasInput) {
      while (inputs.length < 5) inputs.push('');
      inputs.push(c);
    }
    const nodes: Node[] = [];
    const mm = c && !biasInput ? ed.unique(`${y}_matmul`) : y;
    nodes.push({
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      name: ed.unique(`${name}_MatMulNBits`),
      input: inputs,
      output: [mm],
      attribute: [
        attr.int('K', K),
        attr.int('N', N),
        attr.int('bits', 4),
        attr.int('block_size', bs),
        ...(recipe.accuracy_level > 0 ? [attr.int('accuracy_level', recipe.accuracy_level)] : []),
      ],
    });
    if (c && !biasInput) {
      let bias = c;
      if (beta !== 1) {
        const betaName = ed.addInitializer(rawTensor(ed.unique(`${name}_beta`), DataType.FLOAT, [], Float32Array.of(beta)));
        bias = ed.unique(`${c}_scaled`);
        nodes.push({ opType: 'Mul', name: ed.unique(`${name}_beta_Mul`), input: [c, betaName], output: [bias] });
      }
      nodes.push({ opType: 'Add', name: ed.unique(`${name}_bias_Add`), input: [mm, bias], output: [y] });
    }
    ed.replaceNode(index, nodes);
    ed.requireDomain('com.microsoft', 1);
    out.nodes.push({
      index,
      name,
      opType: op,
      status: 'quantized',
      precision: 'int4',
      weight: b,
      output: y,
      quantOutput: y,
      quantOutputType: DataType.FLOAT,
      weightSqnr: sqnrFromSums(q.signal, q.noise),
      replacedBy: nodes.map((n) => n.opType ?? ''),
    });
  }
  if (lowered.length) out.warnings.push(`block size lowered where K is below ${recipe.block_size}: ${lowered.join(', ')}`);
  if (gathers.lowered.length) out.warnings.push(`block size lowered to divide the embedding width: ${gathers.lowered.join(', ')}`);
  if (recipe.op_types.length === 0) {
    const excluded = new Set(recipe.exclude);
    const isTable = (n: Node, i: number) => n.opType === 'Gather' && !n.domain && !excluded.has(n.name ?? '') && typeof planGather(ed, i, types) === 'object';
    const tables = ed.nodes.filter(isTable).length;
    if (tables > 0) out.warnings.push(`${tables} Gather node(s) on float embedding tables stayed float32: add Gather to op_types (with MatMul, Gemm) to store them in 4 bits too`);
  }
  return out;
}
