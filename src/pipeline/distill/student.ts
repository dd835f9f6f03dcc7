/** What a student is while it trains: an ONNX graph, the tensor the trainer fits, and how to export it. */
import type { onnx } from '../../core/proto/onnx';

/** An affine map folded into a Gemm's weights on export (standardized inputs, or standardized regression targets). */
export interface Standardization {
  /** The Gemm whose weight (`[in, out]`, transB = 0) and bias absorb the map. */
  readonly weight: string;
  readonly bias: string;
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

export interface StudentGraph {
  /** The whole student (initializers inline), trained values written back into its float initializers on export. */
  readonly proto: onnx.ModelProto;
  readonly input: string;
  /** The tensor the trainer fits: [N, K] logits (classification) or [N, width] values (regression). */
  readonly scores: string;
  /** Human-readable layer list. */
  readonly architecture: string;
  /** MLP students train on standardized inputs; this folds the standardization into the first layer. */
  readonly inputNorm?: Omit<Standardization, 'mean' | 'std'>;
  /** MLP regression students fit standardized targets; this folds the scale back into the last layer. */
  readonly outputNorm?: Omit<Standardization, 'mean' | 'std'>;
  readonly warnings: readonly string[];
}
