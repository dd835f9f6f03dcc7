/** fuse-bn: an inference BatchNormalization folded into the Conv, Gemm or 2-D MatMul before it. */
import type { TypeInfo } from '../../../core/shape-inference';
import type { DecodedTensor } from '../../../core/tensor/types';
import type { GraphIndex, PassContext } from '../context';
import { floatAttr, intAttr, isOnnxOp, makeFloatAttr, makeIntAttr, withAttr, type Node } from '../../shared/nodes';
import { Rewriter } from '../rewriter';
import { floatTensor, isArithmeticFloat } from '../../shared/tensors';

/** BatchNormalization as an affine map per channel: y = x·scale[c] + shift[c] (float64). */
export interface ChannelAffine {
  readonly dataType: number;
  readonly scale: Float64Array;
  readonly shift: Float64Array;
}

/**
 * Folds BatchNormalization (inference: training_mode 0, spatial 1, mean/var outputs unread) into the node
 * producing its input when that node's output is read by the BN only and its weights are constants:
 * - Conv(X, W, B): W'[m,…] = W[m,…]·s[m], B'[m] = B[m]·s[m] + t[m], where s = γ/√(var+ε), t = β − mean·s;
 * - Gemm(A, B, C): the columns of op(B) scaled by s, C' = β_gemm·C·s + t and beta = 1;
 * - MatMul(A, B) with A of rank 2 and B a constant matrix: Gemm(A, B·s, t).
 * FLOAT and DOUBLE weights only. Returns BatchNormalization nodes removed.
 */
export async function fuseBatchNorm(ctx: PassContext): Promise<number> {
  if (!ctx.nodes().some((n) => isOnnxOp(n, 'BatchNormalization'))) return 0;
  const rw = new Rewriter(ctx);
  let shapes: Map<string, TypeInfo> | undefined;
  let changes = 0;
  for (const bn of ctx.nodes()) {
    if (!isOnnxOp(bn, 'BatchNormalization') || rw.isTouched(bn)) continue;
    const x = bn.input?.[0] ?? '';
    const prev = rw.producer(x);
    if (!prev || !isOnnxOp(prev) || rw.isTouched(prev) || !rw.readOnlyBy(x, bn) || (prev.output ?? []).length !== 1 || !inferenceOnly(rw, bn)) continue;
    const affine = await batchNormAffine(ctx, bn, rw.index);
    if (!affine) continue;
    let fused: Node | undefined;
    if (prev.opType === 'Conv') fused = await intoConv(ctx, prev, affine, rw.index);
    else if (prev.opType === 'Gemm') fused = await intoGemm(ctx, prev, affine, rw.index);
    else if (prev.opType === 'MatMul') {
      shapes ??= await ctx.shapes();
      if (shapes.get(prev.input?.[0] ?? '')?.shape?.length === 2) fused = await intoMatMul(ctx, prev, affine, rw.index);
    }
    if (!fused) continue;
    rw.replace(prev, { ...fused, output: [bn.output![0]!] });
    rw.remove(bn);
    rw.forget(x);
    changes++;
  }
  rw.commit();
  return changes;
}

function inferenceOnly(rw: Rewriter, bn: Node): boolean {
  if ((bn.input ?? []).length < 5 || (bn.input ?? []).slice(0, 5).some((i) => !i) || !bn.output?.[0]) return false;
  if (intAttr(bn, 'training_mode', 0) !== 0 || intAttr(bn, 'spatial', 1) !== 1) return false;
  return (bn.output ?? []).slice(1).every((o) => !o || (!rw.pinned.has(o) && rw.consumers(o).length === 0));
}

/** s = γ/√(var+ε), t = β − mean·s, when all four parameters are constant vectors of one float type. */
export async function batchNormAffine(ctx: PassContext, bn: Node, index: GraphIndex): Promise<ChannelAffine | undefined> {
  const vals: DecodedTensor[] = [];
  for (const name of (bn.input ?? []).slice(1, 5)) {
    const v = await ctx.constant(name, index);
    if (!v || v.dims.length !== 1 || !isArithmeticFloat(v.dataType)) return undefined;
    vals.push(v);
  }
  const [gamma, beta, mean, variance] = vals as [DecodedTensor, DecodedTensor, DecodedTensor, DecodedTensor];
  const m = gamma.size;
  if (vals.some((v) => v.size !== m || v.dataType !== gamma.dataType)) return undefined;
  const eps = floatAttr(bn, 'epsilon', 1e-5);
  const scale = new Float64Array(m);
  const shift = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    scale[c] = Number(gamma.values[c]) / Math.sqrt(Number(variance.values[c]) + eps);
    shift[c] = Number(beta.values[c]) - Number(mean.values[c]) * scale[c]!;
  }
  return { dataType: gamma.dataType, scale, shift };
}

async function floatConstant(ctx: PassContext, name: string | undefined, index: GraphIndex, dataType: number): Promise<DecodedTensor | undefined> {
  if (!name) return undefined;
  const v = await ctx.constant(name, index);
  return v && v.dataType === dataType ? v : undefined;
}

async function intoConv(ctx: PassContext, conv: Node, bn: ChannelAffine, index: GraphIndex): Promise<Node | undefined> {
  const [x, wName, bName] = conv.input ?? [];
  const w = await floatConstant(ctx, wName, index, bn.dataType);
  const m = bn.scale.length;
  if (!x || !w || w.dims[0] !== m) return undefined;
  const b = bName ? await floatConstant(ctx, bName, index, bn.dataType) : undefined;
  if (bName && (!b || b.size !== m)) return undefined;
  const inner = w.size / m;
  const w2 = new Float64Array(w.size);
  for (let i = 0; i < w.size; i++) w2[i] = Number(w.values[i]) * bn.scale[Math.floor(i / inner)]!;
  const b2 = bn.shift.map((t, c) => (b ? Number(b.values[c]) : 0) * bn.scale[c]! + t);
  const wNew = ctx.uniqueName(`${wName}_bn`);
  const bNew = ctx.uniqueName(`${bName || `${conv.name || 'conv'}_bias`}_bn`);
  ctx.addInitializer(floatTensor(wNew, bn.dataType, w.dims, w2));
  ctx.addInitializer(floatTensor(bNew, bn.dataType, [m], b2));
  return { ...conv, input: [x, wNew, bNew] };
}

async function intoGemm(ctx: PassContext, gemm: Node, bn: ChannelAffine, index: GraphIndex): Promise<Node | undefined> {
  const [a, bName, cName] = gemm.input ?? [];
  const b = await floatConstant(ctx, bName, index, bn.dataType);
  const transB = intAttr(gemm, 'transB', 0) !== 0;
  const m = bn.scale.length;
  if (!a || !b || b.dims.length !== 2 || (transB ? b.dims[0] : b.dims[1]) !== m) return undefined;
  const c = cName ? await floatConstant(ctx, cName, index, bn.dataType) : undefined;
  if (cName && (!c || !broadcastsToColumns(c.dims, m))) return undefined;
  const b2 = scaleColumns(b, bn.scale, transB);
  const beta = floatAttr(gemm, 'beta', 1);
  const rows = c && c.dims.length === 2 ? c.dims[0]! : 1;
  const cCols = c ? (c.dims.length === 0 ? 1 : c.dims[c.dims.length - 1]!) : 0;
  const c2 = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < m; col++) {
      const cv = c ? Number(c.values[r * cCols + (cCols === 1 ? 0 : col)]) : 0;
      c2[r * m + col] = beta * cv * bn.scale[col]! + bn.shift[col]!;
    }
  }
  const bNew = ctx.uniqueName(`${bName}_bn`);
  const cNew = ctx.uniqueName(`${cName || `${gemm.name || 'gemm'}_bias`}_bn`);
  ctx.addInitializer(floatTensor(bNew, bn.dataType, b.dims, b2));
  ctx.addInitializer(floatTensor(cNew, bn.dataType, rows > 1 ? [rows, m] : [m], c2));
  let attrs = withAttr(gemm, 'beta', makeFloatAttr('beta', 1));
  if (ctx.opset < 7) attrs = withAttr({ attribute: attrs }, 'broadcast', makeIntAttr('broadcast', 1));
  return { ...gemm, input: [a, bNew, cNew], attribute: attrs };
}

async function intoMatMul(ctx: PassContext, mm: Node, bn: ChannelAffine, index: GraphIndex): Promise<Node | undefined> {
  const [a, bName] = mm.input ?? [];
  const b = await floatConstant(ctx, bName, index, bn.dataType);
  const m = bn.scale.length;
  if (!a || !b || b.dims.length !== 2 || b.dims[1] !== m) return undefined;
  const bNew = ctx.uniqueName(`${bName}_bn`);
  const cNew = ctx.uniqueName(`${mm.name || 'matmul'}_bias_bn`);
  ctx.addInitializer(floatTensor(bNew, bn.dataType, b.dims, scaleColumns(b, bn.scale, false)));
  ctx.addInitializer(floatTensor(cNew, bn.dataType, [m], bn.shift));
  const attribute = ctx.opset < 7 ? [makeIntAttr('broadcast', 1)] : [];
  return { name: mm.name, opType: 'Gemm', domain: '', input: [a, bNew, cNew], attribute };
}

/** Whether a Gemm bias of these dims broadcasts over M columns without depending on rows beyond its own. */
function broadcastsToColumns(dims: readonly number[], m: number): boolean {
  const last = dims.length === 0 ? 1 : dims[dims.length - 1]!;
  return dims.length <= 2 && (last === 1 || last === m);
}

/** op(B)'s columns scaled: B[k,c]·s[c] (transB = 0) or B[c,k]·s[c] (transB = 1). */
function scaleColumns(b: DecodedTensor, s: Float64Array, transB: boolean): Float64Array {
  const [r, k] = b.dims as [number, number];
  const out = new Float64Array(b.size);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < k; j++) out[i * k + j] = Number(b.values[i * k + j]) * s[transB ? i : j]!;
  }
  return out;
}
