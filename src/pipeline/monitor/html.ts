/**
 * The drift result as one small self-contained HTML file (no scripts, no external resources; one table row per
 * column, so its size grows with the columns, never with the rows), written to a temp beside the target and renamed.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { tempPath } from '../../core/temp-files';
import { writeRefusal } from '../../core/writer';
import type { DriftResult } from '../../protocol/drift';
import { escapeHtml } from '../shared/html';
import { DriftError } from './errors';

export { escapeHtml };

export function num(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-4 || x === 0 ? x.toPrecision(6).replace(/\.?0+$/, '') : x.toExponential(3);
}

export function driftHtml(r: DriftResult): string {
  const rows = r.columns
    .map(
      (c) =>
        `<tr class="${c.drift ? 'drift' : ''}"><td>${escapeHtml(c.name)}</td><td>${c.kind}</td><td>${c.stattest}</td><td>${num(c.statistic)}</td><td>${num(c.p_value)}</td><td>${num(c.threshold)}</td><td>${c.drift ? 'drift' : 'no drift'}</td></tr>`,
    )
    .join('\n');
  const warnings = r.warnings.length ? `<h2>Notes</h2><ul>${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Data drift: ${escapeHtml(r.current)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.drift td{background:#fde2e2}.verdict{font-size:1.2em;font-weight:600}</style></head>
<body><h1>Data drift</h1>
<p>Reference <code>${escapeHtml(r.reference)}</code> (${r.n_reference} rows) · current <code>${escapeHtml(r.current)}</code> (${r.n_current} rows)</p>
<p class="verdict">${r.dataset_drift ? 'Dataset drift detected' : 'No dataset drift'}: ${r.drifted_columns} of ${r.n_columns} columns drifted (share ${num(r.share_of_drifted_columns)}, threshold ${num(r.drift_share)})</p>
<table><thead><tr><th>column</th><th>kind</th><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>verdict</th></tr></thead><tbody>
${rows}
</tbody></table>
${warnings}
</body></html>
`;
}

/** Writes the report atomically; a refused write is a DriftError naming the file. */
export function writeDriftHtml(r: DriftResult, file: string): Promise<void> {
  return writeHtmlFile(file, driftHtml(r), (message) => new DriftError(file, 'bad-output', message));
}

/** Writes an HTML report atomically (temp beside it, then renamed); a refused write becomes `userError(message)`. */
export async function writeHtmlFile(file: string, html: string, userError: (message: string) => Error): Promise<void> {
  const tmp = tempPath(file);
  try {
    await writeFile(tmp, html);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    const refusal = writeRefusal(e);
    if (refusal) throw userError(`cannot write the HTML report: ${refusal.why} (${refusal.code}); nothing was written`);
    throw e;
  }
}
