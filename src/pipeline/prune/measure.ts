/**
 * What a pruning report counts: the elements of all initializers (also in subgraphs), and a file's size gzip-
 * compressed — zeros compress, so it shows what sparse storage or a zipped artifact would save.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { longToNumber } from '../../core/long';
import type { onnx } from '../../core/proto/onnx';

/** Files are gzipped for the report only up to this many bytes in all. */
export const GZIP_LIMIT = 512 * 1024 * 1024;

/** Elements of every initializer (dense and sparse) of the model's graph and of its subgraphs. */
export function initializerElements(proto: onnx.ModelProto.$Properties): number {
  return graphElements(proto.graph ?? undefined);
}

function graphElements(g: onnx.GraphProto.$Properties | undefined): number {
  if (!g) return 0;
  let n = 0;
  for (const t of g.initializer ?? []) n += count(t.dims);
  for (const s of g.sparseInitializer ?? []) n += count(s.dims);
  for (const node of g.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) n += graphElements(a.g);
      for (const sub of a.graphs ?? []) n += graphElements(sub);
    }
  }
  return n;
}

function count(dims: onnx.TensorProto.$Properties['dims']): number {
  return (dims ?? []).reduce<number>((a, d) => a * longToNumber(d), 1);
}

/** Bytes of the files together (a model and its external data). */
export async function totalBytes(files: readonly string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(f)).size;
  return n;
}

/** Bytes of the files gzip-compressed (default level), each on its own, summed; undefined above GZIP_LIMIT. */
export async function gzipBytes(files: readonly string[], signal?: AbortSignal): Promise<number | undefined> {
  if ((await totalBytes(files)) > GZIP_LIMIT) return undefined;
  let n = 0;
  for (const f of files) {
    const counter = new Writable({
      write(chunk: Buffer, _enc, done) {
        n += chunk.length;
        done();
      },
    });
    await pipeline(createReadStream(f), createGzip(), counter, { signal });
  }
  return n;
}
