/**
 * float32 → float16 conversion (onnxconverter-common's convert_float_to_float16 with keep_io_types = True):
 * float32 initializers, Constant / ConstantOfShape values and the tensors computed by converted nodes become float16;
 * graph inputs and outputs keep float32 through Casts at the boundary; ops in the block list (and nodes excluded by
 * name) stay float32 with Casts around them.
 *
 * - A converted node reading a float32 value gets a float16 copy: initializers are converted in place (or copied
 *   as `<name>_fp16` when a float32 reader remains), other values through one shared Cast `<name>_fp16`.
 * - A float32 reader (blocked node, excluded node, graph output) of a converted value reads one shared Cast
 *   `<name>_fp32`; a graph output produced by a converted node keeps its name and float32 type: the node writes
 *   `<name>_fp16` and a Cast restores `<name>`.
 * - Cast(to = FLOAT) inside the converted part casts to FLOAT16; Resize / Upsample scales and roi stay as they are.
 * - Constants beyond float16's range are clamped to ±65504; non-zero values below its smallest subnormal (2^-24)
 *   are raised to ±2^-24 (onnxruntime's float16 converter does the same); both are counted.
 * - Nodes holding subgraphs (If / Loop / Scan), sequence / optional / random ops, and the producers of values that
 *   subgraphs read stay float32.
 *
 * onnxruntime's CPU provider (1.30, x86-64) has float16 kernels only for data-movement ops and a few others (see
 * ORT_CPU_FP16_NATIVE); for the rest it inserts Casts itself (its InsertCastTransformer), so every converted op
 * still runs on CPU — the default block list only has to keep the ops that have no float16 schema at all.
 */
import type { OnnxModel } from '../../core';
import { normalizeDomain } from '../../core/graph-walk';
import { onnx } from '../../core/proto/onnx';
import { DataType } from '../../core/tensor/dtypes';
import type { QuantizeRecipe } from '../../protocol/quantize';
import { float16BitsToNumber } from '../runtime';
import { throwIfAborted, type OperationContext } from '../operation';
import { attr, attrNumber, dimsOf, rawTensor, type GraphEditor, type Node, type Tensor } from '../shared/graph-editor';
import { emptyOutcome, type RewriteOutcome } from './outcome';
import { sqnrFromSums } from './sqnr';
import { newTensorBytes, weightBytes } from '../shared/weights';

/**
 * Op types kept in float32 by default: onnxconverter-common's DEFAULT_OP_BLOCK_LIST (ai.onnx.ml ops, ops whose
 * float16 results are unreliable or unsupported) plus ops whose schema has no float16 type (Celu, random generators).
 */
export const DEFAULT_FP16_BLOCK_LIST: readonly string[] = [
  'ArrayFeatureExtractor', 'Binarizer', 'CastMap', 'CategoryMapper', 'DictVectorizer', 'FeatureVectorizer', 'Imputer',
  'LabelEncoder', 'LinearClassifier', 'LinearRegressor', 'Normalizer', 'OneHotEncoder', 'RandomUniformLike', 'SVMClassifier',
  'SVMRegressor', 'Scaler', 'TreeEnsembleClassifier', 'TreeEnsembleRegressor', 'ZipMap', 'NonMaxSuppression', 'TopK',
  'RoiAlign', 'Resize', 'Range', 'CumSum', 'Min', 'Max', 'Upsample',
  'Celu', 'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'Multinomial', 'Bernoulli', 'EyeLike',
];

/** Ops never converted: control flow, sequences, optionals. */
const NEVER: ReadonlySet<string> = new Set([
  'If', 'Loop', 'Scan', 'SequenceAt', 'SequenceConstruct', 'SequenceEmpty', 'SequenceErase', 'SequenceInsert', 'SequenceLength',
  'SequenceMap', 'ConcatFromSequence', 'SplitToSequence', 'Optional', 'OptionalGetElement', 'OptionalHasElement',
]);

/** Op types onnxruntime 1.30's CPU provider runs with float16 kernels of its own (measured: no Cast inserted). */
export const ORT_CPU_FP16_NATIVE: ReadonlySet<string> = new Set([
  'Cast', 'Clip', 'Concat', 'Expand', 'Flatten', 'Gather', 'Identity', 'LayerNormalization', 'Max', 'Min', 'Reshape', 'Round',
  'Shape', 'Sign', 'Slice', 'Split', 'Squeeze', 'Transpose', 'Unsqueeze', 'Constant', 'ConstantOfShape',
]);

/** Input slots that keep their type (float scales / roi of resampling ops). */
const KEEP_SLOTS: Readonly<Record<string, readonly number[]>> = { Resize: [1, 2], Upsample: [1] };
/** Ops whose data input may be of any type (read as it comes). */
const ANY_INPUT: ReadonlySet<string> = new Set(['Shape', 'Size', 'Cast']);

export interface Fp16Stats {
  clamped: number;
  underflowed: number;
  blockedNodes: number;
  convertedOps: Set<string>;
}

let halfTable: Float32Array | undefined;

/** float16 bits → float32, all 65536 patterns (built once). */
function halfToFloat(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = float16BitsToNumber(h);
  }
  return halfTable;
}

/**
 * float32 values → float16 bits (round to nearest even), reading the float32 bit patterns directly: finite values
 * beyond ±65504 become ±65504 (`clamped`), non-zero values below 2^-24 become ±2^-24 (`underflowed`); ±Inf and NaN
 * are kept. Accumulates the SQNR sums of the conversion (finite values).
 */
export function toFloat16(values: Float32Array, stats: Pick<Fp16Stats, 'clamped' | 'underflowed'>): { bits: Uint16Array; signal: number; noise: number } {
  const n = values.length;
  const u32 = new Uint32Array(values.buffer, values.byteOffset, n);
  const bits = new Uint16Array(n);
  const table = halfToFloat();
  let clamped = 0;
  let underflowed = 0;
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < n; i++) {
    const x = u32[i]!;
    const sign = (x >>> 16) & 0x8000;
    const a = x & 0x7fffffff;
    let h: number;
    if (a >= 0x7f800000) {
      h = sign | (a > 0x7f800000 ? 0x7e00 : 0x7c00);
    } else if (a > 0x477fe000) {
      h = sign | 0x7bff;
      clamped++;
    } else if (a >= 0x38800000) {
      // Normal float16: re-bias the exponent (127 → 15), keep 10 mantissa bits, round half to even.
      const rem = a & 0x1fff;
      h = (a - 0x38000000) >>> 13;
      if (rem > 0x1000 || (rem === 0x1000 && (h & 1) !== 0)) h++;
      h |= sign;
    } else if (a >= 0x33800000) {
      // Subnormal float16 (2^-24 ≤ |x| < 2^-14).
      const m = (a & 0x7fffff) | 0x800000;
      const shift = 126 - (a >>> 23);
      const rem = m & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      h = m >>> shift;
      if (rem > halfway || (rem === halfway && (h & 1) !== 0)) h++;
      h |= sign;
    } else if (a !== 0) {
      h = sign | 1;
      underflowed++;
    } else {
      h = sign;
    }
    bits[i] = h;
    if (a < 0x7f800000) {
      const v = values[i]!;
      const d = v - table[h]!;
      signal += v * v;
      noise += d * d;
    }
  }
  stats.clamped += clamped;
  stats.underflowed += underflowed;
  return { bits, signal, noise };
}

function subgraphsOf(n: Node): onnx.GraphProto.$Properties[] {
  return (n.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

export async function rewriteFp16(
  ed: GraphEditor,
  model: OnnxModel,
  recipe: QuantizeRecipe,
  candidates: readonly number[],
  types: ReadonlyMap<string, number>,
  ctx: OperationContext = {},
): Promise<{ outcome: RewriteOutcome; stats: Fp16Stats; valueInfo: onnx.ValueInfoProto.$Properties[] }> {
  const out = emptyOutcome();
  const stats: Fp16Stats = { clamped: 0, underflowed: 0, blockedNodes: 0, convertedOps: new Set() };
  const block = new Set(recipe.fp16_block_list.length ? recipe.fp16_block_list : DEFAULT_FP16_BLOCK_LIST);
  const only = new Set(recipe.op_types);
  const isFloat = (v: string) => (types.get(v) ?? 0) === DataType.FLOAT;
  const touchesFloat = (n: Node) => [...(n.input ?? []), ...(n.output ?? [])].some((v) => v && isFloat(v));

  // 1. Which nodes convert.
  const converted = new Set<number>();
  for (const index of candidates) {
    const n = ed.nodes[index]!;
    const op = n.opType ?? '';
    if (!touchesFloat(n)) continue;
    const reason =
      normalizeDomain(n.domain) !== 'ai.onnx' ? 'not an ONNX-domain op'
      : NEVER.has(op) || subgraphsOf(n).length ? 'control-flow, sequence or optional op'
      : only.size && !only.has(op) ? 'op type not in op_types'
      : block.has(op) ? 'in the fp16 block list'
      : (n.output ?? []).some((o) => o && (types.get(o) ?? 0) === 0) ? 'output type unknown'
      : (n.output ?? []).some((o) => ed.subgraphReads.has(o)) ? 'its output is read inside a subgraph'
      : undefined;
    if (reason) {
      stats.blockedNodes++;
      out.skipped.push({ node: n.name ?? '', op_type: op, reason });
    } else converted.add(index);
  }

  // 2. Tensors that become float16, and renames of graph outputs.
  const f16 = new Set<string>();
  const rename = new Map<string, string>();
  const firstOutput = new Map<number, string>();
  for (const index of converted) {
    const n = ed.nodes[index]!;
    n.output!.forEach((o, k) => {
      if (!o || !isFloat(o)) return;
      f16.add(o);
      if (!firstOutput.has(index)) firstOutput.set(index, o);
      if (ed.graphOutputs.has(o)) {
        const r = ed.unique(`${o}_fp16`);
        rename.set(o, r);
        n.output![k] = r;
      }
    });
  }
  const fp16Name = (v: string) => rename.get(v) ?? v;

  // 3. Readers: converted nodes get float16 inputs, others float32.
  const casts16 = new Map<string, string>();
  const casts32 = new Map<string, string>();
  const initCopies = new Map<string, string>();
  const weightOf = new Map<number, string>();
  const sqnrByInit = new Map<string, number>();
  const f16Inits = new Set<string>();
  const readersOf = (v: string) => ed.consumers.get(v) ?? [];
  const readsAsFp16 = (i: number, slot: number) => {
    const n = ed.nodes[i]!;
    return converted.has(i) && !(KEEP_SLOTS[n.opType ?? ''] ?? []).includes(slot) && !ANY_INPUT.has(n.opType ?? '');
  };
  const convertInitializer = async (v: string): Promise<string> => {
    const t = ed.constant(v)!;
    const inPlace =
      !ed.graphOutputs.has(v) &&
      !ed.subgraphReads.has(v) &&
      readersOf(v).every((i) => (ed.nodes[i]!.input ?? []).every((x, slot) => x !== v || readsAsFp16(i, slot)));
    const key = inPlace ? v : `${v}|copy`;
    const done = initCopies.get(key);
    if (done) return done;
    const values = (await model.readTensor(t)).values as Float32Array;
    const c = toFloat16(values, stats);
    const name = inPlace ? v : ed.unique(`${v}_fp16`);
    const tensor: Tensor = { ...rawTensor(name, DataType.FLOAT16, dimsOf(t), c.bits), ...(t.docString ? { docString: t.docString } : {}) };
    if (inPlace) {
      out.weightBytesBefore += weightBytes(model, t);
      ed.replaceInitializer(tensor);
      f16Inits.add(v);
    } else ed.addInitializer(tensor);
    out.weightBytesAfter += newTensorBytes(tensor);
    initCopies.set(key, name);
    sqnrByInit.set(v, sqnrFromSums(c.signal, c.noise));
    return name;
  };

  for (let i = 0; i < ed.nodes.length; i++) {
    throwIfAborted(ctx.signal);
    const n = ed.nodes[i]!;
    const inputs = n.input!;
    for (let slot = 0; slot < inputs.length; slot++) {
      const v = inputs[slot]!;
      if (!v) continue;
      if (converted.has(i) && ANY_INPUT.has(n.opType ?? '')) {
        if (f16.has(v)) inputs[slot] = fp16Name(v);
        continue;
      }
      if (readsAsFp16(i, slot)) {
        if (f16.has(v)) inputs[slot] = fp16Name(v);
        else if (isFloat(v) && ed.constant(v)?.dataType === DataType.FLOAT) {
          inputs[slot] = await convertInitializer(v);
          if (!weightOf.has(i)) weightOf.set(i, v);
        } else if (isFloat(v)) inputs[slot] = castOnce(casts16, v, DataType.FLOAT16, '_fp16');
      } else if (f16.has(v) && !rename.has(v)) {
        inputs[slot] = castOnce(casts32, v, DataType.FLOAT, '_fp32');
      }
    }
  }
  // Graph outputs written by converted nodes: Cast back under the original name.
  for (const [o, r] of rename) {
    ed.insertAfterProducer(o, [{ opType: 'Cast', name: ed.unique(`${o}_Cast`), input: [r], output: [o], attribute: [attr.int('to', DataType.FLOAT)] }]);
  }

  // 4. Converted nodes' own float constants and Cast targets.
  for (const index of converted) {
    const n = ed.nodes[index]!;
    const op = n.opType ?? '';
    stats.convertedOps.add(op);
    if (op === 'Cast' && attrNumber(n, 'to', 0) === DataType.FLOAT) n.attribute = (n.attribute ?? []).map((a) => (a.name === 'to' ? attr.int('to', DataType.FLOAT16) : a));
    if (op === 'Constant' || op === 'ConstantOfShape') n.attribute = await Promise.all((n.attribute ?? []).map((a) => convertAttribute(a)));
    const weight = weightOf.get(index);
    const y = firstOutput.get(index);
    out.nodes.push({
      index,
      name: n.name ?? '',
      opType: op,
      status: 'converted',
      precision: 'fp16',
      ...(weight ? { weight, weightSqnr: sqnrByInit.get(weight) } : {}),
      ...(y ? { output: y, quantOutput: y, quantOutputType: rename.has(y) ? DataType.FLOAT : DataType.FLOAT16 } : {}),
      replacedBy: [op],
    });
  }

  // 5. value_info: converted tensors and initializers are float16 now.
  const valueInfo = (ed.proto.graph?.valueInfo ?? []).map((vi) =>
    (f16.has(vi.name ?? '') || f16Inits.has(vi.name ?? '')) && !rename.has(vi.name ?? '') && vi.type?.tensorType
      ? { ...vi, type: { ...vi.type, tensorType: { ...vi.type.tensorType, elemType: DataType.FLOAT16 } } }
      : vi,
  );
  return { outcome: out, stats, valueInfo };

  function castOnce(cache: Map<string, string>, v: string, to: DataType, suffix: string): string {
    const hit = cache.get(v);
    if (hit) return hit;
    const name = ed.unique(`${v}${suffix}`);
    ed.insertAfterProducer(v, [{ opType: 'Cast', name: ed.unique(`${v}_Cast${suffix}`), input: [v], output: [name], attribute: [attr.int('to', to)] }]);
    cache.set(v, name);
    return name;
  }

  async function convertAttribute(a: onnx.AttributeProto.$Properties): Promise<onnx.AttributeProto.$Properties> {
    const A = onnx.AttributeProto.AttributeType;
    if (a.name === 'value_float') return { name: 'value', type: A.TENSOR, t: rawTensor('', DataType.FLOAT16, [], toFloat16(Float32Array.of(a.f ?? 0), stats).bits) };
    if (a.name === 'value_floats') {
      const v = Float32Array.from(a.floats ?? []);
      return { name: 'value', type: A.TENSOR, t: rawTensor('', DataType.FLOAT16, [v.length], toFloat16(v, stats).bits) };
    }
    if (a.name !== 'value' || !a.t || a.t.dataType !== DataType.FLOAT) return a;
    const values = (await model.readTensor(a.t)).values as Float32Array;
    return { ...a, t: { ...rawTensor(a.t.name ?? '', DataType.FLOAT16, dimsOf(a.t), toFloat16(values, stats).bits) } };
  }
}
