import Long from 'long';

/** A protobufjs int64 (Long with --force-long) or a number, as a JS number (exact up to 2^53). */
export function longToNumber(v: Long | number | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  return v.toNumber();
}

/** Exact BigInt of a protobufjs int64. */
export function longToBigInt(v: Long | number | null | undefined, unsigned = false): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  const lo = BigInt(v.low >>> 0);
  const hi = BigInt(v.high >>> 0);
  const u = (hi << 32n) | lo;
  return unsigned || v.unsigned ? u : BigInt.asIntN(64, u);
}

/** A Long for a protobufjs int64 field. */
export function toLong(n: number | bigint): Long {
  return typeof n === 'bigint' ? Long.fromString(n.toString()) : Long.fromNumber(n);
}
