/** Display text for attribute and tensor values. */
import { DataType } from '../tensor/dtypes';

/** Shortest text that reads back as the same float32 (`0.1`, not `0.10000000149011612`); integers get `.0`. */
export function formatFloat32(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const f = Math.fround(x);
  let s = String(x);
  for (let p = 1; p <= 9; p++) {
    const t = Number(x.toPrecision(p));
    if (Math.fround(t) === f) {
      s = String(t);
      break;
    }
  }
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** A double as JS writes it (shortest round trip), integers with `.0`. */
export function formatFloat64(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const s = String(x);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** Formatter of one element of a decoded tensor of `dataType`. */
export function elementFormatter(dataType: number): (v: number | bigint | string) => string {
  switch (dataType) {
    case DataType.FLOAT:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
    case DataType.FLOAT4E2M1:
    case DataType.FLOAT8E8M0:
      return (v) => formatFloat32(Number(v));
    case DataType.DOUBLE:
      return (v) => formatFloat64(Number(v));
    case DataType.BOOL:
      return (v) => (Number(v) !== 0 ? 'true' : 'false');
    case DataType.STRING:
      return (v) => JSON.stringify(String(v));
    default:
      return (v) => String(v);
  }
}

/** `[a, b, c]`, cut after `max` entries with the total count. */
export function listText(items: readonly string[], max = 64): string {
  if (items.length <= max) return `[${items.join(', ')}]`;
  return `[${items.slice(0, max).join(', ')}, … (${items.length} values)]`;
}

export function dimsText(dims: readonly number[]): string {
  return `[${dims.join(',')}]`;
}
