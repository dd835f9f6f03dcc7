/**
 * The protobuf message shapes the code passes around, named once. `onnx.XProto.$Properties` is what the
 * generated code (src/core/proto) reads and writes: plain objects, every field optional.
 */
import type { onnx } from './proto/onnx';

export type ModelProto = onnx.ModelProto.$Properties;
export type Graph = onnx.GraphProto.$Properties;
export type Node = onnx.NodeProto.$Properties;
export type Attribute = onnx.AttributeProto.$Properties;
export type TensorProto = onnx.TensorProto.$Properties;
export type SparseTensorProto = onnx.SparseTensorProto.$Properties;
export type ValueInfo = onnx.ValueInfoProto.$Properties;
export type TypeProto = onnx.TypeProto.$Properties;
export type FunctionProto = onnx.FunctionProto.$Properties;
