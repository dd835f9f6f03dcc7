import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OnnxError, OnnxFormatError, TensorDataError } from './errors';
import { readExternalData } from './external-data';
import { FieldScanner, WireError, WireType, type FieldHeader } from './io/scanner';
import { FileSource, MemorySource, type ByteSource } from './io/source';
import { sniffNonOnnx } from './sniff';
import { onnx } from './proto/onnx';
import { decodeTensorFields } from './tensor/decode';
import { tensorFieldsOf } from './tensor/fields';
import type { DecodedTensor } from './tensor/types';
import type { TensorProto } from './onnx-types';


/** Where an initializer's full TensorProto lies in the source (its data stays there until asked for). */
export interface LazyTensorRef {
  readonly offset: number;
  readonly length: number;
  /** Bytes of the data fields (raw_data, float_data, …) as stored in the message. */
  readonly dataBytes: number;
  /** Length of raw_data when present (to check it against the declared shape without reading it). */
  readonly rawDataLength?: number;
}

export interface OpenOptions {
  /** Name used in messages when the model comes from memory. */
  readonly file?: string;
}

/** An opened model: structure decoded, initializer data left in the file until `readTensor`. */
export interface OnnxModel {
  /** Absolute path of the model file (undefined for a model parsed from memory). */
  readonly file: string | undefined;
  /** Folder that external-data locations are relative to. */
  readonly dir: string | undefined;
  readonly fileSize: number;
  /** The model. Initializers (also sparse ones) carry metadata only; their data is read with `readTensor`. */
  readonly proto: onnx.ModelProto;
  /** Where a lazily-held tensor's message lies in the source; undefined for tensors held in memory. */
  lazyRef(t: TensorProto): LazyTensorRef | undefined;
  /** The full TensorProto (with its data fields) of any tensor of this model. */
  loadTensorProto(t: TensorProto): Promise<TensorProto>;
  /** Decoded values of any tensor of this model (initializer, attribute, …), external data resolved. */
  readTensor(t: TensorProto): Promise<DecodedTensor>;
  /** The raw source bytes of a lazily-held tensor's message (for copying it unchanged). */
  readTensorMessage(t: TensorProto): Promise<Uint8Array | undefined>;
  /** `length` bytes at `offset` within a lazily-held tensor's message (for streaming copies). */
  readTensorRange(t: TensorProto, offset: number, length: number): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

// ModelProto.graph, GraphProto.initializer / sparse_initializer, SparseTensorProto.values / indices.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const GRAPH_SPARSE_INITIALIZER = 15;
const SPARSE_VALUES = 1;
const SPARSE_INDICES = 2;
/** TensorProto fields that hold data: float_data, int32_data, string_data, int64_data, raw_data, double_data, uint64_data. */
const TENSOR_DATA_FIELDS = new Set([4, 5, 6, 7, 9, 10, 11]);
const TENSOR_RAW_DATA = 9;

class LazyModel implements OnnxModel {
  private readonly refs = new WeakMap<object, LazyTensorRef>();

  constructor(
    readonly file: string | undefined,
    readonly proto: onnx.ModelProto,
    private readonly src: ByteSource,
    refs: Map<TensorProto, LazyTensorRef>,
  ) {
    for (const [t, r] of refs) this.refs.set(t, r);
  }

  get dir(): string | undefined {
    return this.file ? path.dirname(this.file) : undefined;
  }

  get fileSize(): number {
    return this.src.size;
  }

  lazyRef(t: TensorProto): LazyTensorRef | undefined {
    return this.refs.get(t);
  }

  async readTensorMessage(t: TensorProto): Promise<Uint8Array | undefined> {
    const ref = this.refs.get(t);
    return ref ? this.src.read(ref.offset, ref.length) : undefined;
  }

  async readTensorRange(t: TensorProto, offset: number, length: number): Promise<Uint8Array | undefined> {
    const ref = this.refs.get(t);
    if (!ref) return undefined;
    if (offset < 0 || offset + length > ref.length) throw new RangeError('range outside the tensor message');
    return this.src.read(ref.offset + offset, length);
  }

  async loadTensorProto(t: TensorProto): Promise<TensorProto> {
    const bytes = await this.readTensorMessage(t);
    if (!bytes) return t;
    return decodeOrThrow(() => onnx.TensorProto.decode(bytes), this.file);
  }

  async readTensor(t: TensorProto): Promise<DecodedTensor> {
    const full = await this.loadTensorProto(t);
    let raw: Uint8Array | undefined;
    if (full.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      if (!this.dir) {
        throw new TensorDataError(`tensor '${full.name ?? ''}' uses external data, which needs a model file on disk`);
      }
      raw = await readExternalData(full, this.dir, this.file);
    }
    return decodeTensorFields(tensorFieldsOf(full, raw), this.file);
  }

  async close(): Promise<void> {
    await this.src.close();
  }
}

/** Opens a model file: reads its structure through a file handle, leaves initializer data on disk. */
export async function openModel(file: string, _options?: OpenOptions): Promise<OnnxModel> {
  const abs = path.resolve(file);
  let st;
  try {
    st = await fsp.stat(abs);
  } catch {
    throw new OnnxFormatError('not-found', 'file not found', abs);
  }
  if (st.isDirectory()) throw new OnnxFormatError('not-onnx', 'is a folder, not an ONNX model file', abs);
  const src = await FileSource.open(abs);
  try {
    return await scanModel(src, abs);
  } catch (e) {
    await src.close();
    throw e;
  }
}

/** Parses a model held in memory (same lazy structure; "reads" are views into the buffer). */
export async function parseModel(bytes: Uint8Array, options?: OpenOptions): Promise<OnnxModel> {
  return scanModel(new MemorySource(bytes), options?.file);
}

/** Decodes a standalone serialized TensorProto file (e.g. ONNX backend test data `input_0.pb`). */
export async function readTensorProtoFile(file: string): Promise<DecodedTensor> {
  const abs = path.resolve(file);
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(abs);
  } catch {
    throw new OnnxFormatError('not-found', 'file not found', abs);
  }
  const t = decodeOrThrow(() => onnx.TensorProto.decode(bytes), abs);
  let raw: Uint8Array | undefined;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    raw = await readExternalData(t, path.dirname(abs), abs);
  }
  return decodeTensorFields(tensorFieldsOf(t, raw), abs);
}

async function scanModel(src: ByteSource, file: string | undefined): Promise<OnnxModel> {
  if (src.size === 0) throw new OnnxFormatError('empty-file', 'the file is empty (0 bytes), not an ONNX model', file);
  const head = await src.read(0, Math.min(src.size, 512));
  const sniffed = sniffNonOnnx(head);
  if (sniffed) throw new OnnxFormatError('not-onnx', `not an ONNX model: ${sniffed}`, file);

  const scanner = new FieldScanner(src);
  const refs = new Map<TensorProto, LazyTensorRef>();
  try {
    const { rest, graph, fields } = await scanMessage(scanner, 0, src.size, MODEL_GRAPH, async (h) =>
      scanGraph(scanner, h.payloadStart, h.end, refs),
    );
    if (!fields.has(1) && graph.length === 0) {
      throw new OnnxFormatError(
        'not-onnx',
        'not an ONNX model: the bytes parse as protobuf but hold neither ir_version nor a graph (not an onnx.ModelProto)',
        file,
      );
    }
    const proto: onnx.ModelProto = decodePart('the model', 0, () => onnx.ModelProto.decode(rest));
    if (graph.length > 0) proto.graph = graph[graph.length - 1];
    return new LazyModel(file, proto, src, refs);
  } catch (e) {
    throw asFormatError(e, file);
  }
}

interface ScanResult<T> {
  /** Bytes of all fields except the intercepted one, concatenated (decode them with protobufjs). */
  readonly rest: Uint8Array;
  readonly graph: T[];
  readonly fields: Set<number>;
}

/**
 * Walks the fields of one message; fields numbered `intercept` go to `onField` (which skips their payload),
 * every other field is copied into `rest`. Wire types are validated, lengths bounds-checked.
 */
async function scanMessage<T>(
  scanner: FieldScanner,
  start: number,
  end: number,
  intercept: number | Set<number>,
  onField: (h: FieldHeader) => Promise<T | undefined>,
): Promise<ScanResult<T>> {
  const parts: Uint8Array[] = [];
  const found: T[] = [];
  const fields = new Set<number>();
  let pos = start;
  let runStart = start;
  const isIntercepted = (f: number): boolean => (typeof intercept === 'number' ? f === intercept : intercept.has(f));
  while (pos < end) {
    const h = scanner.headerSync(pos, end) ?? (await scanner.header(pos, end));
    fields.add(h.field);
    if (h.wire === WireType.LengthDelimited && isIntercepted(h.field)) {
      if (h.start > runStart) parts.push(await copy(scanner, runStart, h.start));
      const r = await onField(h);
      if (r !== undefined) found.push(r);
      runStart = h.end;
    }
    pos = h.end;
  }
  if (end > runStart) parts.push(await copy(scanner, runStart, end));
  return { rest: concat(parts), graph: found, fields };
}

async function scanGraph(
  scanner: FieldScanner,
  start: number,
  end: number,
  refs: Map<TensorProto, LazyTensorRef>,
): Promise<onnx.GraphProto> {
  const initializers: TensorProto[] = [];
  const sparse: onnx.SparseTensorProto.$Properties[] = [];
  const { rest } = await scanMessage(scanner, start, end, new Set([GRAPH_INITIALIZER, GRAPH_SPARSE_INITIALIZER]), async (h) => {
    if (h.field === GRAPH_INITIALIZER) initializers.push(await scanTensor(scanner, h, refs));
    else sparse.push(await scanSparse(scanner, h, refs));
    return undefined;
  });
  const g = decodePart('a graph', start, () => onnx.GraphProto.decode(rest));
  g.initializer = initializers;
  g.sparseInitializer = sparse;
  return g;
}

/** Decodes a TensorProto's metadata (name, dims, type, external_data, …) and records where its data is. */
async function scanTensor(
  scanner: FieldScanner,
  at: FieldHeader,
  refs: Map<TensorProto, LazyTensorRef>,
): Promise<TensorProto> {
  let dataBytes = 0;
  let rawDataLength: number | undefined;
  const { rest } = await scanMessage(scanner, at.payloadStart, at.end, TENSOR_DATA_FIELDS, async (h) => {
    dataBytes += h.payloadLength;
    if (h.field === TENSOR_RAW_DATA) rawDataLength = h.payloadLength;
    return undefined;
  });
  // Unpacked (non length-delimited) data entries were copied into `rest`; count them too.
  const t = decodePart('a tensor', at.payloadStart, () => onnx.TensorProto.decode(rest));
  dataBytes += (t.floatData?.length ?? 0) * 4 + (t.int32Data?.length ?? 0) * 4;
  dataBytes += (t.int64Data?.length ?? 0) * 8 + (t.doubleData?.length ?? 0) * 8 + (t.uint64Data?.length ?? 0) * 8;
  refs.set(t, { offset: at.payloadStart, length: at.payloadLength, dataBytes, rawDataLength });
  return t;
}

async function scanSparse(
  scanner: FieldScanner,
  at: FieldHeader,
  refs: Map<TensorProto, LazyTensorRef>,
): Promise<onnx.SparseTensorProto.$Properties> {
  const tensors = new Map<number, TensorProto>();
  const { rest } = await scanMessage(scanner, at.payloadStart, at.end, new Set([SPARSE_VALUES, SPARSE_INDICES]), async (h) => {
    tensors.set(h.field, await scanTensor(scanner, h, refs));
    return undefined;
  });
  const s = decodePart('a sparse tensor', at.payloadStart, () => onnx.SparseTensorProto.decode(rest));
  s.values = tensors.get(SPARSE_VALUES) ?? null;
  s.indices = tensors.get(SPARSE_INDICES) ?? null;
  return s;
}

async function copy(scanner: FieldScanner, start: number, end: number): Promise<Uint8Array> {
  return Uint8Array.prototype.slice.call(await scanner.bytes(start, end));
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
}

/** A protobufjs failure while decoding `what`, whose message starts at byte `offset` of the file. */
class PartDecodeError extends Error {
  constructor(
    readonly what: string,
    readonly offset: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Runs a protobufjs decode of `what` (the message at byte `offset`), remembering where it failed. */
function decodePart<T>(what: string, offset: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OnnxError || e instanceof PartDecodeError) throw e;
    throw new PartDecodeError(what, offset, e);
  }
}

/** Runs a protobufjs decode, turning its errors (range, depth, wire type) into OnnxFormatErrors. */
export function decodeOrThrow<T>(fn: () => T, file: string | undefined): T {
  try {
    return fn();
  } catch (e) {
    throw asFormatError(e, file);
  }
}

/** Bugs of ours, not properties of the bytes: these stay internal errors. */
const isProgrammingError = (e: unknown): boolean => e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError;

function asFormatError(e: unknown, file: string | undefined): Error {
  if (e instanceof OnnxError) return e;
  if (e instanceof PartDecodeError) {
    if (isProgrammingError(e.cause)) return e.cause as Error;
    const inner = asFormatError(e.cause, file);
    const where = `${e.what} at byte ${e.offset}`;
    return inner instanceof OnnxFormatError ? new OnnxFormatError(inner.code, `${inner.message.replace(file ? `${file}: ` : '', '')} (while reading ${where})`, file) : inner;
  }
  if (e instanceof WireError) {
    return new OnnxFormatError(e.kind, `not a valid ONNX model (${e.kind === 'truncated' ? 'truncated or corrupt' : 'corrupt'}): ${e.message}`, file);
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/max depth exceeded|Maximum call stack/i.test(msg)) {
    return new OnnxFormatError('too-deep', 'subgraphs or messages are nested deeper than the protobuf limit of 100 levels', file);
  }
  if (/index out of range/i.test(msg)) {
    return new OnnxFormatError('truncated', `not a valid ONNX model (truncated or corrupt): ${msg}`, file);
  }
  if (/invalid wire type|illegal tag|invalid (utf|end group|length encoding|tag encoding)/i.test(msg)) {
    return new OnnxFormatError('malformed', `not a valid ONNX model (corrupt protobuf): ${msg}`, file);
  }
  // Anything else protobufjs throws on these bytes is still a property of the file, not a bug of ours.
  if (e instanceof Error && !isProgrammingError(e)) return new OnnxFormatError('malformed', `not a valid ONNX model (corrupt protobuf): ${msg}`, file);
  return e instanceof Error ? e : new Error(msg);
}

/**
 * A model with another `proto` over the same source (for graph surgery that writes a new file): tensors the
 * new proto shares with the original (same objects) are still read lazily from the original file.
 * Closing it does not close the original.
 */
export function deriveModel(base: OnnxModel, proto: onnx.ModelProto): OnnxModel {
  return {
    file: base.file,
    dir: base.dir,
    fileSize: base.fileSize,
    proto,
    lazyRef: (t) => base.lazyRef(t),
    loadTensorProto: (t) => base.loadTensorProto(t),
    readTensor: (t) => base.readTensor(t),
    readTensorMessage: (t) => base.readTensorMessage(t),
    readTensorRange: (t, o, l) => base.readTensorRange(t, o, l),
    close: async () => undefined,
  };
}
