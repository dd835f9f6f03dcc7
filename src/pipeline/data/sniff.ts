/** Which reader a path needs: a folder is an image folder; files by extension, else by their first bytes. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from './errors';
import type { DatasetFormat } from './types';

const BY_EXTENSION: ReadonlyMap<string, DatasetFormat> = new Map([
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.tab', 'tsv'],
  ['.npy', 'npy'],
  ['.npz', 'npz'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
]);

/** The format of `file` (which must exist); throws DatasetError('not-found') when it does not. */
export async function detectFormat(file: string): Promise<DatasetFormat> {
  let st;
  try {
    st = await fsp.stat(file);
  } catch {
    throw new DatasetError(file, 'not-found', 'no such file or folder');
  }
  if (st.isDirectory()) return 'images';
  const byExt = BY_EXTENSION.get(path.extname(file).toLowerCase());
  if (byExt) return byExt;
  const fh = await fsp.open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(4096, st.size));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const byBytes = sniffBytes(head);
  if (byBytes) return byBytes;
  throw new DatasetError(
    file,
    'unsupported',
    'cannot tell the data format from the name or the first bytes; supported: .csv, .tsv, .npy, .npz, .jsonl, ' +
      '.parquet and image folders (one subfolder per class); pass the format explicitly',
  );
}

/** Format from the first bytes: NPY/NPZ/Parquet magic numbers, JSON lines, else delimited text. */
export function sniffBytes(head: Uint8Array): DatasetFormat | undefined {
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'npy';
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06])) return 'npz';
  if (starts([0x50, 0x41, 0x52, 0x31])) return 'parquet';
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) return undefined;
  const first = text.trimStart();
  if (first.startsWith('{')) return 'jsonl';
  const line = first.split('\n', 1)[0];
  if (line.includes('\t') && !line.includes(',')) return 'tsv';
  return first.length > 0 ? 'csv' : undefined;
}
