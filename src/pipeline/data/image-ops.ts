/** Image decoding (PNG via pngjs, JPEG via jpeg-js) and preprocessing: channels, bilinear resize, scale, normalise. */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

/** Decoded pixels: RGBA, 8 bits per channel, row-major. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Decodes PNG or JPEG bytes (told apart by their signature); throws an Error with the decoder's message. */
/** Pillow's decompression-bomb limit: a larger image is refused before its pixels are allocated. */
export const MAX_IMAGE_PIXELS = 89_478_485;

function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new Error(`${width}×${height} pixels is more than the ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} an image may have (a decompression bomb?)`);
  }
}

export function decodeImage(bytes: Uint8Array): Rgba {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    // IHDR is the first chunk: width and height at bytes 16..23 (big-endian).
    if (bytes.length >= 24) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      checkPixels(view.getUint32(16), view.getUint32(20));
    }
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 2048 });
    return { width: img.width, height: img.height, data: img.data };
  }
  throw new Error('neither a PNG nor a JPEG image (unknown signature)');
}

/**
 * Pixels as floats (0..255), interleaved [H, W, C]: C = 3 keeps R, G, B (alpha dropped); C = 1 is the
 * ITU-R 601-2 luma L = 0.299 R + 0.587 G + 0.114 B (as PIL's `convert('L')`, without its rounding).
 */
export function toChannels(img: Rgba, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const src = img.data;
  const out = new Float32Array(n * channels);
  if (channels === 3) {
    for (let i = 0; i < n; i++) {
      out[i * 3] = src[i * 4];
      out[i * 3 + 1] = src[i * 4 + 1];
      out[i * 3 + 2] = src[i * 4 + 2];
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = (src[i * 4] * 299 + src[i * 4 + 1] * 587 + src[i * 4 + 2] * 114) / 1000;
  }
  return out;
}

/**
 * Bilinear resize of an interleaved [h, w, c] image to [H, W, c] with half-pixel centres (OpenCV's INTER_LINEAR,
 * PyTorch `align_corners=False`), no antialiasing; the same size returns the input unchanged.
 */
export function resizeBilinear(src: Float32Array, w: number, h: number, c: number, W: number, H: number): Float32Array {
  if (w === W && h === H) return src;
  const out = new Float32Array(W * H * c);
  const sx = w / W;
  const sy = h / H;
  for (let y = 0; y < H; y++) {
    let fy = (y + 0.5) * sy - 0.5;
    if (fy < 0) fy = 0;
    const y0 = Math.min(Math.floor(fy), h - 1);
    const y1 = Math.min(y0 + 1, h - 1);
    const wy = fy - y0;
    for (let x = 0; x < W; x++) {
      let fx = (x + 0.5) * sx - 0.5;
      if (fx < 0) fx = 0;
      const x0 = Math.min(Math.floor(fx), w - 1);
      const x1 = Math.min(x0 + 1, w - 1);
      const wx = fx - x0;
      const a = (y0 * w + x0) * c;
      const b = (y0 * w + x1) * c;
      const d = (y1 * w + x0) * c;
      const e = (y1 * w + x1) * c;
      const o = (y * W + x) * c;
      for (let k = 0; k < c; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * wx;
        const bottom = src[d + k] + (src[e + k] - src[d + k]) * wx;
        out[o + k] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

/**
 * Writes `(pixel · scale − mean[c]) / std[c]` of an interleaved [H, W, C] image into `out` at `offset`, in
 * layout NCHW ([C, H, W]) or NHWC ([H, W, C]).
 */
export function writeNormalised(
  src: Float32Array,
  W: number,
  H: number,
  C: number,
  out: Float32Array,
  offset: number,
  layout: 'NCHW' | 'NHWC',
  scale: number,
  mean: readonly number[],
  std: readonly number[],
): void {
  const n = W * H;
  for (let k = 0; k < C; k++) {
    const m = mean[k];
    const s = std[k];
    if (layout === 'NCHW') {
      const base = offset + k * n;
      for (let i = 0; i < n; i++) out[base + i] = (src[i * C + k] * scale - m) / s;
    } else {
      for (let i = 0; i < n; i++) out[offset + i * C + k] = (src[i * C + k] * scale - m) / s;
    }
  }
}
