/**
 * The monitoring result as one self-contained HTML file: no scripts, no external resources, inline SVG. Its size
 * grows with chunks × columns (aggregates), never with rows. Every string from the data is escaped.
 */
import type { MonitorResult } from '../../protocol/monitor';
import { escapeHtml, num, writeHtmlFile } from './html';
import { MonitorError } from './monitor-error';

function chunkLabel(c: MonitorResult['chunks'][number]): string {
  return c.start_time ? `${c.start_time.replace('T', ' ').replace(/:00\.000Z$/, 'Z')}` : `rows ${c.start}–${c.end - 1}`;
}

/** Estimated vs realized accuracy per chunk, with the reference band, as an inline SVG line chart. */
function performanceSvg(r: MonitorResult): string {
  const est = r.chunks.map((c) => c.estimated?.accuracy ?? null);
  const real = r.chunks.map((c) => c.realized?.accuracy ?? null);
  const band = r.reference.bands.accuracy;
  const all = [...est, ...real, band?.lower ?? null, band?.upper ?? null].filter((v): v is number => v !== null && Number.isFinite(v));
  if (!all.length || r.chunks.length < 1) return '';
  const lo = Math.max(0, Math.min(...all) - 0.02);
  const hi = Math.min(1, Math.max(...all) + 0.02);
  const w = 640;
  const h = 200;
  const x = (i: number) => 40 + (r.chunks.length === 1 ? (w - 60) / 2 : (i * (w - 60)) / (r.chunks.length - 1));
  const y = (v: number) => h - 20 - ((v - lo) / (hi - lo || 1)) * (h - 40);
  const line = (vs: (number | null)[], color: string) => {
    const pts = vs.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
    return pts.length ? `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>${pts.map((p) => `<circle r="3" fill="${color}" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}"/>`).join('')}` : '';
  };
  const bandRect = band && band.lower !== null && band.upper !== null ? `<rect x="40" width="${w - 60}" y="${y(Math.min(hi, band.upper)).toFixed(1)}" height="${Math.max(0, y(Math.max(lo, band.lower)) - y(Math.min(hi, band.upper))).toFixed(1)}" fill="#2b7de933"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="accuracy per chunk">${bandRect}<line x1="40" y1="${h - 20}" x2="${w - 20}" y2="${h - 20}" stroke="#999"/><text x="4" y="${y(hi) + 4}" font-size="11">${num(hi)}</text><text x="4" y="${y(lo) + 4}" font-size="11">${num(lo)}</text>${line(real, '#222')}${line(est, '#d9480f')}</svg>
<p class="legend"><span style="color:#d9480f">● estimated (CBPE)</span> <span>● realized</span> <span style="color:#2b7de9">■ reference mean ± 3σ</span></p>`;
}

export function monitorHtml(r: MonitorResult): string {
  const columns = Object.keys(r.distributions);
  const heat = columns
    .map((name) => {
      const cells = r.chunks
        .map((c) => {
          const d = c.drift.columns.find((x) => x.name === name);
          if (!d) return '<td>—</td>';
          const value = d.p_value ?? d.statistic;
          return `<td class="${d.drift ? 'drift' : ''}" title="${escapeHtml(`${d.stattest} ${num(value)} (threshold ${num(d.threshold)})`)}">${num(value)}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(name)}</th>${cells}</tr>`;
    })
    .join('\n');
  const chunkRows = r.chunks
    .map(
      (c) =>
        `<tr class="${c.alerts.length ? 'alert' : ''}"><td>${c.index}</td><td>${escapeHtml(chunkLabel(c))}</td><td>${c.rows}</td><td>${c.drift.dataset_drift ? 'drift' : 'no drift'} (${c.drift.drifted_columns}/${c.drift.columns.length})</td><td>${c.estimated ? `${num(c.estimated.accuracy)} ± ${num(c.estimated.sampling_error.accuracy)}` : '—'}</td><td>${c.realized ? num(c.realized.accuracy) : '—'}</td><td>${c.latency ? `${num(c.latency.p50_ms)} / ${num(c.latency.p99_ms)}` : '—'}</td><td>${c.alerts.map((a) => escapeHtml(a.message)).join('<br>') || '—'}</td></tr>`,
    )
    .join('\n');
  const notes = [...r.assumptions, ...r.warnings];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Monitoring: ${escapeHtml(r.current.file)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}td.drift{background:#f8c9c9}tr.alert td{background:#fff3cd}.legend span{margin-right:1.5em}</style></head>
<body><h1>Monitoring</h1>
<p>Reference <code>${escapeHtml(r.reference.file)}</code> (${r.reference.rows} rows) · current <code>${escapeHtml(r.current.file)}</code> (${r.current.kind === 'request-log' ? 'request log, ' : ''}${r.current.rows} rows) · ${r.chunks.length} chunks by ${r.chunking.by}${r.chunking.size ? ` (${r.chunking.size} rows)` : r.chunking.period ? ` (${escapeHtml(r.chunking.period)})` : ''}${r.model ? ` · model <code>${escapeHtml(r.model)}</code>` : ''}</p>
<p><strong>${r.alerts} alert${r.alerts === 1 ? '' : 's'}</strong></p>
${performanceSvg(r)}
<h2>Chunks</h2>
<table><thead><tr><th>#</th><th>chunk</th><th>rows</th><th>dataset drift</th><th>estimated accuracy</th><th>realized accuracy</th><th>latency p50 / p99 ms</th><th>alerts</th></tr></thead><tbody>
${chunkRows}
</tbody></table>
<h2>Drift per column and chunk (p-value or distance; red: drift)</h2>
<table><thead><tr><th>column</th>${r.chunks.map((c) => `<th>${c.index}</th>`).join('')}</tr></thead><tbody>
${heat}
</tbody></table>
${notes.length ? `<h2>Notes</h2><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

export function writeMonitorHtml(r: MonitorResult, file: string): Promise<void> {
  return writeHtmlFile(file, monitorHtml(r), (message) => new MonitorError(file, message));
}
