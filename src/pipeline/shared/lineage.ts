/**
 * Lineage that travels with the file: every model written by quantize / optimize / prune / distill carries, in its
 * own `metadata_props`, under the key `ptp.lineage`, one JSON object naming its parent (by sha256 of the parent
 * file), the operation and its full parameters, and the tool that wrote it. The registry reads it to find a new
 * version's parent by sha256, so lineage survives outside the registry (a file mailed to a colleague still says
 * where it came from). Keys are snake_case: this is a file format other tools read.
 *
 *   metadata_props: [{ key: 'ptp.lineage', value: '{"parent_sha256":"…","operation":"quantize","params":{…},"tool":"ptp","tool_version":"0.1.0","created":"…"}' }]
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TOOL_NAME, TOOL_VERSION } from './version';

export const LINEAGE_KEY = 'ptp.lineage';

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

/** sha256 (hex) of a file, streamed. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The lineage record of a model derived from `parentSha256` by `operation` with `params`. */
export function makeLineage(parentSha256: string, operation: LineageOperation, params: Readonly<Record<string, unknown>>, parentFile?: string): Lineage {
  return {
    parent_sha256: parentSha256,
    ...(parentFile ? { parent_file: parentFile } : {}),
    operation,
    params,
    tool: TOOL_NAME,
    tool_version: TOOL_VERSION,
    created: new Date().toISOString(),
  };
}

/** The `metadata_props` entry for `lineage`. */
export function lineageProp(lineage: Lineage): { key: string; value: string } {
  return { key: LINEAGE_KEY, value: JSON.stringify(lineage) };
}

/** `metadata_props` with the lineage entry set (any previous `ptp.lineage` replaced; other entries kept in order). */
export function withLineage<T extends { key?: string | null; value?: string | null }>(props: readonly T[] | null | undefined, lineage: Lineage): (T | { key: string; value: string })[] {
  return [...(props ?? []).filter((p) => p.key !== LINEAGE_KEY), lineageProp(lineage)];
}

/** The lineage in a model's `metadata_props`, or null when there is none or it is not a lineage record. */
export function readLineage(props: readonly { key?: string | null; value?: string | null }[] | null | undefined): Lineage | null {
  const entry = (props ?? []).find((p) => p.key === LINEAGE_KEY);
  if (!entry?.value) return null;
  try {
    const v = JSON.parse(entry.value) as Partial<Lineage>;
    if (typeof v.parent_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.parent_sha256) || typeof v.operation !== 'string' || typeof v.params !== 'object' || v.params === null) return null;
    return v as Lineage;
  } catch {
    return null;
  }
}
