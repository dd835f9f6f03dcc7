/**
 * NumPy `.npy` arrays (format versions 1–3): header parsing and row-range decoding. A file-backed array reads
 * only the bytes of the requested rows (a 2 GB file is never loaded whole); NPZ members are memory-backed.
 */
import { promises as fsp } from 'node:fs';
import { DatasetError } from './errors';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Element types read, by their NumPy kind+size code. */
const ELEMENTS: Readonly<Record<string, { size: number; name: string }>> = {
  f2: { size: 2, name: 'float16' },
  f4: { size: 4, name: 'float32' },
  f8: { size: 8, name: 'float64' },
  i1: { size: 1, name: 'int8' },
  i2: { size: 2, name: 'int16' },
  i4: { size: 4, name: 'int32' },
  i8: { size: 8, name: 'int64' },
  u1: { size: 1, name: 'uint8' },
  u2: { size: 2, name: 'uint16' },
  u4: { size: 4, name: 'uint32' },
  u8: { size: 8, name: 'uint64' },
  b1: { size: 1, name: 'bool' },
};

export interface NpyHeader {
  /** NumPy kind+size code without byte order: `f4`, `i8`, `b1` … */
  readonly code: string;
  /** The `descr` as written (`<f4`). */
  readonly descr: string;
  readonly itemSize: number;
  readonly shape: readonly number[];
  /** Byte offset of the data from the start of the array's bytes. */
  readonly dataOffset: number;
}

/** Parses an NPY header; `what` names the array in messages (`X.npy in data.npz`). */
export function parseNpyHeader(file: string, what: string, head: Uint8Array): NpyHeader {
  if (head.length < 10 || !MAGIC.every((b, i) => head[i] === b)) {
    throw new DatasetError(file, 'malformed', `${what} is not a NumPy .npy array (no \\x93NUMPY magic)`);
  }
  const major = head[6];
  let len: number;
  let start: number;
  if (major === 1) {
    len = head[8] | (head[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (head.length < 12) throw new DatasetError(file, 'malformed', `${what}: truncated NPY header`);
    len = (head[8] | (head[9] << 8) | (head[10] << 16)) + head[11] * 2 ** 24;
    start = 12;
  } else {
    throw new DatasetError(file, 'unsupported', `${what}: NPY format version ${major}.${head[7]} is not supported (1.x–3.x are)`);
  }
  if (start + len > head.length) throw new DatasetError(file, 'malformed', `${what}: truncated NPY header`);
  const text = Buffer.from(head.buffer, head.byteOffset + start, len).toString(major === 3 ? 'utf8' : 'latin1');
  const descrM = /['"]descr['"]\s*:\s*(['"])(.*?)\1/.exec(text);
  if (!descrM) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw new DatasetError(file, 'unsupported', `${what} is a structured (record) array; save plain numeric arrays (e.g. X and y separately)`);
    }
    throw new DatasetError(file, 'malformed', `${what}: NPY header has no dtype ('descr'): ${text.trim()}`);
  }
  const descr = descrM[2];
  const fortranM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!fortranM || !shapeM) throw new DatasetError(file, 'malformed', `${what}: NPY header lacks fortran_order or shape: ${text.trim()}`);
  if (fortranM[1] === 'True') {
    throw new DatasetError(
      file,
      'unsupported',
      `${what} is stored in Fortran (column-major) order, which is not supported; save it in C order ` +
        '(numpy.ascontiguousarray(a) before numpy.save)',
    );
  }
  const shape = shapeM[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new DatasetError(file, 'malformed', `${what}: bad NPY shape (${shapeM[1]})`);
  const order = descr[0];
  const code = /^[<>|=]/.test(descr) ? descr.slice(1) : descr;
  const el = ELEMENTS[code === '?' ? 'b1' : code];
  if (!el) {
    throw new DatasetError(
      file,
      'unsupported',
      `${what} has dtype ${descr}, which is not supported (numeric arrays: float16/32/64, int8–64, uint8–64, bool)`,
    );
  }
  if (order === '>' && el.size > 1) {
    throw new DatasetError(
      file,
      'unsupported',
      `${what} is big-endian (${descr}), which is not supported; save it little-endian (a.astype(a.dtype.newbyteorder('<')))`,
    );
  }
  return { code: code === '?' ? 'b1' : code, descr, itemSize: el.size, shape, dataOffset: start + len };
}

/** Values per row (product of the dims after the first) and bytes per row. */
export function rowGeometry(h: NpyHeader): { perRow: number; rowBytes: number } {
  const perRow = h.shape.slice(1).reduce((a, b) => a * b, 1);
  return { perRow, rowBytes: perRow * h.itemSize };
}

/** Whether rows of this element type decode into a Float32Array exactly (else Float64Array). */
export function decodesToFloat32(code: string): boolean {
  return code === 'f4' || code === 'f2' || code === 'i1' || code === 'u1' || code === 'i2' || code === 'u2' || code === 'b1';
}

/**
 * Decodes little-endian elements to numbers: Float32Array for float32/float16/8- and 16-bit types (exact),
 * Float64Array for the rest. `bytes` must start at an element boundary; it is copied when unaligned.
 */
export function decodeElements(code: string, bytes: Uint8Array, count: number): Float32Array | Float64Array {
  const size = ELEMENTS[code].size;
  let b = bytes;
  if (b.byteOffset % size !== 0) b = b.slice(0, count * size);
  const buf = b.buffer;
  const off = b.byteOffset;
  switch (code) {
    case 'f4':
      return new Float32Array(buf, off, count);
    case 'f8':
      return new Float64Array(buf, off, count);
    case 'f2': {
      const src = new Uint16Array(buf, off, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(src[i]);
      return out;
    }
    case 'i1':
      return Float32Array.from(new Int8Array(buf, off, count));
    case 'u1':
    case 'b1':
      return Float32Array.from(new Uint8Array(buf, off, count));
    case 'i2':
      return Float32Array.from(new Int16Array(buf, off, count));
    case 'u2':
      return Float32Array.from(new Uint16Array(buf, off, count));
    case 'i4':
      return Float64Array.from(new Int32Array(buf, off, count));
    case 'u4':
      return Float64Array.from(new Uint32Array(buf, off, count));
    case 'i8': {
      const src = new BigInt64Array(buf, off, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(src[i]);
      return out;
    }
    case 'u8': {
      const src = new BigUint64Array(buf, off, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(src[i]);
      return out;
    }
    default:
      throw new Error(`unhandled NPY element code ${code}`);
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** One array whose rows can be read by range. */
export interface RowArray {
  readonly name: string;
  readonly header: NpyHeader;
  /** The values of rows [start, end), row-major. */
  readRows(start: number, end: number): Promise<Float32Array | Float64Array>;
  close(): Promise<void>;
}

/** An array in memory (an NPZ member). */
export function memoryArray(file: string, name: string, bytes: Uint8Array): RowArray {
  const header = parseNpyHeader(file, `${name}.npy`, bytes);
  const { perRow, rowBytes } = rowGeometry(header);
  const total = header.shape.reduce((a, b) => a * b, 1);
  if (bytes.length < header.dataOffset + total * header.itemSize) {
    throw new DatasetError(file, 'malformed', `${name}.npy is truncated: its shape (${header.shape.join(', ')}) needs more data than it holds`);
  }
  return {
    name,
    header,
    readRows: async (start, end) =>
      decodeElements(header.code, bytes.subarray(header.dataOffset + start * rowBytes, header.dataOffset + end * rowBytes), (end - start) * perRow),
    close: async () => undefined,
  };
}

/** The header of a `.npy` file (reads only the first bytes); checks that the file holds all the data. */
export async function readNpyFileHeader(file: string): Promise<NpyHeader> {
  const fh = await fsp.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    if (head.length >= 12 && head[6] >= 2) {
      const len = 12 + (head[8] | (head[9] << 8) | (head[10] << 16)) + head[11] * 2 ** 24;
      if (len > head.length && len <= size) {
        head = Buffer.alloc(len);
        await fh.read(head, 0, len, 0);
      }
    }
    const header = parseNpyHeader(file, 'the array', head);
    const need = header.dataOffset + header.shape.reduce((a, b) => a * b, 1) * header.itemSize;
    if (size < need) {
      throw new DatasetError(file, 'malformed', `the file is truncated: shape (${header.shape.join(', ')}) of ${header.descr} needs ${need} bytes, the file has ${size}`);
    }
    return header;
  } finally {
    await fh.close();
  }
}

/** A `.npy` file read by row range through a file handle (opened on first read). */
export function fileArray(file: string, name: string, header: NpyHeader): RowArray {
  const { perRow, rowBytes } = rowGeometry(header);
  let fh: fsp.FileHandle | undefined;
  return {
    name,
    header,
    async readRows(start, end) {
      fh ??= await fsp.open(file, 'r');
      const n = (end - start) * rowBytes;
      const bytes = new Uint8Array(new ArrayBuffer(n));
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(bytes, got, n - got, header.dataOffset + start * rowBytes + got);
        if (bytesRead === 0) throw new DatasetError(file, 'malformed', `unexpected end of file reading rows ${start}–${end - 1}`);
        got += bytesRead;
      }
      return decodeElements(header.code, bytes, (end - start) * perRow);
    },
    async close() {
      const h = fh;
      fh = undefined;
      await h?.close();
    },
  };
}
