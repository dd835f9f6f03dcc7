/**
 * The reports of a run, written into its folder: `run.json` (the `--json` document), `report.html` (self-contained:
 * no scripts, no external resources, every text escaped; a stage table, the gate checks and an inline SVG bar chart
 * of model sizes and latencies), `summary.md` and `junit.xml` (one testcase per gate check, a failure element for each
 * failed check).
 */
import * as path from 'node:path';
import type { CheckResult, PipelineRunResult, StageResult } from '../../protocol/pipeline';
import { escapeHtml } from '../shared/html';
import { writeAtomic, writeJsonAtomic } from './files';

export { escapeHtml };

/** XML text and attribute values (also drops the control characters XML 1.0 cannot hold). */
export function escapeXml(s: string): string {
  return escapeHtml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
}

const show = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '')) : JSON.stringify(v) ?? 'undefined');

/** The headline outputs of a stage as short text. */
function headline(s: StageResult): string {
  const o = s.outputs as Record<string, unknown>;
  const parts: string[] = [];
  const metrics = o.metrics as Record<string, unknown> | undefined;
  if (metrics) for (const k of ['accuracy', 'f1_macro', 'r2', 'rmse']) if (typeof metrics[k] === 'number') parts.push(`${k} ${show(metrics[k])}`);
  const latency = o.latency as Record<string, unknown> | undefined;
  if (latency && typeof latency.p99_ms === 'number') parts.push(`p99 ${show(latency.p99_ms)} ms`);
  for (const k of ['size_bytes', 'size_ratio', 'ref', 'output', 'max_abs_diff', 'p99_ms', 'approved', 'by', 'passed']) if (o[k] !== undefined && o[k] !== null) parts.push(`${k} ${typeof o[k] === 'string' ? String(o[k]) : show(o[k])}`);
  return parts.join(' · ');
}

function checkText(c: CheckResult): string {
  return c.error ? `${c.expr} — ${c.error}` : `${c.expr} — left ${show(c.left)}, right ${show(c.right)}`;
}

/** Bars of model sizes (KB) and p99 latencies (ms) of the stages that report them. */
function barChart(r: PipelineRunResult): string {
  const bars: { label: string; value: number; unit: string }[] = [];
  for (const s of r.stages) {
    const o = s.outputs as Record<string, unknown>;
    if (typeof o.size_bytes_before === 'number' && !bars.some((b) => b.unit === 'KB')) bars.push({ label: 'source model', value: o.size_bytes_before / 1024, unit: 'KB' });
    if (typeof o.size_bytes === 'number') bars.push({ label: `${s.id} size`, value: o.size_bytes / 1024, unit: 'KB' });
  }
  for (const s of r.stages) {
    const o = s.outputs as Record<string, unknown>;
    const p99 = typeof o.p99_ms === 'number' ? o.p99_ms : typeof (o.latency as Record<string, unknown> | undefined)?.p99_ms === 'number' ? ((o.latency as Record<string, number>).p99_ms as number) : undefined;
    if (p99 !== undefined) bars.push({ label: `${s.id} p99`, value: p99, unit: 'ms' });
  }
  if (!bars.length) return '';
  const width = 640;
  const row = 22;
  const labelW = 170;
  const max: Record<string, number> = {};
  for (const b of bars) max[b.unit] = Math.max(max[b.unit] ?? 0, b.value);
  const rows = bars
    .map((b, i) => {
      const w = max[b.unit]! > 0 ? Math.max(1, ((width - labelW - 110) * b.value) / max[b.unit]!) : 1;
      const y = i * row + 4;
      return `<text x="0" y="${y + 14}">${escapeHtml(b.label)}</text><rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="16" class="${b.unit === 'KB' ? 'size' : 'lat'}"/><text x="${(labelW + w + 6).toFixed(1)}" y="${y + 14}">${escapeHtml(`${show(Number(b.value.toFixed(3)))} ${b.unit}`)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${bars.length * row + 8}" role="img" aria-label="model sizes and p99 latencies">${rows}</svg>`;
}

export function htmlReport(r: PipelineRunResult): string {
  const rows = r.stages
    .map((s) => `<tr class="${s.status}"><td>${escapeHtml(s.id)}</td><td>${escapeHtml(s.run)}</td><td>${escapeHtml(s.status)}</td><td>${s.seconds.toFixed(2)}</td><td>${escapeHtml(headline(s))}${s.message ? `<div class="msg">${escapeHtml(s.message)}</div>` : ''}</td></tr>`)
    .join('\n');
  const gates = r.stages
    .filter((s) => s.checks?.length)
    .map((s) => `<h3>${escapeHtml(s.id)}</h3><ul>${s.checks!.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}">${c.passed ? '✔' : '✘'} <code>${escapeHtml(c.expr)}</code> — ${escapeHtml(c.error ?? `left ${show(c.left)}, right ${show(c.right)}`)}</li>`).join('')}</ul>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(`Pipeline ${r.name} — ${r.status}`)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.failed td{background:#fde8e8}tr.awaiting-approval td{background:#fff6da}tr.skipped td{color:#888}tr.cached td:nth-child(3){color:#2a6}
.msg{color:#a33;font-size:12px}.pass{color:#2a6}.fail{color:#c33}svg text{font:12px system-ui,sans-serif}rect.size{fill:#4a7bd0}rect.lat{fill:#d08a3a}
</style></head><body>
<h1>Pipeline ${escapeHtml(r.name)}: ${escapeHtml(r.status)}</h1>
<p>Run ${escapeHtml(r.run_id)}, started ${escapeHtml(r.started)}, ${r.seconds.toFixed(2)} s. File ${escapeHtml(r.file)}.</p>
<table><thead><tr><th>stage</th><th>kind</th><th>status</th><th>seconds</th><th>outputs</th></tr></thead><tbody>
${rows}
</tbody></table>
${gates ? `<h2>Gates</h2>\n${gates}` : ''}
${barChart(r) ? `<h2>Sizes and latency</h2>\n${barChart(r)}` : ''}
</body></html>
`;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownSummary(r: PipelineRunResult): string {
  const lines = [`# Pipeline ${mdCell(r.name)}: ${r.status}`, '', `Run \`${r.run_id}\`, ${r.seconds.toFixed(2)} s.`, '', '| stage | kind | status | seconds | outputs |', '| --- | --- | --- | ---: | --- |'];
  for (const s of r.stages) lines.push(`| ${mdCell(s.id)} | ${s.run} | ${s.status} | ${s.seconds.toFixed(2)} | ${mdCell(headline(s) + (s.message ? ` — ${s.message}` : ''))} |`);
  const checks = r.stages.flatMap((s) => (s.checks ?? []).map((c) => ({ s, c })));
  if (checks.length) {
    lines.push('', '## Gate checks', '');
    for (const { s, c } of checks) lines.push(`- ${c.passed ? '✅' : '❌'} ${mdCell(s.id)}: \`${c.expr.replace(/`/g, "'")}\` (${mdCell(c.error ?? `left ${show(c.left)}, right ${show(c.right)}`)})`);
  }
  return `${lines.join('\n')}\n`;
}

export function junitXml(r: PipelineRunResult): string {
  const cases: string[] = [];
  let failures = 0;
  for (const s of r.stages) {
    for (const c of s.checks ?? []) {
      const body = c.passed ? '' : `<failure message="${escapeXml(checkText(c))}" type="gate">${escapeXml(checkText(c))}</failure>`;
      if (!c.passed) failures++;
      cases.push(`    <testcase classname="${escapeXml(`${r.name}.${s.id}`)}" name="${escapeXml(c.expr)}" time="0">${body}</testcase>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${escapeXml(r.name)}" tests="${cases.length}" failures="${failures}" time="${r.seconds}">
  <testsuite name="${escapeXml(r.name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${r.seconds}" timestamp="${escapeXml(r.started)}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}

export async function writeReports(r: PipelineRunResult): Promise<void> {
  await writeJsonAtomic(path.join(r.run_dir, 'run.json'), r);
  await writeAtomic(r.report.html, htmlReport(r));
  await writeAtomic(r.report.markdown, markdownSummary(r));
  await writeAtomic(r.report.junit, junitXml(r));
}
