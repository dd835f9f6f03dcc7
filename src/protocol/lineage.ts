/**
 * The lineage record every derived model carries in its own `metadata_props` under `ptp.lineage`, and every
 * result of quantize / optimize / prune / distill reports as `lineage` (the same object). snake_case: a file
 * format other tools read. Written and read by src/pipeline/shared/lineage.ts.
 */
export type LineageOperation = 'quantize' | 'optimize' | 'prune' | 'distill';

export interface Lineage {
  /** sha256 (hex) of the parent model file (its .onnx file; external data is not part of the hash). */
  readonly parent_sha256: string;
  /** The parent's file name when it was written (for people; the hash is what identifies it). */
  readonly parent_file?: string;
  readonly operation: LineageOperation;
  /** The operation's full parameters (the recipe), as the CLI's JSON names them. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly tool: string;
  readonly tool_version: string;
  /** ISO 8601 time the model was written. */
  readonly created: string;
}
