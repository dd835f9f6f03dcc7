import type Long from 'long';
import type { onnx } from '../proto/onnx';

/** One dimension: a number when fixed, a string when symbolic (`'N'`, `'batch'`), null when unknown. */
export type Dim = number | string | null;

/** Element type (TensorProto.DataType number, 0 = unknown) and shape (null = rank unknown) of a tensor. */
export interface TypeInfo {
  elemType: number;
  shape: Dim[] | null;
}

/**
 * A small constant, or partially known integer data such as a shape built by `Shape → Gather → Concat`:
 * entries are numbers when known, symbolic dim names when they stand for a symbolic dim, null when unknown.
 */
export interface ConstValue {
  readonly dims: readonly number[];
  readonly values: readonly Dim[];
}

/** Opset imports as the model lists them, or a map from domain (`''`/`ai.onnx`, `com.microsoft`, …) to version. */
export type Opsets = readonly { domain?: string | null; version?: Long | number | null }[] | ReadonlyMap<string, number>;

export interface InferOptions {
  /**
   * Values of initializers whose data the proto does not hold (models opened lazily keep weights on disk):
   * preload the small integer ones (see `loadShapeConstants` in graph-view) so shape chains can be folded.
   */
  readonly constants?: ReadonlyMap<string, ConstValue>;
  /** Model-local functions: nodes calling one are inferred through its body. */
  readonly functions?: readonly onnx.FunctionProto.$Properties[];
  /** When given, receives the result of every subgraph inferred on the way (keyed by the GraphProto). */
  readonly subgraphResults?: Map<object, InferResult>;
}

export interface InferResult {
  /** Every tensor of the graph whose type or shape is known, declared or inferred. */
  readonly types: Map<string, TypeInfo>;
  /** Tensors whose (small) value is known or partially known. */
  readonly values: Map<string, ConstValue>;
}

/** Largest constant (in elements) kept for folding. */
export const MAX_CONST_ELEMENTS = 1024;
