/**
 * The rows of the drift heatmap: per feature (and `prediction`), its drift in every chunk; the most drifted
 * first (most drifted chunks, then the largest statistic), filtered by a substring of the name, at most `limit`.
 * Pure: no DOM; unit tested in test/unit/webview/monitor/heatmap-rows.test.ts.
 */
import type { ColumnDrift } from '../../src/protocol/drift';
import type { MonitorChunk } from '../../src/protocol/monitor';

export const MAX_HEATMAP_ROWS = 50;

export interface HeatmapRow {
  readonly name: string;
  /** Per chunk in chunk order: that column's test, or null when the chunk did not check it. */
  readonly cells: readonly (ColumnDrift | null)[];
  readonly driftedChunks: number;
}

export interface HeatmapRows {
  readonly rows: readonly HeatmapRow[];
  /** Features matching the filter (before the limit). */
  readonly matching: number;
  readonly total: number;
}

export function heatmapRows(chunks: readonly MonitorChunk[], filter = '', limit = MAX_HEATMAP_ROWS): HeatmapRows {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const c of chunks) {
    for (const col of c.drift.columns) {
      if (!seen.has(col.name)) {
        seen.add(col.name);
        names.push(col.name);
      }
    }
  }
  const all = names.map((name): HeatmapRow & { readonly maxStat: number } => {
    const cells = chunks.map((c) => c.drift.columns.find((col) => col.name === name) ?? null);
    return {
      name,
      cells,
      driftedChunks: cells.filter((cell) => cell?.drift === true).length,
      maxStat: Math.max(0, ...cells.map((cell) => (cell?.drift ? Math.abs(cell.statistic ?? 0) : 0))),
    };
  });
  const needle = filter.trim().toLowerCase();
  const matching = needle ? all.filter((r) => r.name.toLowerCase().includes(needle)) : all;
  const sorted = [...matching].sort((a, b) => b.driftedChunks - a.driftedChunks || b.maxStat - a.maxStat || a.name.localeCompare(b.name));
  return { rows: sorted.slice(0, limit).map(({ name, cells, driftedChunks }) => ({ name, cells, driftedChunks })), matching: matching.length, total: all.length };
}

/** A chunk's name in the dashboard: "3" and its rows or period. */
export function chunkTitle(c: MonitorChunk): string {
  const where = c.start_time ? `${c.start_time}${c.end_time ? ` – ${c.end_time}` : ''}` : `rows ${c.start}–${c.end - 1}`;
  return `Chunk ${c.index + 1}: ${where} (${c.rows} rows)`;
}

/** One cell's description: "income_k, chunk 3: drift (ks, p = 0.0001 < 0.05)". */
export function cellText(name: string, chunk: number, cell: ColumnDrift | null): string {
  if (!cell) return `${name}, chunk ${chunk + 1}: not checked`;
  const value = cell.p_value !== null ? `p = ${fmt(cell.p_value)}` : `${fmt(cell.statistic)}`;
  const cmp = cell.p_value !== null ? (cell.drift ? '<' : '≥') : cell.drift ? '≥' : '<';
  return `${name}, chunk ${chunk + 1}: ${cell.drift ? 'drift' : 'no drift'} (${cell.stattest}, ${value} ${cmp} ${fmt(cell.threshold)})`;
}

function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}
