import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ExternalDataError } from './errors';
import type { onnx } from './proto/onnx';

export interface ExternalDataInfo {
  readonly location: string;
  readonly offset: number;
  /** null when the entry has no length (the data runs to the end of the file). */
  readonly length: number | null;
  readonly checksum?: string;
}

/** The external_data key/value entries of a TensorProto, parsed. */
export function externalDataInfo(t: onnx.TensorProto.$Properties, file?: string): ExternalDataInfo {
  const kv = new Map<string, string>();
  for (const e of t.externalData ?? []) kv.set(e.key ?? '', e.value ?? '');
  const location = kv.get('location');
  const name = t.name ?? '';
  if (!location) throw new ExternalDataError(`tensor '${name}' is marked EXTERNAL but has no 'location' entry`, file);
  const num = (key: string): number | null => {
    const v = kv.get(key);
    if (v === undefined || v === '') return null;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ExternalDataError(`tensor '${name}' has an invalid external data ${key} '${v}'`, file);
    }
    return n;
  };
  return { location, offset: num('offset') ?? 0, length: num('length'), checksum: kv.get('checksum') };
}

/**
 * Resolves an external-data location against the model's folder. Absolute locations and locations that
 * leave the folder (`../x`, or a symlink pointing outside) are refused: a model must not read arbitrary files.
 */
export function resolveExternalPath(location: string, modelDir: string, file?: string, tensor?: string): string {
  const what = tensor ? `tensor '${tensor}': ` : '';
  if (path.isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\\\')) {
    throw new ExternalDataError(`${what}external data location '${location}' is an absolute path; only paths inside the model's folder are allowed`, file);
  }
  if (location.includes('\0')) throw new ExternalDataError(`${what}external data location contains a NUL character`, file);
  const resolved = path.resolve(modelDir, location);
  const rel = path.relative(modelDir, resolved);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ExternalDataError(`${what}external data location '${location}' leaves the model's folder; refused`, file);
  }
  return resolved;
}

/** Checks that a resolved external file, after following links, still lies inside the model folder. */
async function assertInside(resolved: string, modelDir: string, location: string, file?: string): Promise<void> {
  let real: string;
  let realDir: string;
  try {
    real = await fsp.realpath(resolved);
    realDir = await fsp.realpath(modelDir);
  } catch {
    throw new ExternalDataError(`external data file '${location}' does not exist`, file);
  }
  const rel = path.relative(realDir, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ExternalDataError(`external data location '${location}' links outside the model's folder; refused`, file);
  }
}

/** Reads the bytes of an EXTERNAL tensor (bounds-checked against the data file's size). */
export async function readExternalData(t: onnx.TensorProto.$Properties, modelDir: string, file?: string): Promise<Uint8Array> {
  const info = externalDataInfo(t, file);
  const name = t.name ?? '';
  const resolved = resolveExternalPath(info.location, modelDir, file, name);
  await assertInside(resolved, modelDir, info.location, file);
  const st = await fsp.stat(resolved);
  const length = info.length ?? st.size - info.offset;
  if (info.offset + length > st.size) {
    throw new ExternalDataError(
      `tensor '${name}': external data '${info.location}' is ${st.size} bytes, too short for offset ${info.offset} + length ${length}`,
      file,
    );
  }
  if (length > 2 ** 31 - 1) {
    throw new ExternalDataError(`tensor '${name}': external data of ${length} bytes is too large to load at once`, file);
  }
  const h = await fsp.open(resolved, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await h.read(buf, done, length - done, info.offset + done);
      if (bytesRead === 0) throw new ExternalDataError(`tensor '${name}': unexpected end of '${info.location}'`, file);
      done += bytesRead;
    }
    return buf;
  } finally {
    await h.close();
  }
}
