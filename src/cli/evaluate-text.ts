import type { BenchResult, CompareResult, EvaluateResult, ProfileResult } from '../protocol/evaluate';

/** Human-readable renderings of evaluation results (the --json output is the contract). */

const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v === null ? '-' : String(v));

const HEADLINE = ['accuracy', 'balanced_accuracy', 'f1_macro', 'f1_weighted', 'precision', 'recall', 'f1', 'roc_auc', 'roc_auc_ovr_macro', 'pr_auc_average_precision', 'log_loss', 'mcc', 'r2', 'rmse', 'mae', 'mape'];

export function evaluateText(r: EvaluateResult): string {
  const lines = [`Evaluated ${r.model} on ${r.data}: ${r.task}, ${r.samples} rows`];
  for (const p of r.plan) lines.push(`  · ${p}`);
  if (r.metrics) {
    const m = r.metrics as unknown as Record<string, unknown>;
    lines.push('  Metrics:');
    for (const k of HEADLINE) if (k in m) lines.push(`    ${k.padEnd(26)} ${fmt(m[k])}`);
    if (Array.isArray(m.confusion_matrix) && r.class_names && r.class_names.length <= 12) {
      lines.push('  Confusion matrix (rows = true, columns = predicted):');
      lines.push(`    ${''.padEnd(8)}${r.class_names.map((c) => c.slice(0, 7).padStart(8)).join('')}`);
      (m.confusion_matrix as number[][]).forEach((row, i) => lines.push(`    ${r.class_names![i]!.slice(0, 7).padEnd(8)}${row.map((v) => String(v).padStart(8)).join('')}`));
    }
  }
  for (const [col, f] of Object.entries(r.fairness ?? {})) {
    lines.push(`  Fairness by ${col}: demographic parity difference ${fmt(f.demographic_parity_difference)}, ratio ${fmt(f.demographic_parity_ratio)}; equalized odds difference ${fmt(f.equalized_odds_difference)}, ratio ${fmt(f.equalized_odds_ratio)}`);
    for (const [g, m] of Object.entries(f.by_group)) {
      lines.push(`    ${g.padEnd(12)} n ${String(m.n).padStart(6)}  selection ${fmt(m.selection_rate)}  tpr ${fmt(m.tpr)}  fpr ${fmt(m.fpr)}  accuracy ${fmt(m.accuracy)}`);
    }
  }
  if (r.robustness) {
    lines.push(`  Robustness (${r.robustness.metric} on ${r.robustness.rows} rows, baseline ${fmt(r.robustness.baseline)}):`);
    for (const x of r.robustness.results.filter((x) => x.perturbation !== 'feature_corruption')) {
      lines.push(`    ${x.perturbation.padEnd(18)} ${String(x.level).padEnd(6)} ${fmt(x.metric)} (${x.delta >= 0 ? '+' : ''}${fmt(x.delta)})`);
    }
    const worst = r.robustness.results.filter((x) => x.perturbation === 'feature_corruption').sort((a, b) => a.delta - b.delta).slice(0, 5);
    if (worst.length) lines.push(`    most sensitive features: ${worst.map((x) => `${x.level} (${fmt(x.delta)})`).join(', ')}`);
  }
  const l = r.latency;
  lines.push(`  Latency: batch ${l.batch_size}: p50 ${l.p50_ms.toFixed(2)} ms, p90 ${l.p90_ms.toFixed(2)} ms, p99 ${l.p99_ms.toFixed(2)} ms; ${Math.round(l.rows_per_s)} rows/s overall, ${Math.round(l.inference_rows_per_s)} rows/s inference`);
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  if (r.outputs_file) lines.push(`  Predictions: ${r.outputs_file}`);
  if (r.saved_to) lines.push(`  Saved: ${r.saved_to}`);
  return lines.join('\n');
}

export function compareText(r: CompareResult): string {
  const lines = [`Compared ${r.models.length} models on ${r.data} (${r.task}, ${r.samples} rows)`];
  r.models.forEach((m, i) => lines.push(`  [${i}] ${m}: agreement with [0] ${fmt(r.agreement[i])}, max |diff| ${fmt(r.max_abs_diff[i])}`));
  for (const row of r.table) {
    lines.push(`  ${row.metric.padEnd(26)} ${row.values.map((v, i) => `${fmt(v)}${i > 0 && row.deltas[i] !== null ? ` (${row.deltas[i]! >= 0 ? '+' : ''}${fmt(row.deltas[i])})` : ''}`).join('   ')}`);
  }
  return lines.join('\n');
}

export function benchText(r: BenchResult): string {
  const lines = [`Benchmark of ${r.model} (onnxruntime ${r.ort_version})`, '  batch  threads     p50 ms     p90 ms     p99 ms      rows/s'];
  for (const x of r.results) {
    lines.push(`  ${String(x.batch_size).padStart(5)}  ${String(x.threads || 'auto').padStart(7)}  ${x.p50_ms.toFixed(3).padStart(9)}  ${x.p90_ms.toFixed(3).padStart(9)}  ${x.p99_ms.toFixed(3).padStart(9)}  ${Math.round(x.rows_per_s).toString().padStart(10)}`);
  }
  return lines.join('\n');
}

export function profileText(r: ProfileResult): string {
  const lines = [`Profile of ${r.model}: ${r.runs} runs, median ${r.run_p50_ms.toFixed(3)} ms per run (optimization ${r.graph_optimization_level}, onnxruntime ${r.ort_version})`];
  lines.push('  node                                      op                  p50 µs   share');
  for (const n of r.nodes.slice(0, 30)) {
    lines.push(`  ${n.name.slice(0, 40).padEnd(40)}  ${n.op_type.slice(0, 18).padEnd(18)} ${n.p50_us.toFixed(0).padStart(7)}  ${(n.share * 100).toFixed(1).padStart(5)}%`);
  }
  if (r.nodes.length > 30) lines.push(`  … ${r.nodes.length - 30} more nodes (see --json)`);
  lines.push(`  trace: ${r.profile_file}`);
  return lines.join('\n');
}
