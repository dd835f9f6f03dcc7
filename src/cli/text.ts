import type { InspectResult, ValidateResult, ValueSummary } from '../core/report-types';
import type { SampleResult, SampleTensorSummary } from '../protocol/worker';

/** Human-readable renderings of the CLI's results (the --json output is the contract; this is for people). */

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

function shapeText(s: ValueSummary['shape']): string {
  return s ? `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '(unknown shape)';
}

export function inspectText(file: string, r: InspectResult): string {
  const lines: string[] = [];
  lines.push(`Model: ${file}`);
  lines.push(`  IR version ${r.ir_version}; opsets ${Object.entries(r.opset_import).map(([d, v]) => `${d} ${v}`).join(', ')}`);
  if (r.producer_name) lines.push(`  Producer: ${r.producer_name} ${r.producer_version}`.trimEnd());
  if (r.graph_name) lines.push(`  Graph: ${r.graph_name}`);
  if (r.doc_string) lines.push(`  Doc: ${r.doc_string.split('\n')[0]}`);
  for (const [k, v] of Object.entries(r.metadata_props)) lines.push(`  ${k}: ${v}`);
  lines.push('  Inputs:');
  for (const i of r.inputs) lines.push(`    ${i.name}: ${i.kind} ${i.elem_type ?? '?'} ${shapeText(i.shape)}`);
  lines.push('  Outputs:');
  for (const o of r.outputs) lines.push(`    ${o.name}: ${o.kind} ${o.elem_type ?? '?'} ${shapeText(o.shape)}`);
  lines.push(`  Nodes: ${r.node_count} (${r.node_count_total} with ${r.subgraph_count} subgraphs); functions: ${r.function_count}`);
  lines.push(`  Parameters: ${r.parameter_count.toLocaleString('en-US')} in ${r.initializer_count} initializers (${formatBytes(r.initializer_bytes)})`);
  if (r.external_data.length) lines.push(`  External data: ${[...new Set(r.external_data.map((e) => e.location))].join(', ')}`);
  const ops = Object.entries(r.op_histogram).slice(0, 12);
  lines.push(`  Operators: ${ops.map(([k, v]) => `${k.replace(/^ai\.onnx::/, '')}×${v}`).join(', ')}${Object.keys(r.op_histogram).length > 12 ? ', …' : ''}`);
  return lines.join('\n');
}

export function validateText(file: string, r: ValidateResult): string {
  const lines = [`${file}: ${r.valid ? 'valid' : 'INVALID'} (${r.errors} errors, ${r.warnings} warnings)`];
  for (const f of r.findings) {
    const where = [f.graph && f.graph !== 'main' ? f.graph : '', f.node ? `node ${f.node}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}${where ? ` [${where}]` : ''}`);
  }
  if (r.runtime) {
    lines.push(r.runtime.ok ? `  onnxruntime ${r.runtime.ort_version ?? ''}: session created` : `  onnxruntime refused the model: ${r.runtime.message ?? ''}`);
  }
  return lines.join('\n');
}

function tensorLine(t: SampleTensorSummary): string {
  const s = t.stats;
  const st = s && s.count > 0 ? ` min ${fmt(s.min)} max ${fmt(s.max)} mean ${fmt(s.mean)} std ${fmt(s.std)}${s.nan ? ` NaN ${s.nan}` : ''}${s.inf ? ` Inf ${s.inf}` : ''}` : '';
  return `    ${t.name}: ${t.elem_type} [${t.shape.join(', ')}]${st}`;
}

function fmt(v: number | null): string {
  return v === null ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

export function sampleText(r: SampleResult): string {
  const lines = [`Ran ${r.model} on sample inputs (onnxruntime ${r.ort_version}, session ${r.session_ms.toFixed(1)} ms, run ${r.run_ms.map((m) => m.toFixed(2)).join('/')} ms)`];
  lines.push('  Inputs:');
  for (const t of r.inputs) lines.push(tensorLine(t));
  lines.push('  Outputs:');
  for (const t of r.outputs) lines.push(tensorLine(t));
  return lines.join('\n');
}
