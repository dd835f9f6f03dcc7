/**
 * Structured pruning, rewrite: given the channels each group keeps, slices every constant the analysis listed
 * (producer weights and biases, BatchNormalization parameters, per-channel constants, depthwise weights, consumer
 * weights on their input side), rewrites explicit Reshape shapes and depthwise `group`s, and updates (or drops) the
 * value_info of every tensor whose channel dim shrank. A constant read by several inputs gets its own sliced copy.
 */
import type { OnnxModel } from '../../../core';
import { toLong } from '../../../core/long';
import type { onnx } from '../../../core/proto/onnx';
import { DataType } from '../../../core/tensor/dtypes';
import { throwIfAborted, type OperationContext } from '../../operation';
import { attr, dimsOf, rawTensor, type GraphEditor } from '../../shared/graph-editor';
import { readFloatWeight } from '../../shared/weights';
import type { ChannelGroup } from './analysis';

/** A group and the channels it keeps (sorted, distinct). */
export interface GroupPlan {
  readonly group: ChannelGroup;
  readonly keep: readonly number[];
}

/** A rewritten node input: its new shape and how many of its values are 0. */
export interface RewrittenInput {
  readonly dims: readonly number[];
  readonly zeros: number;
}

export interface SurgeryResult {
  /** Rewritten constant inputs by `${node}:${slot}`. */
  readonly rewritten: Map<string, RewrittenInput>;
  /** The graph's value_info with shrunk tensors updated and the entries that could not be updated dropped. */
  readonly valueInfo: onnx.ValueInfoProto.$Properties[];
}

/** Keeps the entries `keep` along `axis` of a row-major tensor. */
export function sliceAxis(values: Float32Array, dims: readonly number[], axis: number, keep: Int32Array): { values: Float32Array; dims: number[] } {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= dims[d]!;
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  const len = dims[axis]!;
  const out = new Float32Array(outer * keep.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    const base = a * len * inner;
    for (let k = 0; k < keep.length; k++) {
      const from = base + keep[k]! * inner;
      out.set(values.subarray(from, from + inner), o);
      o += inner;
    }
  }
  const nd = [...dims];
  nd[axis] = keep.length;
  return { values: out, dims: nd };
}

/** The element indices along an axis of the kept channels when each channel spans `block` consecutive entries. */
export function expandChannels(keep: readonly number[], block: number): Int32Array {
  const out = new Int32Array(keep.length * block);
  let o = 0;
  for (const c of keep) for (let b = 0; b < block; b++) out[o++] = c * block + b;
  return out;
}

/** How many node input slots, graph outputs and subgraphs read tensor `name`. */
function readCount(ed: GraphEditor, name: string): number {
  let n = ed.graphOutputs.has(name) || ed.subgraphReads.has(name) || ed.graphInputs.has(name) ? 1 : 0;
  for (const i of ed.consumers.get(name) ?? []) n += (ed.nodes[i]!.input ?? []).filter((x) => x === name).length;
  return n;
}

/** Applies the plans to the editor's working graph (ed.build() then yields the pruned model). */
export async function applyChannelPlans(model: OnnxModel, ed: GraphEditor, plans: readonly GroupPlan[], ctx: OperationContext = {}): Promise<SurgeryResult> {
  const cuts = new Map<string, { node: number; slot: number; axes: { axis: number; keep: Int32Array }[] }>();
  const shrunk = new Map<string, { fromEnd: number; width: number }>();
  for (const { group, keep } of plans) {
    for (const s of group.slices) {
      const key = `${s.node}:${s.input}`;
      const cut = cuts.get(key) ?? { node: s.node, slot: s.input, axes: [] };
      if (!cut.axes.some((a) => a.axis === s.axis)) cut.axes.push({ axis: s.axis, keep: expandChannels(keep, s.block) });
      cuts.set(key, cut);
    }
    for (const i of group.depthwise) {
      const n = ed.nodes[i]!;
      n.attribute = [...(n.attribute ?? []).filter((a) => a.name !== 'group'), attr.int('group', keep.length)];
    }
    for (const r of group.reshapes) {
      const n = ed.nodes[r.node]!;
      const shape = BigInt64Array.from(r.shape);
      shape[r.at] = BigInt(keep.length * r.block);
      const old = n.input![1]!;
      const name = ed.unique(`${old}_pruned`);
      ed.addInitializer(rawTensor(name, DataType.INT64, [shape.length], shape));
      n.input![1] = name;
      ed.dropInitializer(old);
    }
    for (const t of group.tensors) shrunk.set(t.name, { fromEnd: t.fromEnd, width: keep.length * t.block });
  }

  const rewritten = new Map<string, RewrittenInput>();
  for (const [key, cut] of cuts) {
    throwIfAborted(ctx.signal);
    const n = ed.nodes[cut.node]!;
    const name = n.input![cut.slot]!;
    const src = ed.initializers.get(name);
    if (!src) throw new Error(`structured pruning: '${name}' of node '${n.name ?? ''}' is not an initializer`);
    let values = await readFloatWeight(model, src);
    let dims = dimsOf(src);
    for (const a of cut.axes.sort((x, y) => x.axis - y.axis)) ({ values, dims } = sliceAxis(values, dims, a.axis, a.keep));
    let zeros = 0;
    for (let k = 0; k < values.length; k++) if (values[k] === 0) zeros++;
    rewritten.set(key, { dims, zeros });
    if (readCount(ed, name) === 1) ed.replaceInitializer(rawTensor(name, DataType.FLOAT, dims, values));
    else {
      const copy = ed.unique(`${name}_pruned`);
      ed.addInitializer(rawTensor(copy, DataType.FLOAT, dims, values));
      n.input![cut.slot] = copy;
      ed.dropInitializer(name);
    }
  }

  const valueInfo: onnx.ValueInfoProto.$Properties[] = [];
  for (const vi of ed.proto.graph?.valueInfo ?? []) {
    const s = shrunk.get(vi.name ?? '');
    if (!s) {
      valueInfo.push(vi);
      continue;
    }
    const dim = vi.type?.tensorType?.shape?.dim;
    const at = dim ? dim.length - s.fromEnd : -1;
    if (!dim || at < 0 || dim[at]?.dimValue == null) continue;
    const nd = dim.map((d, k) => (k === at ? { ...d, dimValue: toLong(s.width) } : d));
    valueInfo.push({ ...vi, type: { ...vi.type, tensorType: { ...vi.type!.tensorType, shape: { dim: nd } } } });
  }
  return { rewritten, valueInfo };
}
