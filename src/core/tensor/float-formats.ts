/**
 * Small floating-point formats ONNX stores bit patterns of: float16, bfloat16, the four float8 variants,
 * float4 e2m1 and the exponent-only float8 e8m0. Decoding goes through precomputed lookup tables (built
 * lazily, once); encoding rounds to nearest, ties to even, exactly from a double (no double rounding).
 */
import { LITTLE_ENDIAN_HOST } from './byte-order';
import { DataType } from './dtypes';

/** How a format spends its special bit patterns. */
type Specials =
  /** IEEE 754: the all-ones exponent holds infinities and NaNs (float16, bfloat16, float8 e5m2). */
  | 'ieee'
  /** Finite: no infinities, only the all-ones magnitude S.1111.111 is NaN (float8 e4m3fn). */
  | 'fn'
  /** Finite, unsigned zero: no infinities, no -0; the negative-zero pattern 0x80 is the only NaN. */
  | 'fnuz'
  /** Every pattern is a finite number (float4 e2m1). */
  | 'none';

/** A sign / exponent / mantissa format narrower than float32. */
export interface MinifloatFormat {
  readonly totalBits: 4 | 8 | 16;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly specials: Specials;
  /** Encoding clamps finite overflow to the largest finite value (ONNX Cast saturate=1) instead of infinity. */
  readonly saturate: boolean;
}

const FLOAT16: MinifloatFormat = { totalBits: 16, mantissaBits: 10, bias: 15, specials: 'ieee', saturate: false };
const BFLOAT16: MinifloatFormat = { totalBits: 16, mantissaBits: 7, bias: 127, specials: 'ieee', saturate: false };
const E4M3FN: MinifloatFormat = { totalBits: 8, mantissaBits: 3, bias: 7, specials: 'fn', saturate: true };
const E4M3FNUZ: MinifloatFormat = { totalBits: 8, mantissaBits: 3, bias: 8, specials: 'fnuz', saturate: true };
const E5M2: MinifloatFormat = { totalBits: 8, mantissaBits: 2, bias: 15, specials: 'ieee', saturate: true };
const E5M2FNUZ: MinifloatFormat = { totalBits: 8, mantissaBits: 2, bias: 16, specials: 'fnuz', saturate: true };
const E2M1: MinifloatFormat = { totalBits: 4, mantissaBits: 1, bias: 1, specials: 'none', saturate: true };

/** The sign/exponent/mantissa format of an ONNX element type, or undefined (E8M0 and non-float types). */
export function minifloatFormatOf(dataType: number): MinifloatFormat | undefined {
  switch (dataType) {
    case DataType.FLOAT16:
      return FLOAT16;
    case DataType.BFLOAT16:
      return BFLOAT16;
    case DataType.FLOAT8E4M3FN:
      return E4M3FN;
    case DataType.FLOAT8E4M3FNUZ:
      return E4M3FNUZ;
    case DataType.FLOAT8E5M2:
      return E5M2;
    case DataType.FLOAT8E5M2FNUZ:
      return E5M2FNUZ;
    case DataType.FLOAT4E2M1:
      return E2M1;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bit-level helpers

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
const HIGH_WORD = LITTLE_ENDIAN_HOST ? 1 : 0;

/** 2^k for integer k in [-1100, 1100], exact. */
const POW2_OFFSET = 1100;
const POW2 = (() => {
  const t = new Float64Array(2 * POW2_OFFSET + 1);
  for (let k = -POW2_OFFSET; k <= POW2_OFFSET; k++) t[k + POW2_OFFSET] = Math.pow(2, k);
  return t;
})();

function pow2(k: number): number {
  return POW2[k + POW2_OFFSET];
}

/** floor(log2(a)) for a finite a > 0, exact (read from the double's exponent; -1023 for double subnormals). */
function floorLog2(a: number): number {
  f64[0] = a;
  return ((f64Words[HIGH_WORD] >>> 20) & 0x7ff) - 1023;
}

/** Rounds v >= 0 to the nearest integer, ties to even. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

// ---------------------------------------------------------------------------------------------------------
// Generic minifloat <-> number

interface FormatConstants {
  readonly signBit: number;
  readonly emin: number;
  readonly maxFiniteCode: number;
  readonly infCode: number;
  readonly nanCode: number;
}

function constantsOf(fmt: MinifloatFormat): FormatConstants {
  const m = fmt.mantissaBits;
  const signBit = 1 << (fmt.totalBits - 1);
  const expAllOnes = (1 << (fmt.totalBits - 1 - m)) - 1;
  const emin = 1 - fmt.bias;
  switch (fmt.specials) {
    case 'ieee':
      return { signBit, emin, maxFiniteCode: (expAllOnes << m) - 1, infCode: expAllOnes << m, nanCode: (expAllOnes << m) | (1 << (m - 1)) };
    case 'fn':
      return { signBit, emin, maxFiniteCode: signBit - 2, infCode: -1, nanCode: signBit - 1 };
    case 'fnuz':
      return { signBit, emin, maxFiniteCode: signBit - 1, infCode: -1, nanCode: signBit };
    case 'none':
      // ONNX (onnx.numpy_helper) maps NaN to +max: e2m1 has no NaN.
      return { signBit, emin, maxFiniteCode: signBit - 1, infCode: -1, nanCode: signBit - 1 };
  }
}

/** The value of bit pattern `code` of format `fmt` (NaN for NaN patterns, ±Infinity for IEEE infinities). */
export function minifloatToNumber(fmt: MinifloatFormat, code: number): number {
  const c = constantsOf(fmt);
  const m = fmt.mantissaBits;
  const negative = (code & c.signBit) !== 0;
  const magnitude = code & (c.signBit - 1);
  if (fmt.specials === 'fnuz' && code === c.signBit) return NaN;
  if (fmt.specials === 'fn' && magnitude === c.nanCode) return NaN;
  if (fmt.specials === 'ieee' && magnitude >= c.infCode) {
    if (magnitude > c.infCode) return NaN;
    return negative ? -Infinity : Infinity;
  }
  const exponentField = magnitude >> m;
  const mantissa = magnitude & ((1 << m) - 1);
  const value =
    exponentField === 0
      ? mantissa * pow2(c.emin - m)
      : ((1 << m) + mantissa) * pow2(exponentField - fmt.bias - m);
  return negative ? -value : value;
}

/**
 * Encodes x in format `fmt`: round to nearest, ties to even. Formats with `saturate` clamp overflow to the
 * largest finite value; infinities become ±max, or NaN in the FNUZ formats (the ONNX Cast saturate=1 rules).
 */
export function numberToMinifloat(fmt: MinifloatFormat, x: number): number {
  return encodeWith(fmt, constantsOf(fmt), x);
}

function encodeWith(fmt: MinifloatFormat, c: FormatConstants, x: number): number {
  if (x !== x) return c.nanCode;
  const negative = x < 0 || (x === 0 && 1 / x < 0);
  const a = negative ? -x : x;
  let magnitude: number;
  if (a === Infinity) {
    if (fmt.specials === 'fnuz') return c.nanCode;
    magnitude = fmt.saturate ? c.maxFiniteCode : c.infCode;
  } else {
    const m = fmt.mantissaBits;
    const e = Math.max(floorLog2(a), c.emin);
    // a = q * 2^(e - m) with q < 2^(m+1); a carry of q into 2^(m+1) moves into the exponent field by itself.
    const q = roundHalfEven(a * pow2(m - e));
    magnitude = (e - c.emin) * (1 << m) + q;
    if (magnitude > c.maxFiniteCode) magnitude = fmt.saturate ? c.maxFiniteCode : c.infCode;
  }
  if (magnitude === 0 && fmt.specials === 'fnuz') return 0;
  return negative ? magnitude | c.signBit : magnitude;
}

/** A reusable encoder for one format (constants computed once). */
export function minifloatEncoder(fmt: MinifloatFormat): (x: number) => number {
  const c = constantsOf(fmt);
  return (x: number) => encodeWith(fmt, c, x);
}

// ---------------------------------------------------------------------------------------------------------
// Decode tables

const tables = new Map<number, Float32Array>();

function buildTable(size: number, valueOf: (code: number) => number): Float32Array {
  const t = new Float32Array(size);
  for (let code = 0; code < size; code++) t[code] = valueOf(code);
  return t;
}

/**
 * Lookup table code → float32 value for FLOAT16 (65536 entries), the float8 types and FLOAT8E8M0 (256),
 * FLOAT4E2M1 (16). Built on first use. BFLOAT16 needs no table (its bits are the top half of a float32).
 */
export function decodeTable(dataType: number): Float32Array {
  let t = tables.get(dataType);
  if (t) return t;
  if (dataType === DataType.FLOAT8E8M0) {
    t = buildTable(256, e8m0ToNumber);
  } else {
    const fmt = minifloatFormatOf(dataType);
    if (!fmt || fmt === BFLOAT16) throw new RangeError(`no decode table for data type ${dataType}`);
    t = buildTable(1 << fmt.totalBits, (code) => minifloatToNumber(fmt, code));
  }
  tables.set(dataType, t);
  return t;
}

// ---------------------------------------------------------------------------------------------------------
// FLOAT8E8M0: exponent only, value 2^(e - 127), 0xFF = NaN, no sign, no zero.

/** The value of an e8m0 byte: 2^(code - 127), NaN for 0xFF. */
export function e8m0ToNumber(code: number): number {
  return code === 0xff ? NaN : pow2(code - 127);
}

/**
 * Encodes x as e8m0: nearest power of two, ties (1.5·2^e) to the even code, saturating to
 * [2^-127, 2^127] (zero and +Infinity included). NaN and negative values become NaN (0xFF): no sign bit.
 */
export function numberToE8m0(x: number): number {
  if (x !== x || x < 0) return 0xff;
  if (x === 0) return 0;
  if (x === Infinity) return 0xfe;
  let e = floorLog2(x);
  const fraction = x * pow2(-e); // in [1, 2) unless x is a double subnormal (then far below 2^-127 anyway)
  if (fraction > 1.5 || (fraction === 1.5 && ((e + 127) & 1) === 1)) e += 1;
  return Math.min(Math.max(e + 127, 0), 0xfe);
}
