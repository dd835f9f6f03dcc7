/** Small graph builders for the graph-view and shape-inference tests (plain protobufjs property objects). */
import { onnx } from '../../../../src/core/proto/onnx';
import { inferShapes, type Dim, type TypeInfo } from '../../../../src/core/shape-inference';
import { L, node, tensorInfo } from '../build';

export { L, node, tensorInfo };
export const T = onnx.TensorProto.DataType;
export const A = onnx.AttributeProto.AttributeType;

type Attr = onnx.AttributeProto.$Properties;
type TensorProto = onnx.TensorProto.$Properties;
type Graph = onnx.GraphProto.$Properties;

export const attr = {
  int: (name: string, i: number): Attr => ({ name, type: A.INT, i: L(i) }),
  ints: (name: string, v: number[]): Attr => ({ name, type: A.INTS, ints: v.map(L) }),
  float: (name: string, f: number): Attr => ({ name, type: A.FLOAT, f }),
  floats: (name: string, v: number[]): Attr => ({ name, type: A.FLOATS, floats: v }),
  str: (name: string, s: string): Attr => ({ name, type: A.STRING, s: new TextEncoder().encode(s) }),
  strs: (name: string, v: string[]): Attr => ({ name, type: A.STRINGS, strings: v.map((s) => new TextEncoder().encode(s)) }),
  tensor: (name: string, t: TensorProto): Attr => ({ name, type: A.TENSOR, t }),
  graph: (name: string, g: Graph): Attr => ({ name, type: A.GRAPH, g }),
};

/** An INT64 tensor in raw_data. */
export function int64(name: string, dims: number[], values: (number | bigint)[]): TensorProto {
  return { name, dims: dims.map(L), dataType: T.INT64, rawData: new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer) };
}

/** A FLOAT tensor in float_data. */
export function floats(name: string, dims: number[], values: number[]): TensorProto {
  return { name, dims: dims.map(L), dataType: T.FLOAT, floatData: values };
}

/** A Constant node producing an INT64 tensor. */
export function constInt(output: string, values: number[], dims: number[] = [values.length]): onnx.NodeProto.$Properties {
  return node('Constant', [], [output], { attribute: [attr.tensor('value', int64('', dims, values))] });
}

export interface InferSpec {
  nodes: onnx.NodeProto.$Properties[];
  inputs?: [string, number, Dim[] | null][];
  initializers?: TensorProto[];
  opset?: number;
}

/** Runs shape inference over a small graph (inputs as [name, elemType, shape]). */
export function infer(spec: InferSpec): Map<string, TypeInfo> {
  const graph: Graph = {
    name: 'g',
    node: spec.nodes,
    input: (spec.inputs ?? []).map(([n, t, s]) => tensorInfo(n, t, s)),
    output: [],
    initializer: spec.initializers ?? [],
  };
  return inferShapes(graph, [{ domain: '', version: L(spec.opset ?? 17) }]);
}

/** The inferred shape of `name` (throws when the tensor is unknown, to make failures readable). */
export function shapeOf(types: Map<string, TypeInfo>, name: string): Dim[] | null {
  const t = types.get(name);
  if (!t) throw new Error(`no type for ${name}`);
  return t.shape;
}
