/**
 * A small ONNX → tfjs interpreter for the operators students are made of, so a student kept as an ONNX graph can be
 * trained: its float initializers become tfjs variables, the nodes from the input to the scores tensor are executed
 * with tfjs's differentiable ops (NCHW as ONNX has it). Only inference semantics (BatchNormalization uses its running
 * statistics, Dropout is the identity). An operator outside the list is a DistillError naming the node.
 */
import { longToNumber } from '../../core/long';
import type { onnx } from '../../core/proto/onnx';
import { DataType } from '../../core/tensor/dtypes';
import type { DecodedTensor } from '../../core/tensor/types';
import { findAttr, floatAttr, intAttr, intsAttr } from '../shared/nodes';
import { conv2dNhwc, type Pads2D } from './conv';
import { DistillError } from './errors';
import { tf } from './tf';
import type { Node, TensorProto } from '../../core/onnx-types';


export const SUPPORTED_OPS = [
  'Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Relu', 'LeakyRelu', 'Tanh', 'Sigmoid', 'Softmax', 'Conv',
  'BatchNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Reshape', 'Identity', 'Dropout', 'Cast',
  'Constant',
] as const;
const SUPPORTED = new Set<string>(SUPPORTED_OPS);

/** Which inputs of an op are weights the trainer may change (other float initializers stay constant). */
const TRAINABLE_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Gemm: [0, 1, 2],
  MatMul: [0, 1],
  Conv: [1, 2],
  Add: [0, 1],
  Sub: [0, 1],
  Mul: [0, 1],
  BatchNormalization: [1, 2],
};

export interface TrainableGraph {
  /** The executed nodes, in graph order. */
  readonly nodes: readonly Node[];
  /** Trainable initializers by name. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** The graph's output for a batch of inputs (call inside tf.tidy). */
  forward(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/**
 * Prepares the nodes computing `output` from `input`: checks every operator, reads the initializers they use
 * (`readTensor`), makes the trainable ones variables.
 */
export async function trainableGraph(
  graph: onnx.GraphProto.$Properties,
  input: string,
  output: string,
  readTensor: (t: TensorProto) => Promise<DecodedTensor>,
  file: string,
): Promise<TrainableGraph> {
  const producers = new Map<string, Node>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) if (o) producers.set(o, n);
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const needed = new Set<Node>();
  const stack = [output];
  const seen = new Set<string>();
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || name === input || inits.has(name)) continue;
    seen.add(name);
    const p = producers.get(name);
    if (!p) throw new DistillError('bad-teacher', `tensor '${name}' is neither computed from the input '${input}' nor a weight`, file);
    needed.add(p);
    for (const i of p.input ?? []) if (i) stack.push(i);
  }
  const nodes = (graph.node ?? []).filter((n) => needed.has(n));
  const unsupported = nodes.filter((n) => (n.domain ?? '') !== '' || !SUPPORTED.has(n.opType ?? ''));
  if (unsupported.length) {
    const ops = [...new Set(unsupported.map((n) => `${n.domain ? `${n.domain}.` : ''}${n.opType}`))];
    throw new DistillError(
      'bad-teacher',
      `the student would contain operators the trainer cannot run: ${ops.join(', ')} (node '${unsupported[0]!.name ?? ''}'); supported: ${SUPPORTED_OPS.join(', ')}`,
      file,
    );
  }
  const trainableNames = new Set<string>();
  for (const n of nodes) for (const i of TRAINABLE_INPUTS[n.opType ?? ''] ?? []) if (n.input?.[i] && inits.has(n.input[i]!)) trainableNames.add(n.input[i]!);

  const consts = new Map<string, tf.Tensor>();
  const ints = new Map<string, number[]>();
  const variables = new Map<string, tf.Variable>();
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const keep = (name: string, d: DecodedTensor, trainable: boolean) => {
    const dims = [...d.dims];
    if (d.dataType === DataType.FLOAT || d.dataType === DataType.DOUBLE || d.dataType === DataType.FLOAT16) {
      const v = tf.tensor(Float32Array.from(d.values as ArrayLike<number>), dims, 'float32');
      if (trainable && d.dataType === DataType.FLOAT) {
        variables.set(name, tf.variable(v, true));
        v.dispose();
      } else consts.set(name, v);
    } else if (d.dataType === DataType.INT64 || d.dataType === DataType.INT32) {
      ints.set(name, Array.from(d.values as ArrayLike<number | bigint>, (x) => Number(x)));
    }
  };
  try {
    for (const name of used) {
      const t = inits.get(name);
      if (t) keep(name, await readTensor(t), trainableNames.has(name));
    }
    // Constant nodes are constants of the graph (never trained), read once like initializers.
    for (const n of nodes) if (n.opType === 'Constant') keep(n.output![0]!, await constantValue(n, readTensor, file), false);
  } catch (e) {
    for (const t of [...consts.values(), ...variables.values()]) t.dispose();
    throw e;
  }

  const forward = (x: tf.Tensor): tf.Tensor => {
    const env = new Map<string, tf.Tensor>([[input, x]]);
    const get = (name: string | undefined | null): tf.Tensor => {
      const v = (name && (env.get(name) ?? variables.get(name) ?? consts.get(name))) || undefined;
      if (!v) throw new DistillError('bad-teacher', `tensor '${name}' has no value (an input of the student other than '${input}'?)`, file);
      return v;
    };
    for (const n of nodes) {
      if (n.opType === 'Constant') continue;
      const out = runNode(n, get, (name) => ints.get(name ?? ''), file);
      env.set(n.output![0]!, out);
    }
    return get(output);
  };

  return {
    nodes,
    variables,
    forward,
    dispose() {
      for (const t of [...consts.values(), ...variables.values()]) t.dispose();
    },
  };
}

function runNode(n: Node, get: (name: string | undefined | null) => tf.Tensor, ints: (name: string | undefined | null) => number[] | undefined, file: string): tf.Tensor {
  const inp = n.input ?? [];
  const x = (i: number) => get(inp[i]);
  switch (n.opType) {
    case 'Gemm': {
      let y = tf.matMul(x(0), x(1), intAttr(n, 'transA', 0) === 1, intAttr(n, 'transB', 0) === 1);
      const alpha = floatAttr(n, 'alpha', 1);
      if (alpha !== 1) y = tf.mul(y, alpha);
      if (inp[2]) {
        const beta = floatAttr(n, 'beta', 1);
        y = tf.add(y, beta === 1 ? x(2) : tf.mul(x(2), beta));
      }
      return y;
    }
    case 'MatMul':
      return tf.matMul(x(0), x(1));
    case 'Add':
      return tf.add(x(0), x(1));
    case 'Sub':
      return tf.sub(x(0), x(1));
    case 'Mul':
      return tf.mul(x(0), x(1));
    case 'Div':
      return tf.div(x(0), x(1));
    case 'Relu':
      return tf.relu(x(0));
    case 'LeakyRelu':
      return tf.leakyRelu(x(0), floatAttr(n, 'alpha', 0.01));
    case 'Tanh':
      return tf.tanh(x(0));
    case 'Sigmoid':
      return tf.sigmoid(x(0));
    case 'Softmax':
      return tf.softmax(x(0), intAttr(n, 'axis', -1));
    case 'Identity':
    case 'Dropout':
    case 'Cast':
      return x(0);
    case 'Flatten': {
      const t = x(0);
      const axis = intAttr(n, 'axis', 1);
      const a = axis < 0 ? axis + t.rank : axis;
      const lead = t.shape.slice(0, a).reduce((p, d) => p * d, 1);
      return tf.reshape(t, [lead, -1]);
    }
    case 'Reshape': {
      const t = x(0);
      const shape = ints(inp[1]);
      if (!shape) throw new DistillError('bad-teacher', `Reshape '${n.name ?? ''}' takes a computed shape; the trainer needs a constant shape`, file);
      const target = shape.map((d, i) => (d === 0 && intAttr(n, 'allowzero', 0) === 0 ? t.shape[i]! : d));
      return tf.reshape(t, target);
    }
    case 'Conv':
      return conv(n, x(0), x(1), inp[2] ? x(2) : null, file);
    case 'BatchNormalization': {
      const t = x(0);
      const eps = floatAttr(n, 'epsilon', 1e-5);
      const shape = [1, t.shape[1]!, ...Array<number>(Math.max(0, t.rank - 2)).fill(1)];
      const r = (v: tf.Tensor) => tf.reshape(v, shape);
      // (t − mean) · scale / √(var + ε) + bias, as one per-channel multiply and add.
      const k = tf.mul(x(1), tf.rsqrt(tf.add(x(4), eps)));
      return tf.add(tf.mul(t, r(k)), r(tf.sub(x(2), tf.mul(x(3), k))));
    }
    case 'MaxPool':
    case 'AveragePool':
      return pool(n, x(0), file);
    case 'GlobalAveragePool': {
      const t = x(0);
      return tf.mean(t, Array.from({ length: t.rank - 2 }, (_, i) => i + 2), true);
    }
    default:
      throw new DistillError('bad-teacher', `operator ${n.opType} (node '${n.name ?? ''}') is not supported by the trainer`, file);
  }
}

/** The value of a Constant node (its `value` tensor, or a `value_float(s)` / `value_int(s)` attribute). */
async function constantValue(n: Node, readTensor: (t: TensorProto) => Promise<DecodedTensor>, file: string): Promise<DecodedTensor> {
  const name = n.output![0]!;
  const value = findAttr(n, 'value');
  if (value?.t) return readTensor(value.t);
  const f = findAttr(n, 'value_float') ?? findAttr(n, 'value_floats');
  if (f) {
    const values = Float32Array.from(f.name === 'value_float' ? [f.f ?? 0] : (f.floats ?? []));
    return { name, dataType: DataType.FLOAT, dims: f.name === 'value_float' ? [] : [values.length], size: values.length, values };
  }
  const i = findAttr(n, 'value_int') ?? findAttr(n, 'value_ints');
  if (i) {
    const values = Int32Array.from(i.name === 'value_int' ? [longToNumber(i.i)] : (i.ints ?? []).map((v) => longToNumber(v)));
    return { name, dataType: DataType.INT32, dims: i.name === 'value_int' ? [] : [values.length], size: values.length, values };
  }
  throw new DistillError('bad-teacher', `Constant '${n.name ?? ''}' holds a kind of value the trainer cannot read (it reads value, value_float(s), value_int(s))`, file);
}

/** Explicit NCHW padding from ONNX `pads` / `auto_pad`. */
function padding(n: Node, spatial: number): 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] {
  const auto = findAttr(n, 'auto_pad');
  const mode = auto?.s ? Buffer.from(auto.s).toString('utf8') : 'NOTSET';
  if (mode === 'SAME_UPPER') return 'same';
  if (mode === 'VALID') return 'valid';
  const pads = intsAttr(n, 'pads') ?? Array<number>(spatial * 2).fill(0);
  return [[0, 0], [0, 0], [pads[0] ?? 0, pads[2] ?? 0], [pads[1] ?? 0, pads[3] ?? 0]];
}

function conv(n: Node, x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null, file: string): tf.Tensor {
  if (x.rank !== 4) throw new DistillError('bad-teacher', `Conv '${n.name ?? ''}' is ${x.rank - 2}-D; the trainer runs 2-D convolutions`, file);
  if (intAttr(n, 'group', 1) !== 1) throw new DistillError('bad-teacher', `Conv '${n.name ?? ''}' is grouped (group ${intAttr(n, 'group', 1)}); the trainer runs group 1`, file);
  const strides = (intsAttr(n, 'strides') ?? [1, 1]) as [number, number];
  const dil = (intsAttr(n, 'dilations') ?? [1, 1]) as [number, number];
  // ONNX weights [M, C, kH, kW] → tfjs filter [kH, kW, C, M]; the image NCHW → NHWC and back.
  const filter = tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D;
  const [kH, kW] = [filter.shape[0], filter.shape[1]];
  const [H, W] = [x.shape[2]!, x.shape[3]!];
  const p = padding(n, 2);
  const pads: Pads2D =
    p === 'valid' ? [[0, 0], [0, 0]] : p === 'same' ? [samePads(H, kH, strides[0], dil[0]), samePads(W, kW, strides[1], dil[1])] : [p[2], p[3]];
  const nhwc = tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
  let y: tf.Tensor = conv2dNhwc(nhwc, filter, { strides, dilations: dil, pads });
  // The bias is added while channels are last (tfjs broadcasts over the last axis fastest).
  if (b) y = tf.add(y, b);
  return tf.transpose(y, [0, 3, 1, 2]);
}

/** SAME_UPPER padding of one axis: the output is ceil(size / stride) long, the odd pixel of padding at the end. */
function samePads(size: number, k: number, stride: number, dilation: number): [number, number] {
  const total = Math.max(0, (Math.ceil(size / stride) - 1) * stride + (k - 1) * dilation + 1 - size);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function pool(n: Node, x: tf.Tensor, file: string): tf.Tensor {
  if (x.rank !== 4) throw new DistillError('bad-teacher', `${n.opType} '${n.name ?? ''}' is ${x.rank - 2}-D; the trainer runs 2-D pooling`, file);
  const k = (intsAttr(n, 'kernel_shape') ?? [1, 1]) as [number, number];
  const s = (intsAttr(n, 'strides') ?? [1, 1]) as [number, number];
  const p = padding(n, 2);
  let pad: 'same' | 'valid' | number = 'valid';
  if (p === 'same' || p === 'valid') pad = p;
  else {
    const all = [p[2][0], p[2][1], p[3][0], p[3][1]];
    if (all.some((v) => v !== all[0])) throw new DistillError('bad-teacher', `${n.opType} '${n.name ?? ''}' pads unevenly; the trainer supports equal pads`, file);
    pad = all[0] === 0 ? 'valid' : all[0]!;
  }
  if (intAttr(n, 'ceil_mode', 0) === 1) throw new DistillError('bad-teacher', `${n.opType} '${n.name ?? ''}' uses ceil_mode; the trainer supports floor mode`, file);
  const nhwc = tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
  const y = n.opType === 'MaxPool' ? tf.maxPool(nhwc, k, s, pad) : tf.avgPool(nhwc, k, s, pad);
  return tf.transpose(y, [0, 3, 1, 2]);
}

/** The values of a variable as an ONNX-ready float32 copy. */
export function variableValues(v: tf.Variable): Float32Array {
  return Float32Array.from(v.dataSync() as Float32Array);
}
