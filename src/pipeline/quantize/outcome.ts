/** What a mode's rewrite reports back to the run: per-node outcomes, skipped nodes, byte counts. */
import type { QuantizedNodeReport, SkippedNode } from '../../protocol/quantize';

export interface NodeOutcome {
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly status: QuantizedNodeReport['status'];
  readonly precision: QuantizedNodeReport['precision'];
  readonly weight?: string;
  /** The node's first float output in the source model. */
  readonly output?: string;
  /** The tensor of the quantized model compared with `output` for activation SQNR. */
  readonly quantOutput?: string;
  /** Element type of `quantOutput` in the quantized model (FLOAT unless fp16). */
  readonly quantOutputType?: number;
  readonly weightSqnr?: number;
  readonly replacedBy?: readonly string[];
}

export interface RewriteOutcome {
  readonly nodes: NodeOutcome[];
  readonly skipped: SkippedNode[];
  readonly warnings: string[];
  /** Stored bytes of the float weights replaced, and of the tensors written in their place. */
  weightBytesBefore: number;
  weightBytesAfter: number;
}

export function emptyOutcome(): RewriteOutcome {
  return { nodes: [], skipped: [], warnings: [], weightBytesBefore: 0, weightBytesAfter: 0 };
}
