/**
 * Minimal readers for the files the export tests check: PNG (chunks, IHDR, decoded pixels) and NumPy .npy
 * (format 1.x/2.x header and little-endian numeric data). Each throws an Error naming the file and the problem.
 */
import { inflateSync } from 'node:zlib';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** True when `buf` starts with the 8-byte PNG signature. */
export function hasPngSignature(buf) {
  return buf.length >= 8 && PNG_SIGNATURE.every((b, i) => buf[i] === b);
}

/**
 * Decodes an 8-bit, non-interlaced, non-palette PNG: `{ width, height, channels, distinctColours }`.
 * `distinctColours` counts different pixels (capped at 1000), so a blank picture is told from a drawing.
 */
export function readPng(buf, file) {
  if (!hasPngSignature(buf)) throw new Error(`${file}: not a PNG (first bytes ${[...buf.subarray(0, 8)].map((b) => b.toString(16)).join(' ')})`);
  let offset = 8;
  let ihdr;
  const idat = [];
  let ended = false;
  while (offset + 12 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (data.length !== length) throw new Error(`${file}: chunk ${type} is cut short`);
    if (type === 'IHDR') ihdr = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8], colourType: data[9], interlace: data[12] };
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (!ihdr) throw new Error(`${file}: no IHDR chunk`);
  if (!ended) throw new Error(`${file}: no IEND chunk (truncated file?)`);
  const channels = CHANNELS[ihdr.colourType];
  if (ihdr.bitDepth !== 8 || channels === undefined || ihdr.interlace !== 0) {
    throw new Error(`${file}: unsupported PNG layout (bit depth ${ihdr.bitDepth}, colour type ${ihdr.colourType}, interlace ${ihdr.interlace})`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = ihdr.width * channels;
  if (raw.length !== ihdr.height * (stride + 1)) throw new Error(`${file}: ${raw.length} bytes of pixel data for ${ihdr.width}×${ihdr.height}×${channels}`);
  const pixels = unfilter(raw, ihdr.height, stride, channels, file);
  const colours = new Set();
  for (let i = 0; i < pixels.length && colours.size < 1000; i += channels) colours.add(pixels.subarray(i, i + channels).join(','));
  return { width: ihdr.width, height: ihdr.height, channels, distinctColours: colours.size };
}

/** Undoes the per-scanline filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw, height, stride, bpp, file) {
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[row - stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[row - stride + x - bpp] : 0;
      let predictor;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`${file}: unknown PNG filter ${filter} on line ${y}`);
      out[row + x] = (line[x] + predictor) & 0xff;
    }
  }
  return out;
}

const NPY_READERS = {
  '<f4': [4, (v, o) => v.getFloat32(o, true)],
  '<f8': [8, (v, o) => v.getFloat64(o, true)],
  '<i4': [4, (v, o) => v.getInt32(o, true)],
  '<i8': [8, (v, o) => Number(v.getBigInt64(o, true))],
  '|u1': [1, (v, o) => v.getUint8(o)],
  '|i1': [1, (v, o) => v.getInt8(o)],
};

/** Parses a .npy file: `{ descr, fortranOrder, shape, values }` (values as numbers, C order). */
export function readNpy(buf, file) {
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: no NPY magic`);
  const major = buf[6];
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLength);
  if ((start + headerLength) % 64 !== 0) throw new Error(`${file}: data does not start on a 64-byte boundary (${start + headerLength})`);
  if (!header.endsWith('\n')) throw new Error(`${file}: header does not end with a newline: ${JSON.stringify(header)}`);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`${file}: unreadable header ${JSON.stringify(header)}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const reader = NPY_READERS[descr];
  if (!reader) throw new Error(`${file}: dtype ${descr} is not read by this test helper`);
  const [size, read] = reader;
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (buf.length - dataStart !== count * size) throw new Error(`${file}: ${buf.length - dataStart} data bytes for shape (${shape.join(', ')}) of ${descr}`);
  const view = new DataView(buf.buffer, buf.byteOffset + dataStart, count * size);
  const values = Array.from({ length: count }, (_, i) => read(view, i * size));
  return { descr, fortranOrder: fortran === 'True', shape, values };
}
