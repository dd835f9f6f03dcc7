import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { sweepStaleTemps, tempPath } from './temp-files';
import { OnnxError, WriteError } from './errors';
import { externalDataInfo } from './external-data';
import { lengthDelimitedHeader } from './io/scanner';
import type { OnnxModel } from './model';
import { onnx } from './proto/onnx';
import { rawByteLength } from './tensor/dtypes';
import { decodeTensorFields, encodeTensorValues } from './tensor/decode';
import { tensorFieldsOf } from './tensor/fields';
import { readExternalData } from './external-data';
import { elementCount } from './inspect';
import type { TensorProto } from './onnx-types';


export interface WriteOptions {
  /**
   * Write tensor data to a separate file next to the model (required above protobuf's 2 GB limit).
   * `location` is relative to the output's folder (default `<output file name>.data`); tensors smaller than
   * `sizeThreshold` bytes (default 1024) stay inline; `align` pads each tensor's offset (default 4096).
   */
  readonly externalData?: { readonly location?: string; readonly sizeThreshold?: number; readonly align?: number } | boolean;
  /** Overwrite an existing output file (never the source model). Default true. */
  readonly overwrite?: boolean;
}

export interface WriteResult {
  readonly file: string;
  readonly bytes: number;
  readonly externalFile?: string;
  readonly externalBytes?: number;
}

/** protobuf's hard limit for one message: 2 GiB − 1. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;
const GRAPH_FIELD = 7;
const INITIALIZER_FIELD = 5;

type Piece = Uint8Array | { readonly copyFrom: TensorProto; readonly length: number };

/**
 * Serializes a model to `file`, atomically (a temp file renamed into place), streaming lazily-held
 * initializers from the source instead of loading them all. The source model file is never written.
 * Inline output: initializers keep their original encoding byte for byte (external ones are pulled inline).
 * With `externalData`: large tensors go to one data file as raw little-endian bytes.
 */
export async function writeModel(model: OnnxModel, file: string, options: WriteOptions = {}): Promise<WriteResult> {
  const out = path.resolve(file);
  if (model.file && path.resolve(model.file) === out) {
    throw new OnnxError('unsupported', 'refusing to overwrite the source model; write to a new file', out);
  }
  if (options.overwrite === false) {
    const exists = await fsp.stat(out).then(() => true, () => false);
    if (exists) throw new OnnxError('unsupported', 'output file already exists', out);
  }
  const ext = normalizeExternal(options.externalData, out);
  const proto = model.proto;
  const graph = proto.graph;

  await sweepStaleTemps(path.dirname(out));
  const dataTmp = ext ? tempPath(path.join(path.dirname(out), ext.location)) : undefined;
  const dataFile = ext ? path.join(path.dirname(out), ext.location) : undefined;
  let dataHandle: fsp.FileHandle | undefined;
  let dataOffset = 0;
  const modelTmp = tempPath(out);
  try {
    if (ext && dataTmp) dataHandle = await fsp.open(dataTmp, 'w');
    const initPieces: Piece[] = [];
    for (const t of graph?.initializer ?? []) {
      if (ext && dataHandle && (await tensorDataBytes(model, t)) >= ext.sizeThreshold) {
        const raw = await rawBytesOf(model, t);
        const pad = (ext.align - (dataOffset % ext.align)) % ext.align;
        if (pad) await writeAll(dataHandle, new Uint8Array(pad), dataOffset);
        dataOffset += pad;
        await writeAll(dataHandle, raw, dataOffset);
        const header = externalHeader(t, ext.location, dataOffset, raw.length);
        dataOffset += raw.length;
        pushMessage(initPieces, onnx.TensorProto.encode(header).finish());
      } else if (model.lazyRef(t) && (t.dataLocation ?? 0) !== 1) {
        const ref = model.lazyRef(t)!;
        initPieces.push(lengthDelimitedHeader(INITIALIZER_FIELD, ref.length), { copyFrom: t, length: ref.length });
      } else {
        const full = await inlineTensor(model, t);
        pushMessage(initPieces, onnx.TensorProto.encode(full).finish());
      }
    }
    if (dataHandle) {
      await dataHandle.sync();
      await dataHandle.close();
      dataHandle = undefined;
    }

    const sparse = await Promise.all((graph?.sparseInitializer ?? []).map((s) => inlineSparse(model, s)));
    const pieces: Piece[] = [];
    const head = onnx.ModelProto.encode({ ...proto, graph: null } as onnx.ModelProto.$Properties).finish();
    pieces.push(head);
    if (graph) {
      const graphRest = onnx.GraphProto.encode({ ...graph, initializer: [], sparseInitializer: sparse } as onnx.GraphProto.$Properties).finish();
      const graphLen = graphRest.length + sizeOf(initPieces);
      if (graphLen > PROTOBUF_LIMIT) {
        throw new OnnxError('unsupported', `the graph would be ${graphLen} bytes, above protobuf's 2 GB limit; write it with external data`, out);
      }
      pieces.push(lengthDelimitedHeader(GRAPH_FIELD, graphLen), graphRest, ...initPieces);
    }
    const total = sizeOf(pieces);
    if (total > PROTOBUF_LIMIT) {
      throw new OnnxError('unsupported', `the model would be ${total} bytes, above protobuf's 2 GB limit; write it with external data`, out);
    }
    await writePieces(model, modelTmp, pieces);
    if (dataTmp && dataFile) await fsp.rename(dataTmp, dataFile);
    await fsp.rename(modelTmp, out);
    return { file: out, bytes: total, externalFile: dataFile, externalBytes: ext ? dataOffset : undefined };
  } catch (e) {
    await dataHandle?.close().catch(() => undefined);
    await fsp.rm(modelTmp, { force: true });
    if (dataTmp) await fsp.rm(dataTmp, { force: true });
    throw writeFailure(e, out);
  }
}

/** What the file system says no to (a full disk, a read-only folder, no permission): the user's to fix, named. */
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the folder is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
};

/** The errno and a person's reason when `e` is a file-system refusal of a write; undefined for anything else. */
export function writeRefusal(e: unknown): { readonly code: string; readonly why: string } | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why = code ? WRITE_ERRORS[code] : undefined;
  return why && code ? { code, why } : undefined;
}

function writeFailure(e: unknown, out: string): unknown {
  const r = writeRefusal(e);
  return r ? new WriteError(r.code, `cannot write the model: ${r.why} (${r.code}); nothing was written`, out) : e;
}

function normalizeExternal(
  o: WriteOptions['externalData'],
  out: string,
): { location: string; sizeThreshold: number; align: number } | undefined {
  if (!o) return undefined;
  const opts = o === true ? {} : o;
  const location = opts.location ?? `${path.basename(out)}.data`;
  if (path.isAbsolute(location) || path.relative('.', path.normalize(location)).startsWith('..')) {
    throw new OnnxError('external-data', `external data location '${location}' must be a relative path inside the output folder`, out);
  }
  return { location, sizeThreshold: opts.sizeThreshold ?? 1024, align: Math.max(1, opts.align ?? 4096) };
}


function pushMessage(pieces: Piece[], msg: Uint8Array): void {
  pieces.push(lengthDelimitedHeader(INITIALIZER_FIELD, msg.length), msg);
}

function sizeOf(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += p instanceof Uint8Array ? p.length : p.length;
  return n;
}

async function tensorDataBytes(model: OnnxModel, t: TensorProto): Promise<number> {
  if ((t.dataLocation ?? 0) === 1) return externalDataInfo(t).length ?? Number.MAX_SAFE_INTEGER;
  const ref = model.lazyRef(t);
  if (ref) return ref.dataBytes;
  const n = rawByteLength(t.dataType ?? 0, elementCount(t));
  return n >= 0 ? n : 0;
}

/** The tensor's data as raw little-endian bytes (typed fields re-encoded). */
async function rawBytesOf(model: OnnxModel, t: TensorProto): Promise<Uint8Array> {
  const full = await model.loadTensorProto(t);
  if ((full.dataLocation ?? 0) === 1) return readExternalData(full, model.dir ?? '.', model.file);
  if (full.rawData && full.rawData.length > 0) return full.rawData;
  const decoded = decodeTensorFields(tensorFieldsOf(full), model.file);
  return encodeTensorValues(full.dataType ?? 0, decoded.values);
}

function externalHeader(t: TensorProto, location: string, offset: number, length: number): TensorProto {
  return {
    name: t.name,
    dims: t.dims,
    dataType: t.dataType,
    docString: t.docString,
    segment: t.segment,
    metadataProps: t.metadataProps,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(length) },
    ],
  };
}

/** A self-contained TensorProto (external data pulled in as raw_data). */
async function inlineTensor(model: OnnxModel, t: TensorProto): Promise<TensorProto> {
  const full = await model.loadTensorProto(t);
  if ((full.dataLocation ?? 0) !== 1) return full;
  const raw = await readExternalData(full, model.dir ?? '.', model.file);
  return { ...full, rawData: raw, dataLocation: onnx.TensorProto.DataLocation.DEFAULT, externalData: [] };
}

async function inlineSparse(model: OnnxModel, s: onnx.SparseTensorProto.$Properties): Promise<onnx.SparseTensorProto.$Properties> {
  return {
    ...s,
    values: s.values ? await inlineTensor(model, s.values) : s.values,
    indices: s.indices ? await inlineTensor(model, s.indices) : s.indices,
  };
}

async function writeAll(h: fsp.FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await h.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

const COPY_CHUNK = 8 << 20;

async function writePieces(model: OnnxModel, tmp: string, pieces: readonly Piece[]): Promise<void> {
  const h = await fsp.open(tmp, 'w');
  try {
    let pos = 0;
    for (const p of pieces) {
      if (p instanceof Uint8Array) {
        await writeAll(h, p, pos);
        pos += p.length;
        continue;
      }
      const ref = model.lazyRef(p.copyFrom)!;
      for (let off = 0; off < ref.length; off += COPY_CHUNK) {
        const n = Math.min(COPY_CHUNK, ref.length - off);
        const chunk = await readSourceRange(model, p.copyFrom, off, n);
        await writeAll(h, chunk, pos);
        pos += n;
      }
    }
    await h.sync();
  } finally {
    await h.close();
  }
}

/** A slice of a lazily-held tensor's message bytes. */
async function readSourceRange(model: OnnxModel, t: TensorProto, offset: number, length: number): Promise<Uint8Array> {
  const chunk = await model.readTensorRange(t, offset, length);
  if (!chunk) throw new Error(`tensor '${t.name ?? ''}' has no source bytes`);
  return chunk;
}
