/** Number formatting and a plain-text table for benchmark reports. */

export function fmtBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}×` : '–';
}

/** Parses `100MB`, `1.9GB`, `512k`, `2e9` (decimal units) into bytes. */
export function parseSize(s: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*(b|k|kb|m|mb|g|gb)?\s*$/i.exec(s);
  if (!m) throw new Error(`not a size: '${s}' (use e.g. 100MB or 1.9GB)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : unit === 'g' ? 1e9 : 1;
  return Math.round(Number(m[1]) * mult);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Renders rows as an aligned table; columns whose header starts with a space are right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.trim().length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = header.map((h) => h.startsWith(' '));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header.map((h) => h.trim())), rule, ...rows.map(line)].join('\n');
}
