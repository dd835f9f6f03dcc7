/**
 * Static int8 quantization in QDQ format (onnxruntime's quantize_static, QuantFormat.QDQ): the graph keeps its float
 * operators, and QuantizeLinear → DequantizeLinear pairs mark where values are int8, which onnxruntime fuses into
 * integer kernels (QLinearConv, QLinearMatMul, QGemm, …) when it loads the model.
 *
 * - Activations: one pair per tensor read by a quantized node: `T` → QuantizeLinear → `T_quantized` → DequantizeLinear
 *   → `T_dequantized`, read by the quantized consumers (others keep reading `T`). Scale / zero point
 *   (`T_scale`, `T_zero_point`) from the calibrated range. Graph outputs keep their names and stay float.
 * - Weights (Conv / ConvTranspose input 1, Gemm B, MatMul's constant input): symmetric int8 `W_quantized`, per tensor
 *   or per output channel (axis 0 for Conv and Gemm with transB = 1, axis 1 for ConvTranspose and Gemm, the last
 *   axis for MatMul), with a DequantizeLinear → `W_dequantized` (with `axis` when per channel).
 * - Bias (Conv / ConvTranspose input 2, Gemm C when 1-D with β = 1): int32, scale = input scale × weight scale, zero
 *   point 0.
 * - Gather on a constant float table (embeddings): int8 table, rows dequantized after the Gather (./gather.ts).
 * - Other constant inputs (e.g. Add's): quantized like activations (activation type, per tensor).
 * - Ops that only move values (MaxPool, Reshape, Transpose, Flatten …) give their output the input's scale and zero
 *   point; with asymmetric activations, a Relu whose input has no other reader gives that input its own
 *   (non-negative) range (onnxruntime removes such Relus; here the Relu stays and the quantization makes it a no-op).
 */
import type { OnnxModel } from '../../core';
import { DataType } from '../../core/tensor/dtypes';
import type { QuantizeRecipe } from '../../protocol/quantize';
import { throwIfAborted, type OperationContext } from '../operation';
import { attr, attrNumber, dimsOf, rawTensor, type GraphEditor, type Node } from '../shared/graph-editor';
import { GatherRewriter, planGather, type GatherPlan } from './gather';
import { emptyOutcome, type RewriteOutcome } from './outcome';
import { computeScaleZeroPoint, quantRange, quantizeBiasInt32, quantizeInt8 } from './qparams';
import { PASS_THROUGH_OPS } from './select';
import { sqnrFromSums } from './sqnr';
import { newTensorBytes, readFloatWeight, weightBytes } from '../shared/weights';

/** Inputs of an op that carry data to quantize ('all', or indices); others (shapes, scales, pads) stay as they are. */
const DATA_INPUTS: Readonly<Record<string, 'all' | readonly number[]>> = {
  Add: 'all',
  Sub: 'all',
  Mul: 'all',
  Div: 'all',
  Concat: 'all',
  MatMul: 'all',
  Conv: [0, 1],
  ConvTranspose: [0, 1],
  Gemm: [0, 1],
};

/** Ops whose constant input (see weightSlot) is a weight: symmetric int8, per channel when asked. */
const WEIGHTED_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** One quantized node's plan. */
interface PlannedNode {
  readonly index: number;
  /** Input slots read through a DequantizeLinear: activations (calibrated) and constants (quantized from their values). */
  readonly activations: { slot: number; name: string }[];
  readonly constants: { slot: number; name: string }[];
  /** The weight slot (Conv/Gemm/MatMul constant), quantized symmetric int8. */
  readonly weight?: { slot: number; name: string; axis?: number };
  readonly bias?: { slot: number; name: string };
}

export interface QdqPlan {
  readonly nodes: PlannedNode[];
  /** Tensors that get a Q/DQ pair (need a range). */
  readonly tensors: string[];
  /** Tensor → tensor whose scale / zero point it uses. */
  readonly shareFrom: Map<string, string>;
  /** Gathers on constant float tables (embeddings), rewritten by ./gather.ts (no activation to calibrate). */
  readonly gathers: GatherPlan[];
  /** Tensors quantized with the range of the Relu reading them. */
  readonly reluFolded: Set<string>;
  readonly outcome: RewriteOutcome;
}

/** Decides what to quantize (before calibration: the plan lists the tensors that need ranges). */
export function planQdq(ed: GraphEditor, recipe: QuantizeRecipe, candidates: readonly number[], types: ReadonlyMap<string, number>): QdqPlan {
  const outcome = emptyOutcome();
  const chosen = new Set<number>();
  const nodes: PlannedNode[] = [];
  const gathers: GatherPlan[] = [];
  const isFloat = (name: string) => (types.get(name) ?? (ed.initializers.get(name)?.dataType ?? 0)) === DataType.FLOAT;
  for (const index of candidates) {
    const node = ed.nodes[index]!;
    const op = node.opType ?? '';
    if (op === 'Gather') {
      const g = planGather(ed, index, types);
      if (typeof g === 'string') outcome.skipped.push({ node: node.name ?? '', op_type: op, reason: g });
      else if (g) gathers.push(g);
      continue;
    }
    const inputs = node.input ?? [];
    const slots = DATA_INPUTS[op] ?? [0];
    const plan: PlannedNode = { index, activations: [], constants: [] };
    inputs.forEach((name, slot) => {
      if (!name || (slots !== 'all' && !slots.includes(slot)) || !isFloat(name)) return;
      const constant = ed.constant(name);
      if (constant && WEIGHTED_OPS.has(op) && slot === weightSlot(ed, node) && plan.weight === undefined) {
        (plan as { weight?: PlannedNode['weight'] }).weight = { slot, name, axis: recipe.per_channel ? channelAxis(node, slot, dimsOf(constant).length) : undefined };
      } else if (constant) plan.constants.push({ slot, name });
      else plan.activations.push({ slot, name });
    });
    if (plan.activations.length === 0) {
      outcome.skipped.push({ node: node.name ?? '', op_type: op, reason: 'no float activation input' });
      continue;
    }
    const bias = biasSlot(ed, node, plan);
    if (bias !== undefined) (plan as { bias?: PlannedNode['bias'] }).bias = { slot: bias, name: inputs[bias]! };
    nodes.push(plan);
    chosen.add(index);
  }
  // Tensors with a Q/DQ pair: activations read by quantized nodes.
  const tensors = [...new Set(nodes.flatMap((p) => p.activations.map((a) => a.name)))];
  const quantized = new Set(tensors);
  const shareFrom = new Map<string, string>();
  const reluFolded = new Set<string>();
  const asymmetric = !recipe.activation_symmetric;
  for (const p of nodes) {
    const node = ed.nodes[p.index]!;
    const op = node.opType ?? '';
    const input = node.input?.[0] ?? '';
    if (PASS_THROUGH_OPS.has(op) && quantized.has(input)) {
      for (const o of node.output ?? []) if (quantized.has(o)) shareFrom.set(o, input);
    }
    if (op === 'Relu' && asymmetric && quantized.has(input)) {
      const out = node.output?.[0] ?? '';
      const readers = ed.consumers.get(input) ?? [];
      const producer = ed.producers.get(input);
      if (quantized.has(out) && readers.length === 1 && !ed.graphOutputs.has(input) && producer !== undefined && chosen.has(producer)) {
        shareFrom.set(input, out);
        reluFolded.add(input);
      }
    }
  }
  return { nodes, tensors, shareFrom, gathers, reluFolded, outcome };
}

/** The slot of a weighted op's weight: Conv / ConvTranspose 1, Gemm 1, MatMul the constant one (1, else 0). */
function weightSlot(ed: GraphEditor, node: Node): number {
  if (node.opType === 'MatMul' && !ed.constant(node.input?.[1] ?? '') && ed.constant(node.input?.[0] ?? '')) return 0;
  return 1;
}

/**
 * The output-channel axis of a weight: Conv 0; ConvTranspose 1 (its weight is [C_in, C_out/group, k…], as
 * onnxruntime's QDQConv has it); Gemm 0 with transB, else 1; MatMul's B the last; a constant A: none.
 */
function channelAxis(node: Node, slot: number, rank: number): number | undefined {
  if (node.opType === 'Conv') return 0;
  if (node.opType === 'ConvTranspose') return 1;
  if (node.opType === 'Gemm') return attrNumber(node, 'transB', 0) !== 0 ? 0 : 1;
  if (node.opType === 'MatMul' && slot === 1 && rank >= 2) return rank - 1;
  return undefined;
}

/**
 * Conv's / ConvTranspose's bias, or Gemm's C when it is a constant 1-D float with β = 1; all need a quantized weight
 * and input. A grouped ConvTranspose with per-channel weights keeps a float bias: its C_out/group weight scales are
 * shared by the groups, so they do not line up one to one with the C_out bias values.
 */
function biasSlot(ed: GraphEditor, node: Node, plan: PlannedNode): number | undefined {
  const op = node.opType;
  if ((op !== 'Conv' && op !== 'ConvTranspose' && op !== 'Gemm') || !plan.weight || plan.weight.slot !== 1) return undefined;
  const group = attrNumber(node, 'group', 1);
  if (op === 'ConvTranspose' && group !== 1 && plan.weight.axis !== undefined) return undefined;
  const name = node.input?.[2];
  const t = name ? ed.constant(name) : undefined;
  if (!t || t.dataType !== DataType.FLOAT || (t.dims ?? []).length !== 1) return undefined;
  if (op === 'Gemm' && (attrNumber(node, 'beta', 1) !== 1 || attrNumber(node, 'alpha', 1) !== 1)) return undefined;
  // One bias value per output channel (a broadcast bias of another length stays float).
  const w = dimsOf(ed.constant(plan.weight.name)!);
  const channels = op === 'ConvTranspose' ? w[1]! * group : op === 'Conv' || attrNumber(node, 'transB', 0) !== 0 ? w[0] : w[1];
  if (dimsOf(t)[0] !== channels) return undefined;
  if (!plan.activations.some((a) => a.slot === 0)) return undefined;
  return 2;
}

interface QParams {
  readonly scale: string;
  readonly zp: string;
  readonly scaleValue: number;
}

/** Writes the Q/DQ pairs and quantized weights of `plan` using the calibrated `ranges`. */
export async function applyQdq(
  ed: GraphEditor,
  model: OnnxModel,
  recipe: QuantizeRecipe,
  plan: QdqPlan,
  ranges: ReadonlyMap<string, [number, number]>,
  ctx: OperationContext = {},
): Promise<RewriteOutcome> {
  const out = plan.outcome;
  const kind = recipe.activation_type;
  const zpType = kind === 'int8' ? DataType.INT8 : DataType.UINT8;
  const symmetric = recipe.activation_symmetric;
  const params = new Map<string, QParams>();
  const dequantized = new Map<string, string>();

  const root = (t: string): string => {
    let r = t;
    for (let k = 0; k < 64 && plan.shareFrom.has(r); k++) r = plan.shareFrom.get(r)!;
    return r;
  };
  const paramsOf = (t: string): QParams => {
    const r = root(t);
    const hit = params.get(r);
    if (hit) return hit;
    const [lo, hi] = ranges.get(r) ?? [0, 0];
    const sz = computeScaleZeroPoint(lo, hi, quantRange(kind, false, symmetric), symmetric);
    const zpArr = kind === 'int8' ? Int8Array.of(sz.zeroPoint) : Uint8Array.of(sz.zeroPoint);
    const p = {
      scale: ed.addInitializer(rawTensor(ed.unique(`${r}_scale`), DataType.FLOAT, [], Float32Array.of(sz.scale))),
      zp: ed.addInitializer(rawTensor(ed.unique(`${r}_zero_point`), zpType, [], zpArr)),
      scaleValue: sz.scale,
    };
    params.set(r, p);
    return p;
  };

  for (const t of plan.tensors) {
    const p = paramsOf(t);
    const q = ed.unique(`${t}_quantized`);
    const dq = ed.unique(`${t}_dequantized`);
    ed.insertAfterProducer(t, [
      { opType: 'QuantizeLinear', name: ed.unique(`${t}_QuantizeLinear`), input: [t, p.scale, p.zp], output: [q] },
      { opType: 'DequantizeLinear', name: ed.unique(`${t}_DequantizeLinear`), input: [q, p.scale, p.zp], output: [dq] },
    ]);
    dequantized.set(t, dq);
  }

  const weightCache = new Map<string, { dq: string; scales: Float32Array; sqnr: number }>();
  const replaced = new Set<string>();
  const addTensor = (name: string, dt: DataType, dims: readonly number[], data: ArrayBufferView) => {
    const t = rawTensor(ed.unique(name), dt, dims, data);
    out.weightBytesAfter += newTensorBytes(t);
    return ed.addInitializer(t);
  };
  const retire = (name: string) => {
    if (replaced.has(name)) return;
    replaced.add(name);
    out.weightBytesBefore += weightBytes(model, ed.constant(name)!);
    ed.dropInitializer(name);
  };
  const dequantizeNode = (name: string, q: string, scale: string, zp: string, axis?: number): string => {
    const dq = ed.unique(`${name}_dequantized`);
    ed.insertAfterProducer(name, [
      { opType: 'DequantizeLinear', name: ed.unique(`${name}_DequantizeLinear`), input: [q, scale, zp], output: [dq], ...(axis !== undefined ? { attribute: [attr.int('axis', axis)] } : {}) },
    ]);
    return dq;
  };
  const quantizeConstant = async (name: string, weight: boolean, axis?: number) => {
    const key = `${name}|${weight}|${axis}`;
    const hit = weightCache.get(key);
    if (hit) return hit;
    const t = ed.constant(name)!;
    const dims = dimsOf(t);
    const data = await readFloatWeight(model, t);
    const spec = weight
      ? { kind: 'int8' as const, symmetric: true, reduceRange: recipe.reduce_range, axis }
      : { kind, symmetric, reduceRange: false };
    const q = quantizeInt8(data, dims, spec);
    const perChannel = axis !== undefined && weight;
    const qName = addTensor(`${name}_quantized`, spec.kind === 'int8' ? DataType.INT8 : DataType.UINT8, dims, q.values);
    const scale = addTensor(`${name}_scale`, DataType.FLOAT, perChannel ? [q.scales.length] : [], q.scales);
    const zpValues = spec.kind === 'int8' ? Int8Array.from(q.zeroPoints) : Uint8Array.from(q.zeroPoints);
    const zp = addTensor(`${name}_zero_point`, spec.kind === 'int8' ? DataType.INT8 : DataType.UINT8, perChannel ? [zpValues.length] : [], zpValues);
    retire(name);
    const ref = { dq: dequantizeNode(name, qName, scale, zp, perChannel ? axis : undefined), scales: q.scales, sqnr: sqnrFromSums(q.signal, q.noise) };
    weightCache.set(key, ref);
    return ref;
  };

  for (const p of plan.nodes) {
    throwIfAborted(ctx.signal);
    const node = ed.nodes[p.index]!;
    const inputs = node.input!;
    for (const a of p.activations) inputs[a.slot] = dequantized.get(a.name)!;
    for (const c of p.constants) inputs[c.slot] = (await quantizeConstant(c.name, false)).dq;
    let weightSqnr: number | undefined;
    if (p.weight) {
      const w = await quantizeConstant(p.weight.name, true, p.weight.axis);
      inputs[p.weight.slot] = w.dq;
      weightSqnr = w.sqnr;
      if (p.bias) {
        const x = p.activations.find((a) => a.slot === 0)!;
        const b = await quantizeBias(p.bias.name, paramsOf(x.name).scaleValue, w.scales);
        if (b) inputs[p.bias.slot] = b;
      }
    }
    const y = node.output?.[0] ?? '';
    const outQ = dequantized.has(y);
    // An output quantized with its Relu's range loses its negatives there on purpose: compare it before its Q/DQ.
    const compared = outQ && !plan.reluFolded.has(y) ? dequantized.get(y)! : y;
    out.nodes.push({
      index: p.index,
      name: node.name ?? '',
      opType: node.opType ?? '',
      status: 'quantized',
      precision: 'int8',
      ...(p.weight ? { weight: p.weight.name, weightSqnr } : {}),
      ...(y ? { output: y, quantOutput: compared, quantOutputType: DataType.FLOAT } : {}),
      replacedBy: ['DequantizeLinear', node.opType ?? '', ...(outQ ? ['QuantizeLinear', 'DequantizeLinear'] : [])],
    });
  }
  const gathers = new GatherRewriter(ed, model, recipe, out, replaced);
  for (const g of plan.gathers) {
    throwIfAborted(ctx.signal);
    const r = await gathers.rewrite(g);
    // Quantized consumers read the Gather's output through its own Q/DQ pair: compare what they read.
    const dq = r.output ? dequantized.get(r.output) : undefined;
    out.nodes.push(dq ? { ...r, quantOutput: dq, replacedBy: [...(r.replacedBy ?? []), 'QuantizeLinear', 'DequantizeLinear'] } : r);
  }
  return out;

  async function quantizeBias(name: string, inputScale: number, weightScales: Float32Array): Promise<string | undefined> {
    const t = ed.constant(name)!;
    const data = await readFloatWeight(model, t);
    const q = quantizeBiasInt32(data, inputScale, weightScales);
    if (!q) return undefined;
    const perChannel = q.scales.length > 1;
    const qName = addTensor(`${name}_quantized`, DataType.INT32, [data.length], q.values);
    const scale = addTensor(`${name}_scale`, DataType.FLOAT, perChannel ? [q.scales.length] : [], q.scales);
    const zp = addTensor(`${name}_zero_point`, DataType.INT32, perChannel ? [q.scales.length] : [], new Int32Array(q.scales.length));
    retire(name);
    return dequantizeNode(name, qName, scale, zp, perChannel ? 0 : undefined);
  }
}
