/**
 * 4-bit block-wise weight quantization in MatMulNBits' layout (onnxruntime contrib op, com.microsoft):
 * for a weight W of K rows × N columns (MatMul's B), each column n is cut into ceil(K / block_size) blocks along K;
 *   B            uint8 [N, n_blocks, block_size / 2]  two 4-bit codes per byte, element 2i in the low nibble;
 *   scales       float [N · n_blocks]                 one per block;
 *   zero_points  uint8 [N · ceil(n_blocks / 2)]        optional, two per byte (low nibble first), rows padded to bytes;
 *                                                     absent = 8 (symmetric);
 * and W[k, n] ≈ (code − zero_point) · scale. Scales and zero points follow MLAS's blockwise quantizer
 * (range2scale / range2scalezp): symmetric: scale = (the value of largest magnitude) / −8, so that value maps exactly
 * to code 0; asymmetric: range widened to include 0, scale = (max − min) / 15, zero point = round(−min / scale)
 * clamped to [0, 15]. Codes are round-half-to-even of x / scale + zero point, clamped to [0, 15]. The padding of the
 * last block (k ≥ K) holds the zero point.
 */
import { ROUNDING_MAGIC } from './qparams';

export interface Int4Blocks {
  readonly packed: Uint8Array;
  readonly scales: Float32Array;
  /** Packed zero points (asymmetric), else undefined. */
  readonly zeroPoints?: Uint8Array;
  readonly blocks: number;
  readonly signal: number;
  readonly noise: number;
}

/**
 * Quantizes a weight given row-major as [N, K] (one row per output column, i.e. MatMul's B transposed or Gemm's
 * B with transB = 1) into MatMulNBits blocks.
 */
export function quantizeBlockwise4(wNK: Float32Array, N: number, K: number, blockSize: number, symmetric: boolean): Int4Blocks {
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) throw new RangeError(`block size must be a power of 2 ≥ 16, got ${blockSize}`);
  const blocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(N * blocks * blob);
  const scales = new Float32Array(N * blocks);
  const zpStride = Math.ceil(blocks / 2);
  const zeroPoints = symmetric ? undefined : new Uint8Array(N * zpStride);
  let signal = 0;
  let noise = 0;
  for (let n = 0; n < N; n++) {
    const row = n * K;
    for (let b = 0; b < blocks; b++) {
      const k0 = b * blockSize;
      const k1 = Math.min(K, k0 + blockSize);
      let lo = 0;
      let hi = 0;
      let extreme = 0;
      for (let k = k0; k < k1; k++) {
        const v = wNK[row + k]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      let scale: number;
      let zp: number;
      if (symmetric) {
        extreme = Math.abs(hi) > Math.abs(lo) ? hi : lo;
        scale = Math.fround(extreme / -8);
        zp = 8;
      } else {
        scale = Math.fround((hi - lo) / 15);
        const z = scale !== 0 ? -lo / scale : 0;
        zp = z < 0 ? 0 : z > 15 ? 15 : Math.round(z);
      }
      scales[n * blocks + b] = scale;
      if (zeroPoints) {
        const at = n * zpStride + (b >> 1);
        zeroPoints[at] = zeroPoints[at]! | (zp << ((b & 1) * 4));
      }
      const out = (n * blocks + b) * blob;
      const inv = scale !== 0;
      for (let j = 0; j < blockSize; j += 2) {
        const k = k0 + j;
        let q0 = zp;
        let q1 = zp;
        if (k < k1) {
          const x = wNK[row + k]!;
          if (inv) {
            q0 = Math.fround(x / scale) + ROUNDING_MAGIC - ROUNDING_MAGIC + zp;
            q0 = q0 < 0 ? 0 : q0 > 15 ? 15 : q0;
          }
          const d = x - Math.fround((q0 - zp) * scale);
          signal += x * x;
          noise += d * d;
        }
        if (k + 1 < k1) {
          const x = wNK[row + k + 1]!;
          if (inv) {
            q1 = Math.fround(x / scale) + ROUNDING_MAGIC - ROUNDING_MAGIC + zp;
            q1 = q1 < 0 ? 0 : q1 > 15 ? 15 : q1;
          }
          const d = x - Math.fround((q1 - zp) * scale);
          signal += x * x;
          noise += d * d;
        }
        packed[out + (j >> 1)] = q0 | (q1 << 4);
      }
    }
  }
  return { packed, scales, zeroPoints, blocks, signal, noise };
}

/**
 * The same blocks from a weight stored as MatMul's B, row-major [K, N], without transposing it: one block of K rows
 * at a time (contiguous), per-column ranges first, then the codes written into each column's blob (the block's part
 * of the output stays in cache). Bit-identical to quantizeBlockwise4 of the transpose.
 */
export function quantizeBlockwise4KN(wKN: Float32Array, K: number, N: number, blockSize: number, symmetric: boolean): Int4Blocks {
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) throw new RangeError(`block size must be a power of 2 ≥ 16, got ${blockSize}`);
  const blocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(N * blocks * blob);
  const scales = new Float32Array(N * blocks);
  const zpStride = Math.ceil(blocks / 2);
  const zeroPoints = symmetric ? undefined : new Uint8Array(N * zpStride);
  const lo = new Float64Array(N);
  const hi = new Float64Array(N);
  const blockScale = new Float64Array(N);
  const blockZp = new Int32Array(N);
  let signal = 0;
  let noise = 0;
  for (let b = 0; b < blocks; b++) {
    const k0 = b * blockSize;
    const k1 = Math.min(K, k0 + blockSize);
    lo.fill(0);
    hi.fill(0);
    for (let k = k0; k < k1; k++) {
      const row = k * N;
      for (let n = 0; n < N; n++) {
        const v = wKN[row + n]!;
        if (v < lo[n]!) lo[n] = v;
        if (v > hi[n]!) hi[n] = v;
      }
    }
    for (let n = 0; n < N; n++) {
      let scale: number;
      let zp: number;
      if (symmetric) {
        scale = Math.fround((Math.abs(hi[n]!) > Math.abs(lo[n]!) ? hi[n]! : lo[n]!) / -8);
        zp = 8;
      } else {
        scale = Math.fround((hi[n]! - lo[n]!) / 15);
        const z = scale !== 0 ? -lo[n]! / scale : 0;
        zp = z < 0 ? 0 : z > 15 ? 15 : Math.round(z);
      }
      blockScale[n] = scale;
      blockZp[n] = zp;
      scales[n * blocks + b] = scale;
      if (zeroPoints) {
        const at = n * zpStride + (b >> 1);
        zeroPoints[at] = zeroPoints[at]! | (zp << ((b & 1) * 4));
      }
      // Padding codes (k ≥ K) hold the zero point; real codes overwrite them below.
      const base = (n * blocks + b) * blob;
      const pad = zp | (zp << 4);
      for (let j = (k1 - k0) >> 1; j < blob; j++) packed[base + j] = pad;
    }
    for (let k = k0; k < k1; k++) {
      const row = k * N;
      const j = k - k0;
      const half = j >> 1;
      const shift = (j & 1) * 4;
      for (let n = 0; n < N; n++) {
        const x = wKN[row + n]!;
        const scale = blockScale[n]!;
        const zp = blockZp[n]!;
        let q = zp;
        if (scale !== 0) {
          q = Math.fround(x / scale) + ROUNDING_MAGIC - ROUNDING_MAGIC + zp;
          q = q < 0 ? 0 : q > 15 ? 15 : q;
        }
        const d = x - Math.fround((q - zp) * scale);
        signal += x * x;
        noise += d * d;
        const at = (n * blocks + b) * blob + half;
        packed[at] = shift ? (packed[at]! & 0x0f) | (q << 4) : (packed[at]! & 0xf0) | q;
      }
    }
  }
  return { packed, scales, zeroPoints, blocks, signal, noise };
}

/** Dequantizes MatMulNBits blocks back to [N, K] row-major float32 (the reference for tests and SQNR checks). */
export function dequantizeBlockwise4(q: Int4Blocks, N: number, K: number, blockSize: number): Float32Array {
  const out = new Float32Array(N * K);
  const blob = blockSize / 2;
  const zpStride = Math.ceil(q.blocks / 2);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const j = k - b * blockSize;
      const code = (q.packed[(n * q.blocks + b) * blob + (j >> 1)]! >> ((j & 1) * 4)) & 15;
      const zp = q.zeroPoints ? (q.zeroPoints[n * zpStride + (b >> 1)]! >> ((b & 1) * 4)) & 15 : 8;
      out[n * K + k] = Math.fround((code - zp) * q.scales[n * q.blocks + b]!);
    }
  }
  return out;
}
