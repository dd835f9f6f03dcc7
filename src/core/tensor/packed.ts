/**
 * Sub-byte element packing as ONNX specifies it for INT4/UINT4/FLOAT4E2M1 (2 per byte) and INT2/UINT2
 * (4 per byte): element i sits in byte floor(i·bits/8), lowest bits first; unused high bits of the last
 * byte are zero when writing and ignored when reading.
 */

export type PackedBits = 2 | 4;

/** The `count` unsigned `bits`-wide fields of `bytes`, one per output byte. */
export function unpackUnsigned(bytes: Uint8Array, count: number, bits: PackedBits): Uint8Array {
  const out = new Uint8Array(count);
  const perByteLog2 = bits === 4 ? 1 : 2;
  const indexMask = (1 << perByteLog2) - 1;
  const fieldMask = (1 << bits) - 1;
  for (let i = 0; i < count; i++) {
    out[i] = (bytes[i >> perByteLog2] >> ((i & indexMask) * bits)) & fieldMask;
  }
  return out;
}

/** The `count` two's-complement `bits`-wide fields of `bytes`, sign-extended to int8. */
export function unpackSigned(bytes: Uint8Array, count: number, bits: PackedBits): Int8Array {
  const codes = unpackUnsigned(bytes, count, bits);
  const signBit = 1 << (bits - 1);
  const extension = 0xff & ~((1 << bits) - 1);
  for (let i = 0; i < count; i++) {
    if (codes[i] & signBit) codes[i] = codes[i] | extension;
  }
  return new Int8Array(codes.buffer, codes.byteOffset, count);
}

/** Packs the low `bits` bits of each code (integers; higher bits are dropped) into bytes. */
export function packBits(codes: ArrayLike<number>, bits: PackedBits): Uint8Array {
  const perByteLog2 = bits === 4 ? 1 : 2;
  const indexMask = (1 << perByteLog2) - 1;
  const fieldMask = (1 << bits) - 1;
  const out = new Uint8Array(Math.ceil((codes.length * bits) / 8));
  for (let i = 0; i < codes.length; i++) {
    out[i >> perByteLog2] = out[i >> perByteLog2] | ((codes[i] & fieldMask) << ((i & indexMask) * bits));
  }
  return out;
}
