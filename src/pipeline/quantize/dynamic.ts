/**
 * Dynamic int8 quantization (onnxruntime's quantize_dynamic, IntegerOps format): weights stored as symmetric int8
 * (per tensor, or per output channel), activations quantized at run time to uint8:
 *
 *   MatMul(X, W)            → DynamicQuantizeLinear(X) → MatMulInteger(Xq, Wq, Xzp, Wzp) → Cast(float) → Mul(·, Xs·Ws)
 *   Gemm(X, B, C; α, β, tB) → the same with W = tB ? Bᵀ : B (transposed at quantization time), α folded into Ws,
 *                             then Add(·, β·C)
 *   Conv(X, W, b)           → DynamicQuantizeLinear(X) → ConvInteger(Xq, Wq, Xzp, Wzp; Conv's attributes) → Cast → Mul
 *                             (per-channel scales shaped [M, 1, …]) → Add(·, b as [M, 1, …])
 *   Gather(T, idx)          → Gather on an int8 table, then DequantizeLinear (or per-row scales, see ./gather.ts)
 *   ConvTranspose           → left in float, reported as skipped (./select.ts LEFT_FLOAT): no integer kernel for it
 *
 * uint8 activations with int8 weights (U8S8) is what onnxruntime's CPU kernels and its MatMulIntegerToFloat fusion
 * (→ DynamicQuantizeMatMul) expect; onnxruntime 1.30's CPU provider runs every u8/s8 combination of MatMulInteger
 * and ConvInteger, but ConvInteger only with a scalar weight zero point, so weights are symmetric (zero point 0) and
 * per-channel scales are applied by the Mul after the integer op. One DynamicQuantizeLinear serves every quantized
 * consumer of an activation; a weight read by several nodes is quantized once per layout.
 */
import type { OnnxModel } from '../../core';
import { DataType, dataTypeName } from '../../core/tensor/dtypes';
import type { QuantizeRecipe } from '../../protocol/quantize';
import { throwIfAborted, type OperationContext } from '../operation';
import { attr, attrNumber, dimsOf, rawTensor, type GraphEditor, type Node } from '../shared/graph-editor';
import { GatherRewriter, planGather } from './gather';
import { emptyOutcome, type RewriteOutcome } from './outcome';
import { quantizeInt8 } from './qparams';
import { sqnrFromSums } from './sqnr';
import { newTensorBytes, readFloatWeight, transposeInt8, weightBytes } from '../shared/weights';

interface QuantizedRef {
  readonly q: string;
  readonly scale: string;
  readonly zp: string;
  readonly sqnr: number;
}

interface Plan {
  readonly x: string;
  readonly w: string;
  /** Gemm with transB = 1: the stored weight is [N, K]. */
  readonly transposed: boolean;
  readonly alpha: number;
  readonly bias?: string;
  readonly beta: number;
}

/** Why a node cannot be rewritten, or its plan. */
function planNode(ed: GraphEditor, node: Node, types: ReadonlyMap<string, number>): Plan | string {
  const op = node.opType ?? '';
  const [x, w, c] = node.input ?? [];
  if (!x || !w) return 'missing inputs';
  const xType = types.get(x) ?? 0;
  if (xType !== 0 && xType !== DataType.FLOAT) return `input is ${dataTypeName(xType)}, not FLOAT`;
  const issue = ed.weightIssue(w);
  if (issue) return issue;
  const weight = ed.constant(w)!;
  const rank = (weight.dims ?? []).length;
  if (op === 'Conv') {
    if (rank < 3) return `Conv weight of rank ${rank}`;
    return { x, w, transposed: false, alpha: 1, beta: 1, ...(c ? { bias: c } : {}) };
  }
  if (rank !== 2) return `weight of rank ${rank} (2-D weights only)`;
  if (op === 'MatMul') return { x, w, transposed: false, alpha: 1, beta: 1 };
  if (attrNumber(node, 'transA', 0) !== 0) return 'Gemm with transA = 1';
  return { x, w, transposed: attrNumber(node, 'transB', 0) !== 0, alpha: attrNumber(node, 'alpha', 1), beta: attrNumber(node, 'beta', 1), ...(c ? { bias: c } : {}) };
}

export async function rewriteDynamic(
  ed: GraphEditor,
  model: OnnxModel,
  recipe: QuantizeRecipe,
  candidates: readonly number[],
  types: ReadonlyMap<string, number>,
  ctx: OperationContext = {},
): Promise<RewriteOutcome> {
  const out = emptyOutcome();
  const weights = new Map<string, QuantizedRef>();
  const activations = new Map<string, { q: string; scale: string; zp: string }>();
  const replacedWeights = new Set<string>();

  const quantizeWeight = async (name: string, transposed: boolean, conv: boolean): Promise<QuantizedRef> => {
    const key = `${name}|${transposed}|${conv}`;
    const hit = weights.get(key);
    if (hit) return hit;
    const t = ed.constant(name)!;
    const dims = dimsOf(t);
    const data = await readFloatWeight(model, t);
    // Per channel: the output channel is axis 0 of a Conv weight [M, C/g, …] and of a transposed Gemm weight [N, K],
    // axis 1 of a MatMul / Gemm weight [K, N].
    const axis = recipe.per_channel ? (conv || transposed ? 0 : 1) : undefined;
    const q = quantizeInt8(data, dims, { kind: 'int8', symmetric: true, reduceRange: recipe.reduce_range, axis });
    const values = transposed ? transposeInt8(q.values as Int8Array, dims[0]!, dims[1]!) : q.values;
    const qDims = transposed ? [dims[1]!, dims[0]!] : dims;
    const scaleDims = axis === undefined ? [] : conv ? [dims[0]!, ...dims.slice(2).map(() => 1)] : [q.scales.length];
    const tensors = [
      rawTensor(ed.unique(`${name}_quantized`), DataType.INT8, qDims, values),
      rawTensor(ed.unique(`${name}_scale`), DataType.FLOAT, scaleDims, q.scales),
      rawTensor(ed.unique(`${name}_zero_point`), DataType.INT8, [], new Int8Array(1)),
    ];
    for (const x of tensors) {
      ed.addInitializer(x);
      out.weightBytesAfter += newTensorBytes(x);
    }
    if (!replacedWeights.has(name)) {
      replacedWeights.add(name);
      out.weightBytesBefore += weightBytes(model, t);
      ed.dropInitializer(name);
    }
    const ref = { q: tensors[0]!.name!, scale: tensors[1]!.name!, zp: tensors[2]!.name!, sqnr: sqnrFromSums(q.signal, q.noise) };
    weights.set(key, ref);
    return ref;
  };

  const quantizeActivation = (x: string) => {
    const hit = activations.get(x);
    if (hit) return hit;
    const ref = { q: ed.unique(`${x}_quantized`), scale: ed.unique(`${x}_scale`), zp: ed.unique(`${x}_zero_point`) };
    ed.insertAfterProducer(x, [{ opType: 'DynamicQuantizeLinear', name: ed.unique(`${x}_DynamicQuantizeLinear`), input: [x], output: [ref.q, ref.scale, ref.zp] }]);
    activations.set(x, ref);
    return ref;
  };

  const gathers = new GatherRewriter(ed, model, recipe, out, replacedWeights);

  for (const index of candidates) {
    throwIfAborted(ctx.signal);
    const node = ed.nodes[index]!;
    const op = node.opType ?? '';
    const name = node.name ?? '';
    if (op === 'Gather') {
      const g = planGather(ed, index, types);
      if (typeof g === 'string') out.skipped.push({ node: name, op_type: op, reason: g });
      else if (g) out.nodes.push(await gathers.rewrite(g));
      continue;
    }
    const plan = planNode(ed, node, types);
    if (typeof plan === 'string') {
      out.skipped.push({ node: name, op_type: op, reason: plan });
      continue;
    }
    const y = node.output?.[0] ?? '';
    const conv = op === 'Conv';
    const w = await quantizeWeight(plan.w, plan.transposed, conv);
    const a = quantizeActivation(plan.x);
    const nodes: Node[] = [];
    const tmp = (suffix: string) => ed.unique(`${y}_${suffix}`);
    const int32 = tmp('int32');
    const integerOp: Node = conv
      ? { opType: 'ConvInteger', name: ed.unique(`${name}_ConvInteger`), input: [a.q, w.q, a.zp, w.zp], output: [int32], attribute: node.attribute ?? [] }
      : { opType: 'MatMulInteger', name: ed.unique(`${name}_MatMulInteger`), input: [a.q, w.q, a.zp, w.zp], output: [int32] };
    nodes.push(integerOp);
    const asFloat = tmp('float');
    nodes.push({ opType: 'Cast', name: ed.unique(`${name}_Cast`), input: [int32], output: [asFloat], attribute: [attr.int('to', DataType.FLOAT)] });
    let scaleName = w.scale;
    if (plan.alpha !== 1) {
      scaleName = ed.addInitializer(rawTensor(ed.unique(`${name}_alpha`), DataType.FLOAT, [], new Float32Array([plan.alpha])));
      const scaled = tmp('weight_scale');
      nodes.push({ opType: 'Mul', name: ed.unique(`${name}_alpha_Mul`), input: [w.scale, scaleName], output: [scaled] });
      scaleName = scaled;
    }
    const product = tmp('scale');
    nodes.push({ opType: 'Mul', name: ed.unique(`${name}_scale_Mul`), input: [a.scale, scaleName], output: [product] });
    const scaledOut = plan.bias ? tmp('nobias') : y;
    nodes.push({ opType: 'Mul', name: ed.unique(`${name}_output_Mul`), input: [asFloat, product], output: [scaledOut] });
    if (plan.bias) nodes.push(...biasNodes(ed, node, plan, scaledOut, y, conv));
    ed.replaceNode(index, nodes);
    out.nodes.push({
      index,
      name,
      opType: op,
      status: 'quantized',
      precision: 'int8',
      weight: plan.w,
      output: y,
      quantOutput: y,
      quantOutputType: DataType.FLOAT,
      weightSqnr: w.sqnr,
      replacedBy: ['DynamicQuantizeLinear', ...nodes.map((n) => n.opType ?? '')],
    });
  }
  return out;
}

/** Add(·, β·C) for Gemm; Add(·, b reshaped to [M, 1, …]) for Conv. */
function biasNodes(ed: GraphEditor, node: Node, plan: Plan, from: string, to: string, conv: boolean): Node[] {
  const name = node.name ?? '';
  const bias = plan.bias!;
  const nodes: Node[] = [];
  let b = bias;
  if (conv) {
    const rank = (ed.initializers.get(plan.w)?.dims ?? []).length;
    const shape = rawTensor(ed.unique(`${bias}_shape`), DataType.INT64, [rank - 1], BigInt64Array.from([-1n, ...Array.from({ length: rank - 2 }, () => 1n)]));
    ed.addInitializer(shape);
    b = ed.unique(`${bias}_reshaped`);
    nodes.push({ opType: 'Reshape', name: ed.unique(`${name}_bias_Reshape`), input: [bias, shape.name!], output: [b] });
  } else if (plan.beta !== 1) {
    const beta = ed.addInitializer(rawTensor(ed.unique(`${name}_beta`), DataType.FLOAT, [], new Float32Array([plan.beta])));
    b = ed.unique(`${bias}_scaled`);
    nodes.push({ opType: 'Mul', name: ed.unique(`${name}_beta_Mul`), input: [bias, beta], output: [b] });
  }
  nodes.push({ opType: 'Add', name: ed.unique(`${name}_bias_Add`), input: [from, b], output: [to] });
  return nodes;
}
