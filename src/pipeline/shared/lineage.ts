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
import { basename } from 'node:path';
import { TOOL_NAME, TOOL_VERSION } from './version';
import type { Lineage, LineageOperation } from '../../protocol/lineage';
import { rename, rm } from 'node:fs/promises';
import { openModel, writeModel } from '../../core';
import type { onnx } from '../../core/proto/onnx';
import { stagingPath } from './artifact';

export const LINEAGE_KEY = 'ptp.lineage';

export type { Lineage, LineageOperation } from '../../protocol/lineage';

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

/** The lineage of a model derived from the file `parent` (its sha256 is computed here). */
export async function lineageOf(parent: string, operation: LineageOperation, params: object, signal?: AbortSignal): Promise<Lineage> {
  return makeLineage(await sha256File(parent, signal), operation, jsonCopy(params), basename(parent));
}

/** Sets `lineage` in the model's own `metadata_props` (other entries kept); returns the same proto. */
export function stampLineage<T extends onnx.ModelProto.$Properties>(proto: T, lineage: Lineage): T {
  proto.metadataProps = withLineage(proto.metadataProps, lineage);
  return proto;
}

/** params as they read back from the file: JSON only (undefined fields dropped), so a result and its file agree. */
function jsonCopy(params: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
}

/**
 * Makes sure the written model `file` carries `lineage` (a step that rewrote it, such as onnxruntime's offline
 * optimization or fine-tuning, may have dropped or replaced it): rewritten atomically when it does not.
 */
export async function ensureLineageFile(file: string, lineage: Lineage): Promise<void> {
  const model = await openModel(file);
  const tmp = stagingPath(file, '.lineage.tmp');
  try {
    const now = readLineage(model.proto.metadataProps);
    if (now && JSON.stringify(now) === JSON.stringify(lineage)) return;
    stampLineage(model.proto, lineage);
    await writeModel(model, tmp);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    await model.close();
  }
  await rename(tmp, file);
}
