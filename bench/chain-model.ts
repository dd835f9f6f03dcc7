/**
 * Writes large synthetic ONNX models for the benchmarks, streaming: a chain of MatMul → Add layers with
 * float32 initializers in `raw_data`, up to protobuf's 2 GB limit, without ever holding the model in memory.
 *
 * Small messages (the model header, each node, each initializer's header, the value infos) are encoded with
 * protobufjs; the length-delimited framing of the graph and of each initializer is written by hand, and the
 * tensor bytes go to the file in fixed-size chunks. Fields are written in field-number order like onnx's own
 * serializer: nodes, graph name, initializers, then graph inputs/outputs (so a reader meets every
 * initializer before it meets the graph inputs).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import Long from 'long';
import { Writer } from 'protobufjs/minimal';
import { onnx } from '../src/core/proto/onnx';

export interface ChainSpec {
  /** MatMul/Add pairs: the model has 2·layers nodes and 2·layers initializers. */
  readonly layers: number;
  /** Width: each layer has a [hidden, hidden] weight and a [hidden] bias. */
  readonly hidden: number;
}

export interface ChainFacts {
  readonly bytes: number;
  readonly nodes: number;
  readonly initializers: number;
  readonly parameters: number;
}

/** protobuf's hard limit on one serialized message (2 GiB − 1). */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;
const CHUNK_BYTES = 4 << 20;
const WIRE_LEN = 2;
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;

/** The widest chain of `layers` layers whose file stays at or under `targetBytes`. */
export function planChain(targetBytes: number, layers = 200): ChainSpec {
  let hidden = Math.max(1, Math.floor(Math.sqrt(targetBytes / (4 * layers))));
  while (hidden > 1 && chainFileSize({ layers, hidden }) > targetBytes) hidden--;
  return { layers, hidden };
}

/** The exact file size `writeChainModel` produces for `spec`. */
export function chainFileSize(spec: ChainSpec): number {
  return layout(spec).total;
}

/** Streams the model to `file` (created or truncated) and returns what it holds. */
export function writeChainModel(file: string, spec: ChainSpec): ChainFacts {
  const plan = layout(spec);
  if (plan.total > PROTOBUF_LIMIT) {
    throw new Error(`a ${spec.layers}×${spec.hidden} chain would be ${plan.total} bytes, over protobuf's 2 GiB limit`);
  }
  const chunk = weightChunk(spec.hidden);
  const fd = openSync(file, 'w');
  let written = 0;
  const put = (b: Uint8Array): void => {
    let off = 0;
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    written += b.length;
  };
  try {
    put(plan.head);
    put(tagLen(MODEL_GRAPH, plan.graphLength));
    for (const n of plan.nodes) put(n);
    put(plan.graphName);
    for (const t of plan.tensors) {
      put(tagLen(GRAPH_INITIALIZER, t.messageLength));
      put(t.header);
      put(tagLen(TENSOR_RAW_DATA, t.rawLength));
      for (let left = t.rawLength; left > 0; left -= CHUNK_BYTES) {
        put(left >= CHUNK_BYTES ? chunk : chunk.subarray(0, left));
      }
    }
    put(plan.io);
    put(plan.tail);
  } finally {
    closeSync(fd);
  }
  if (written !== plan.total) throw new Error(`wrote ${written} bytes, planned ${plan.total}`);
  const { layers, hidden } = spec;
  return { bytes: written, nodes: 2 * layers, initializers: 2 * layers, parameters: layers * (hidden * hidden + hidden) };
}

interface TensorPlan {
  readonly header: Uint8Array;
  readonly rawLength: number;
  readonly messageLength: number;
}

interface Layout {
  readonly head: Uint8Array;
  readonly nodes: Uint8Array[];
  readonly graphName: Uint8Array;
  readonly tensors: TensorPlan[];
  readonly io: Uint8Array;
  readonly tail: Uint8Array;
  readonly graphLength: number;
  readonly total: number;
}

function layout({ layers, hidden }: ChainSpec): Layout {
  const L = (n: number) => Long.fromNumber(n);
  const head = onnx.ModelProto.encode({
    irVersion: L(8),
    opsetImport: [{ domain: '', version: L(13) }],
    producerName: 'ptp-bench',
    producerVersion: '1',
    modelVersion: L(1),
    docString: `synthetic MatMul/Add chain: ${layers} layers of ${hidden}×${hidden} float32 weights`,
  }).finish();
  const tail = onnx.ModelProto.encode({
    metadataProps: [
      { key: 'generator', value: 'bench/chain-model.ts' },
      { key: 'layers', value: String(layers) },
      { key: 'hidden', value: String(hidden) },
    ],
  }).finish();

  const nodes: Uint8Array[] = [];
  const tensors: TensorPlan[] = [];
  let prev = 'x';
  for (let i = 0; i < layers; i++) {
    const mm = `mm_${i}`;
    const out = i === layers - 1 ? 'y' : `h_${i}`;
    nodes.push(
      onnx.GraphProto.encode({ node: [{ name: `MatMul_${i}`, opType: 'MatMul', input: [prev, `W_${i}`], output: [mm] }] }).finish(),
      onnx.GraphProto.encode({ node: [{ name: `Add_${i}`, opType: 'Add', input: [mm, `B_${i}`], output: [out] }] }).finish(),
    );
    tensors.push(tensorPlan(`W_${i}`, [hidden, hidden]), tensorPlan(`B_${i}`, [hidden]));
    prev = out;
  }
  const graphName = onnx.GraphProto.encode({ name: 'chain' }).finish();
  const valueInfo = (name: string) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: L(hidden) }] } } },
  });
  const io = onnx.GraphProto.encode({ input: [valueInfo('x')], output: [valueInfo('y')] }).finish();

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const graphLength =
    sum(nodes.map((n) => n.length)) +
    graphName.length +
    sum(tensors.map((t) => tagLen(GRAPH_INITIALIZER, t.messageLength).length + t.messageLength)) +
    io.length;
  const total = head.length + tagLen(MODEL_GRAPH, graphLength).length + graphLength + tail.length;
  return { head, nodes, graphName, tensors, io, tail, graphLength, total };
}

function tensorPlan(name: string, dims: number[]): TensorPlan {
  const header = onnx.TensorProto.encode({
    name,
    dims: dims.map((d) => Long.fromNumber(d)),
    dataType: onnx.TensorProto.DataType.FLOAT,
  }).finish();
  const rawLength = 4 * dims.reduce((a, b) => a * b, 1);
  return { header, rawLength, messageLength: header.length + tagLen(TENSOR_RAW_DATA, rawLength).length + rawLength };
}

/** Tag and length prefix of a length-delimited field. */
function tagLen(field: number, length: number): Uint8Array {
  return Writer.create()
    .uint32((field << 3) | WIRE_LEN)
    .uint32(length)
    .finish();
}

/** One chunk of deterministic pseudo-random weights, uniform in ±1/√hidden, reused for every tensor. */
function weightChunk(hidden: number): Uint8Array {
  const values = new Float32Array(CHUNK_BYTES / 4);
  const scale = 1 / Math.sqrt(hidden);
  let s = 0x9e3779b9;
  for (let i = 0; i < values.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    values[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 2 * scale;
  }
  return new Uint8Array(values.buffer);
}
