/**
 * Text formatting for the webviews (bytes, counts, shapes, statistics). Pure: no DOM, no vscode; unit
 * tested in test/unit/webview/shared/format.test.ts.
 */
import type { ExternalDataRef, ValueSummary } from '../../src/protocol/report-types';

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB"; 512 → "512 B". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1);
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${BYTE_UNITS[unit]}`;
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** 25557032 → "25.6M"; 999 → "999". */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  for (const [limit, suffix] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    if (abs >= limit) return `${trimZeros((n / limit).toFixed(1))}${suffix}`;
  }
  return String(n);
}

/** One dim: number as is, symbolic name as is, unknown as "?". */
export function formatDim(dim: number | string | null): string {
  return dim === null ? '?' : String(dim);
}

/** [ "N", 3, null ] → "[N, 3, ?]"; [] → "scalar"; null → "unknown rank". */
export function formatShape(shape: readonly (number | string | null)[] | null): string {
  if (shape === null) return 'unknown rank';
  if (shape.length === 0) return 'scalar';
  return `[${shape.map(formatDim).join(', ')}]`;
}

/** "FLOAT"; for non-tensor values "sequence of FLOAT"; "—" when unknown. */
export function formatValueType(v: Pick<ValueSummary, 'kind' | 'elem_type'>): string {
  const elem = v.elem_type ?? '—';
  switch (v.kind) {
    case 'tensor':
      return elem;
    case 'sequence':
    case 'optional':
      return `${v.kind} of ${elem}`;
    case 'sparse_tensor':
      return `sparse ${elem}`;
    default:
      return v.elem_type ?? v.kind;
  }
}

/** Statistic values: "—" for null, integers exactly, others to 5 significant digits. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) return x.toExponential(3);
  return trimZeros(x.toPrecision(5));
}

/** 0.42 → "0.42 ms"; 1234 → "1.23 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10) return `${trimZeros(ms.toFixed(2))} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** First values of a tensor, e.g. "0.1, 0.2, 0.3, …". */
export function formatPreview(values: readonly (number | string | boolean)[], total: number, max = 8): string {
  const shown = values.slice(0, max).map((v) => (typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? JSON.stringify(v) : String(v)));
  return shown.join(', ') + (total > shown.length ? ', …' : '');
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : pluralWord}`;
}

export interface OpCount {
  readonly domain: string;
  readonly op: string;
  readonly count: number;
}

/** Operator histogram → rows sorted by count (desc), then name; keys are `domain::OpType` or `OpType`. */
export function sortHistogram(histogram: Readonly<Record<string, number>>): OpCount[] {
  return Object.entries(histogram)
    .map(([key, count]) => {
      const sep = key.lastIndexOf('::');
      const domain = sep >= 0 ? key.slice(0, sep) : 'ai.onnx';
      return { domain: domain === '' ? 'ai.onnx' : domain, op: sep >= 0 ? key.slice(sep + 2) : key, count };
    })
    .sort((a, b) => b.count - a.count || a.op.localeCompare(b.op) || a.domain.localeCompare(b.domain));
}

/** Opset imports, the default domain first: [["ai.onnx", 17], ["com.microsoft", 1]]. */
export function sortOpsets(opsets: Readonly<Record<string, number>>): [string, number][] {
  const rank = (d: string) => (d === 'ai.onnx' || d === '' ? 0 : d === 'ai.onnx.ml' ? 1 : 2);
  return Object.entries(opsets)
    .map(([d, v]): [string, number] => [d === '' ? 'ai.onnx' : d, v])
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

export interface ExternalFile {
  readonly location: string;
  readonly tensors: number;
  /** Sum of the known lengths; null when no length is known. */
  readonly bytes: number | null;
}

/** External-data references grouped by file, in first-seen order. */
export function groupExternalData(refs: readonly ExternalDataRef[]): ExternalFile[] {
  const files = new Map<string, { tensors: number; bytes: number | null }>();
  for (const r of refs) {
    const f = files.get(r.location) ?? { tensors: 0, bytes: null };
    f.tensors++;
    if (r.length !== null) f.bytes = (f.bytes ?? 0) + r.length;
    files.set(r.location, f);
  }
  return [...files.entries()].map(([location, f]) => ({ location, ...f }));
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
}
