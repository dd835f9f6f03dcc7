/**
 * Structured pruning, analysis: which output channels can be removed together. Every prunable producer (Conv with
 * group 1, Gemm, MatMul) opens a channel space on its output; the space follows channel-preserving operators
 * (activations, BatchNormalization, pooling, depthwise Conv, elementwise ops with per-channel constants, Flatten /
 * Reshape to [N, -1]) down to the consumers that read the channels (Conv, Gemm, MatMul), and residual Adds join
 * spaces (union-find). Anything the rewrite could not follow blocks the whole group, with a reason a user can read.
 * Nothing is rewritten here: the result lists every constant to slice, for `surgery.ts`.
 */
import type { ConstValue, TypeInfo } from '../../../core/shape-inference';
import { DataType } from '../../../core/tensor/dtypes';
import { attrNumber, dimsOf, type GraphEditor, type Node } from '../../shared/graph-editor';
import { elements, outputAxis, type PruneTarget } from '../targets';

/** A constant input of a node, sliced along one axis when channels are removed (channel c = [c·block, (c+1)·block)). */
export interface ChannelSlice {
  readonly node: number;
  readonly input: number;
  readonly axis: number;
  readonly block: number;
}

/** A Reshape whose explicit target shape holds the flattened channel dim, rewritten to the kept channels. */
export interface ShapeRewrite {
  readonly node: number;
  readonly shape: readonly bigint[];
  /** Index in `shape` of the entry holding channels × block. */
  readonly at: number;
  readonly block: number;
}

/** A tensor whose channel dim shrinks (its value_info is updated or dropped). */
export interface ChannelTensor {
  readonly name: string;
  /** The channel axis counted from the end (1 = last axis). */
  readonly fromEnd: number;
  readonly block: number;
}

/** Producers whose output channels must be removed alike, and every place the removal touches. */
export interface ChannelGroup {
  /** Output channels of every producer of the group. */
  readonly channels: number;
  readonly producers: PruneTarget[];
  readonly slices: ChannelSlice[];
  /** Nodes that read the channels and shrink on their input side (Conv, Gemm, MatMul). */
  readonly consumers: number[];
  /** Depthwise Convs on the way, whose `group` becomes the kept channel count. */
  readonly depthwise: number[];
  readonly reshapes: ShapeRewrite[];
  readonly tensors: ChannelTensor[];
  /** Why the group cannot be pruned (empty = it can). */
  readonly blockers: string[];
}

export interface ChannelAnalysis {
  /** The groups, in the order of their first producer. */
  readonly groups: ChannelGroup[];
  /** Producer node index → its group. */
  readonly groupOf: Map<number, ChannelGroup>;
}

export interface AnalysisInput {
  readonly ed: GraphEditor;
  readonly targets: readonly PruneTarget[];
  /** Types and shapes of the main graph's tensors (shape inference). */
  readonly types: ReadonlyMap<string, TypeInfo>;
  /** Node names the user excluded: not producers (their outputs have no channel space). */
  readonly excluded: ReadonlySet<string>;
  /**
   * Known (or partly known: a symbolic dim name, null = unknown) values of small integer tensors that cannot change
   * at run time: constants, and shapes computed by Shape → Gather → Concat chains (Reshape targets, Gather indices).
   */
  readonly values: ReadonlyMap<string, ConstValue>;
}

/** Channel space of a tensor: the channel axis (from the end), the tensor's rank when known, and elements per channel. */
interface Flow {
  readonly space: number;
  readonly fromEnd: number;
  readonly rank: number | undefined;
  readonly block: number;
}

/** Operators that map each channel to itself (input 0 → output 0). */
const UNARY = new Set([
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Clip', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Gelu', 'Softplus',
  'Softsign', 'Identity', 'Dropout', 'Abs', 'Neg', 'Exp', 'Sqrt', 'Reciprocal', 'ThresholdedRelu', 'Mish', 'Erf', 'Cast',
]);
const POOLS = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div']);
const PRODUCER_LIKE = new Set(['Conv', 'Gemm', 'MatMul']);

/** Node indices of the main graph in a topological order (source order where it already is one). */
function topologicalOrder(ed: GraphEditor): number[] {
  const pending = ed.nodes.map((n) => new Set((n.input ?? []).filter((x) => x && ed.producers.has(x))).size);
  const ready: number[] = [];
  pending.forEach((p, i) => p === 0 && ready.push(i));
  const order: number[] = [];
  const seen = new Set<string>();
  while (ready.length) {
    ready.sort((a, b) => b - a);
    const i = ready.pop()!;
    order.push(i);
    for (const y of ed.nodes[i]!.output ?? []) {
      if (!y || seen.has(y)) continue;
      seen.add(y);
      for (const c of ed.consumers.get(y) ?? []) if (--pending[c]! === 0) ready.push(c);
    }
  }
  // Nodes left out (a cycle: an invalid graph) are still visited, so that channels reaching them block the group.
  const placed = new Set(order);
  ed.nodes.forEach((_, i) => placed.has(i) || order.push(i));
  return order;
}

/** Finds the channel groups of the model's main graph. */
export function analyzeChannels(inp: AnalysisInput): ChannelAnalysis {
  const { ed, types } = inp;
  const byIndex = new Map(inp.targets.map((t) => [t.index, t]));
  const parent: number[] = [];
  const data: ChannelGroup[] = [];
  const flows = new Map<string, Flow>();
  const groupOf = new Map<number, number>();

  const find = (s: number): number => {
    while (parent[s] !== s) {
      parent[s] = parent[parent[s]!]!;
      s = parent[s]!;
    }
    return s;
  };
  const group = (s: number): ChannelGroup => data[find(s)]!;
  const block = (s: number, reason: string) => {
    const g = group(s);
    if (!g.blockers.includes(reason)) g.blockers.push(reason);
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    const [keep, gone] = ra < rb ? [ra, rb] : [rb, ra];
    parent[gone] = keep;
    const g = data[keep]!;
    const o = data[gone]!;
    if (g.channels !== o.channels) g.blockers.push(`a residual joins ${g.channels} channels with ${o.channels}`);
    g.producers.push(...o.producers);
    g.slices.push(...o.slices);
    g.consumers.push(...o.consumers);
    g.depthwise.push(...o.depthwise);
    g.reshapes.push(...o.reshapes);
    g.tensors.push(...o.tensors);
    for (const r of o.blockers) if (!g.blockers.includes(r)) g.blockers.push(r);
  };
  /** Gives tensor `name` the flow `f` and blocks it when it leaves the main graph's reach. */
  const setFlow = (name: string, f: Flow) => {
    if (!name) return;
    flows.set(name, f);
    group(f.space).tensors.push({ name, fromEnd: f.fromEnd, block: f.block });
    if (ed.graphOutputs.has(name)) block(f.space, `its output reaches the graph output '${name}'`);
    if (ed.subgraphReads.has(name)) block(f.space, `its output '${name}' is read inside a subgraph (If / Loop / Scan body)`);
  };
  const nodeName = (i: number) => ed.nodes[i]!.name ?? '';
  const usedOutput = (n: Node, k: number) => {
    const y = n.output?.[k];
    return !!y && ((ed.consumers.get(y)?.length ?? 0) > 0 || ed.graphOutputs.has(y) || ed.subgraphReads.has(y));
  };

  /** Where the channels of a tensor without a channel space come from, for messages. */
  const origin = (tensor: string): string => {
    let t = tensor;
    for (let hops = 0; hops < 64; hops++) {
      const p = ed.producers.get(t);
      if (p === undefined) {
        if (ed.graphInputs.has(t)) return `the graph input '${t}'`;
        return `the constant '${t}'`;
      }
      const n = ed.nodes[p]!;
      const op = n.opType ?? '';
      if ((UNARY.has(op) || POOLS.has(op) || op === 'BatchNormalization') && n.input?.[0]) {
        t = n.input[0];
        continue;
      }
      if (inp.excluded.has(n.name ?? '')) return `'${n.name ?? ''}', which is excluded`;
      return `'${n.name ?? ''}' (${op}), which cannot be pruned`;
    }
    return `'${tensor}'`;
  };

  /**
   * A constant operand broadcast against a flow: sliced when it spans the channels, left alone when it broadcasts
   * over them (dim 1 or missing), the group blocked when it cannot line up. Returns false when the operand is not a
   * constant after all (computed at run time, or an initializer that is also a graph input).
   */
  const constOperand = (f: Flow, i: number, slot: number): boolean => {
    const name = ed.nodes[i]!.input?.[slot] ?? '';
    const n = ed.nodes[i]!;
    const g = group(f.space);
    const width = g.channels * f.block;
    let dims: number[] | undefined;
    let sliceable = false;
    const init = ed.initializers.get(name);
    if (init && ed.graphInputs.has(name)) {
      block(f.space, `'${n.name ?? ''}' reads '${name}', an initializer that is also a graph input (it may be fed at run time)`);
      return false;
    }
    if (init) {
      dims = dimsOf(init);
      sliceable = init.dataType === DataType.FLOAT;
    } else {
      const p = ed.producers.get(name);
      const pn = p === undefined ? undefined : ed.nodes[p]!;
      const t = pn?.opType === 'Constant' ? pn.attribute?.find((a) => a.name === 'value')?.t : undefined;
      if (t) dims = dimsOf(t);
    }
    if (!dims) return false;
    const rc = dims.length;
    if (f.fromEnd > rc || dims[rc - f.fromEnd] === 1) return true;
    if (dims[rc - f.fromEnd] !== width) {
      block(f.space, `'${n.name ?? ''}' (${n.opType ?? ''}) reads '${name}' of shape [${dims.join(', ')}], which does not line up with the ${width} channels`);
      return true;
    }
    if (!sliceable) {
      block(f.space, `'${n.name ?? ''}' (${n.opType ?? ''}) reads the per-channel constant '${name}', which is not a float initializer that can be sliced`);
      return true;
    }
    g.slices.push({ node: i, input: slot, axis: rc - f.fromEnd, block: f.block });
    return true;
  };

  const newSpace = (t: PruneTarget): number => {
    const s = data.length;
    parent.push(s);
    data.push({ channels: t.dims[outputAxis(t)]!, producers: [t], slices: [], consumers: [], depthwise: [], reshapes: [], tensors: [], blockers: [] });
    groupOf.set(t.index, s);
    group(s).slices.push({ node: t.index, input: 1, axis: outputAxis(t), block: 1 });
    return s;
  };

  /** Whether target `t` can open a channel space on its output (Conv group 1, Gemm without transA, MatMul). */
  const canProduce = (t: PruneTarget | undefined): t is PruneTarget =>
    !!t && !inp.excluded.has(t.name) && (t.opType === 'Conv' ? t.group === 1 : t.opType === 'Gemm' ? !t.transA : true);

  /** The flow's channel axis as an absolute axis when the rank is known. */
  const absAxis = (f: Flow) => (f.rank === undefined ? undefined : f.rank - f.fromEnd);

  /** Trailing dims after the channel axis of `tensor` when all are known numbers (for Flatten / Reshape). */
  const trailing = (tensor: string, f: Flow): number | undefined => {
    const shape = types.get(tensor)?.shape;
    if (!shape || f.rank === undefined || shape.length !== f.rank) return undefined;
    let p = 1;
    for (let d = f.rank - f.fromEnd + 1; d < f.rank; d++) {
      const v = shape[d];
      if (typeof v !== 'number') return undefined;
      p *= v;
    }
    return p;
  };

  /**
   * Why Shape node `i` reading a tensor with flow `f` would see the channel count change in a way that matters, or
   * undefined: fine when its start/end leave the channel axis out, or when only Gathers of other axes read it.
   */
  const shapeIssue = (i: number, f: Flow): string | undefined => {
    const n = ed.nodes[i]!;
    const axis = absAxis(f);
    if (axis === undefined || f.rank === undefined) return 'and the rank is not known';
    const norm = (v: number) => Math.min(f.rank!, Math.max(0, v < 0 ? v + f.rank! : v));
    const start = norm(attrNumber(n, 'start', 0));
    const end = norm(attrNumber(n, 'end', f.rank));
    if (axis < start || axis >= end) return undefined;
    const out = n.output?.[0] ?? '';
    if (ed.graphOutputs.has(out) || ed.subgraphReads.has(out)) return 'whose result leaves the graph';
    for (const c of ed.consumers.get(out) ?? []) {
      const g = ed.nodes[c]!;
      const idx = inp.values.get(g.input?.[1] ?? '');
      const ok =
        g.opType === 'Gather' &&
        g.input?.[0] === out &&
        attrNumber(g, 'axis', 0) === 0 &&
        !!idx &&
        idx.values.every((v) => typeof v === 'number' && start + (v < 0 ? v + end - start : v) !== axis);
      if (!ok) return `and passes it to ${g.opType ?? ''} '${g.name ?? ''}'`;
    }
    return undefined;
  };

  for (const i of topologicalOrder(ed)) {
    const n = ed.nodes[i]!;
    const op = (n.domain ?? '') === '' ? (n.opType ?? '') : `${n.domain}.${n.opType ?? ''}`;
    const label = `${op} '${nodeName(i)}'`;
    const ins = (n.input ?? []).map((x) => (x ? flows.get(x) : undefined));
    const flowSlots = ins.flatMap((f, k) => (f ? [k] : []));
    const target = byIndex.get(i);
    const blockAll = (reason: string) => flowSlots.forEach((k) => block(ins[k]!.space, reason));
    const out0 = n.output?.[0] ?? '';

    if (flowSlots.length) {
      const f0 = ins[0];
      const onlyFirst = flowSlots.length === 1 && f0 !== undefined;
      const hasSubgraph = (n.attribute ?? []).some((a) => a.g || (a.graphs?.length ?? 0) > 0);
      if (hasSubgraph) {
        blockAll(`its channels reach ${label}, which holds subgraphs`);
      } else if (UNARY.has(op) && onlyFirst) {
        if (op === 'Dropout' && usedOutput(n, 1)) blockAll(`its channels reach ${label}, whose mask output is used`);
        else setFlow(out0, f0);
      } else if (op === 'PRelu' && onlyFirst) {
        if (constOperand(f0, i, 1)) setFlow(out0, f0);
        else blockAll(`${label} has a slope computed at run time`);
      } else if (op === 'BatchNormalization' && onlyFirst) {
        if (absAxis(f0) !== 1 || f0.block !== 1) blockAll(`its channels reach ${label} on an axis other than 1`);
        else if ([1, 2, 3, 4].some((k) => usedOutput(n, k))) blockAll(`${label} uses its training-mode outputs`);
        else {
          let ok = true;
          for (const k of [1, 2, 3, 4]) {
            const name = n.input?.[k] ?? '';
            const c = ed.constant(name);
            if (!c || c.dataType !== DataType.FLOAT || elements(dimsOf(c)) !== group(f0.space).channels) ok = false;
            else group(f0.space).slices.push({ node: i, input: k, axis: 0, block: 1 });
          }
          if (ok) setFlow(out0, f0);
          else blockAll(`${label} has parameters that are not float constants of one value per channel`);
        }
      } else if (POOLS.has(op) && onlyFirst) {
        if (absAxis(f0) !== 1 || f0.block !== 1) blockAll(`its channels reach ${label} on an axis other than 1`);
        else if (op === 'MaxPool' && usedOutput(n, 1)) blockAll(`its channels reach ${label}, whose Indices output is used`);
        else setFlow(out0, f0);
      } else if (op === 'Conv' && onlyFirst) {
        const c = group(f0.space).channels;
        const w = target;
        if (!w) blockAll(`its channels reach ${label}, whose weight cannot be rewritten (${ed.weightIssue(n.input?.[1] ?? '') ?? 'it is shared with other nodes'})`);
        else if (absAxis(f0) !== 1 || f0.block !== 1 || f0.rank !== w.dims.length) blockAll(`its channels reach ${label} on an axis other than 1`);
        else if (w.group === 1) {
          group(f0.space).slices.push({ node: i, input: 1, axis: 1, block: 1 });
          group(f0.space).consumers.push(i);
        } else if (w.group === c && w.dims[0] === c && w.dims[1] === 1) {
          const g = group(f0.space);
          g.slices.push({ node: i, input: 1, axis: 0, block: 1 });
          g.depthwise.push(i);
          const bias = n.input?.[2];
          if (bias && !ed.constant(bias)) blockAll(`the depthwise ${label} has a bias computed at run time`);
          else {
            if (bias) g.slices.push({ node: i, input: 2, axis: 0, block: 1 });
            setFlow(out0, f0);
          }
        } else blockAll(`its channels reach the grouped ${label} (group ${w.group}), whose groups would no longer line up`);
      } else if (op === 'Gemm' && onlyFirst) {
        if (!target) blockAll(`its channels reach ${label}, whose weight cannot be rewritten (${ed.weightIssue(n.input?.[1] ?? '') ?? 'it is shared with other nodes'})`);
        else if (target.transA) blockAll(`its channels reach ${label}, which transposes its input (transA)`);
        else if (f0.fromEnd !== 1) blockAll(`its channels reach ${label} on an axis other than the last`);
        else {
          group(f0.space).slices.push({ node: i, input: 1, axis: target.transB ? 1 : 0, block: f0.block });
          group(f0.space).consumers.push(i);
        }
      } else if (op === 'MatMul' && onlyFirst) {
        if (!target) blockAll(`its channels reach ${label}, whose second input is not a constant 2-D weight it alone reads`);
        else if (f0.fromEnd !== 1) blockAll(`its channels reach ${label} on an axis other than the last`);
        else {
          group(f0.space).slices.push({ node: i, input: 1, axis: 0, block: f0.block });
          group(f0.space).consumers.push(i);
        }
      } else if (BINARY.has(op) && (n.input?.length ?? 0) === 2) {
        const [a, b] = ins;
        if (a && b) {
          if (a.fromEnd !== b.fromEnd || a.block !== b.block) blockAll(`${label} adds tensors whose channels lie on different axes`);
          union(a.space, b.space);
          const rank = a.rank === undefined || b.rank === undefined ? undefined : Math.max(a.rank, b.rank);
          setFlow(out0, { ...a, space: find(a.space), rank });
        } else {
          const k = a ? 0 : 1;
          const f = (a ?? b)!;
          const other = n.input?.[1 - k] ?? '';
          const isConst = ed.initializers.has(other) || ed.nodes[ed.producers.get(other) ?? -1]?.opType === 'Constant';
          if (isConst && constOperand(f, i, 1 - k)) {
            const rc = ed.initializers.has(other) ? dimsOf(ed.initializers.get(other)!).length : undefined;
            const rank = f.rank === undefined || rc === undefined ? f.rank : Math.max(f.rank, rc);
            setFlow(out0, { ...f, rank });
          } else if (!isConst) {
            block(f.space, `its channels feed a residual ${label} with '${other}', whose channels come from ${origin(other)}`);
            setFlow(out0, f);
          } else setFlow(out0, f);
        }
      } else if (op === 'Flatten' && onlyFirst) {
        const axis = attrNumber(n, 'axis', 1);
        const hw = trailing(n.input?.[0] ?? '', f0);
        if (axis !== 1 || absAxis(f0) !== 1) blockAll(`its channels reach ${label}, which does not flatten from axis 1`);
        else if (hw === undefined) blockAll(`its channels reach ${label}, but the spatial size of '${n.input?.[0] ?? ''}' is not known`);
        else setFlow(out0, { space: f0.space, fromEnd: 1, rank: 2, block: f0.block * hw });
      } else if (op === 'Shape' && onlyFirst) {
        const why = shapeIssue(i, f0);
        if (why) blockAll(`its channels' count is read by ${label}, ${why}`);
      } else if (op === 'Reshape' && onlyFirst) {
        const hw = trailing(n.input?.[0] ?? '', f0);
        const shapeName = n.input?.[1] ?? '';
        const known = inp.values.get(shapeName);
        const shape = known?.dims.length === 1 ? known.values : undefined;
        const batch = types.get(n.input?.[0] ?? '')?.shape?.[0];
        const block2 = f0.block * (hw ?? 0);
        const width = group(f0.space).channels * block2;
        const [first, second] = shape ?? [];
        const firstOk = first === 0 || (first === -1 && second !== -1) || (first !== null && first !== undefined && first === batch);
        const constShape = ed.constant(shapeName)?.dataType === DataType.INT64;
        const fail = () => blockAll(`its channels reach ${label}, which pruning cannot prove to be a flatten to [N, -1]`);
        if (absAxis(f0) !== 1 || hw === undefined || !shape || shape.length !== 2 || !firstOk) fail();
        else if (second === -1) setFlow(out0, { space: f0.space, fromEnd: 1, rank: 2, block: block2 });
        else if (second === width && constShape && typeof first === 'number') {
          group(f0.space).reshapes.push({ node: i, shape: [BigInt(first), BigInt(second)], at: 1, block: block2 });
          setFlow(out0, { space: f0.space, fromEnd: 1, rank: 2, block: block2 });
        } else fail();
      } else {
        blockAll(`its channels reach ${label}, which pruning cannot follow`);
      }
    }

    // A prunable node opens a channel space on its output (after shrinking on its input side above).
    if (target && canProduce(target) && PRODUCER_LIKE.has(op)) {
      const rank = target.opType === 'Conv' ? target.dims.length : target.opType === 'Gemm' ? 2 : (types.get(out0)?.shape?.length ?? undefined);
      const fromEnd = target.opType === 'Conv' ? target.dims.length - 1 : 1;
      const s = newSpace(target);
      const f: Flow = { space: s, fromEnd, rank, block: 1 };
      const bias = target.bias;
      if (bias && target.opType === 'Conv') {
        if (ed.constant(bias)) group(s).slices.push({ node: i, input: 2, axis: 0, block: 1 });
        else block(s, `its bias '${bias}' is computed at run time`);
      } else if (bias && !ed.constant(bias)) block(s, `its bias '${bias}' is computed at run time`);
      else if (bias) constOperand(f, i, 2);
      setFlow(out0, f);
    }
  }

  const roots = [...new Set(data.map((_, s) => find(s)))].sort((a, b) => a - b);
  const groups = roots.map((r) => data[r]!);
  const out = new Map<number, ChannelGroup>();
  for (const [index, s] of groupOf) out.set(index, group(s));
  return { groups, groupOf: out };
}
