/** `ptp explain`: SHAP values (exact, Kernel, Permutation) and occlusion maps of a model on rows of a data file. */
import { InvalidArgumentError, type Command } from 'commander';
import { explain } from '../../pipeline/explain';
import type { ExplainBackground, ExplainMethod, ExplainParams, ExplainResult } from '../../protocol/explain';
import { labelOf } from '../data-options';
import { collect, intList, numberArg, onProgress, positiveInt, taskOption, threadsOption } from '../options';
import { UsageError, printResult } from '../output';

interface ExplainFlags {
  data: string;
  background?: string;
  backgroundSample?: number;
  backgroundKmeans?: number;
  method?: ExplainMethod;
  output?: string;
  nsamples?: number;
  maxEvals?: number;
  targetError?: number;
  timeCap?: number;
  maxCoalitions?: number;
  topK?: number;
  patch?: number;
  baseline?: 'mean' | 'background';
  seed: number;
  rows?: number[];
  maxRows?: number;
  label?: string | boolean;
  exclude: string[];
  sensitive: string[];
  task: 'auto' | 'classification' | 'regression';
  batch?: number;
  threads?: number;
  top: number;
  json?: boolean;
}

function methodOption(v: string): ExplainMethod {
  if (v === 'exact' || v === 'kernel' || v === 'permutation' || v === 'occlusion') return v;
  throw new InvalidArgumentError('expected exact, kernel, permutation or occlusion');
}

function baselineOption(v: string): 'mean' | 'background' {
  if (v === 'mean' || v === 'background') return v;
  throw new InvalidArgumentError('expected mean or background');
}

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('Explain predictions with SHAP values: exact, Kernel SHAP, Permutation SHAP, or occlusion maps for image inputs.')
    .argument('<model>', 'path to a .onnx file')
    .requiredOption('--data <file>', 'rows to explain: CSV/TSV, NPY/NPZ, JSONL, Parquet, or an image folder')
    .option('--background <file>', 'background data (default: a sample of the data file); all its rows unless summarised')
    .option('--background-sample <n>', 'background: n rows sampled (seeded) from the background file or the data (default 100)', positiveInt)
    .option('--background-kmeans <k>', 'background: k weighted k-means centroids of the background file or the data', positiveInt)
    .option('--method <method>', 'exact | kernel | permutation | occlusion (default: occlusion for images, exact for ≤ 14 features, else kernel)', methodOption)
    .option('--output <k>', 'output to explain: class index or name, or all (default all)')
    .option('--nsamples <n>', 'Kernel SHAP coalitions (default: adaptive, see --target-error)', positiveInt)
    .option('--top-k <k>', 'Kernel SHAP: keep only the k largest features per output (re-solved)', positiveInt)
    .option('--max-evals <n>', 'Permutation/occlusion budget of coalition evaluations (default: permutation adaptive; occlusion 500; at least 2·M + 1)', positiveInt)
    .option('--target-error <f>', 'without --nsamples/--max-evals: add work until the estimated relative error ≤ f (default 0.02)', numberArg)
    .option('--max-coalitions <n>', 'the adaptive budget stops at n coalitions per explained row (default 16384)', positiveInt)
    .option('--time-cap <s>', 'also stop the adaptive budget at s seconds per explained row (results then depend on machine speed)', numberArg)
    .option('--patch <px>', 'occlusion patch side in pixels (default ⌈max(H, W) / 8⌉)', positiveInt)
    .option('--baseline <kind>', 'occlusion: replace patches by the mean image (mean) or by each background row (background)', baselineOption)
    .option('--seed <n>', 'random seed', positiveInt, 0)
    .option('--rows <list>', 'data-row indices to explain (0-based, comma-separated)', intList)
    .option('--max-rows <n>', 'explain the first n rows (default 100)', positiveInt)
    .option('--label <column>', 'label column (default: label/target/y); never a feature')
    .option('--no-label', 'the data has no label column')
    .option('--exclude <column>', 'columns that are not features (repeatable, comma-separated)', collect, [])
    .option('--sensitive <column>', 'sensitive columns, set aside like evaluation does (repeatable)', collect, [])
    .option('--task <task>', 'auto | classification | regression', taskOption, 'auto')
    .option('--batch <n>', 'masked rows per onnxruntime call, at most (default 65536)', positiveInt)
    .addOption(threadsOption())
    .option('--top <n>', 'features listed per row in the text output', positiveInt, 8)
    .option('--json', 'print one JSON document')
    .action(async (model: string, o: ExplainFlags) => {
      const r = await explain(explainParams(model, o), { onProgress });
      printResult(r, o.json, (x) => explainText(x, o.top));
    });
}

function explainParams(model: string, o: ExplainFlags): ExplainParams {
  if (o.rows && o.maxRows !== undefined) throw new UsageError('give either --rows or --max-rows, not both');
  if (o.backgroundSample !== undefined && o.backgroundKmeans !== undefined) throw new UsageError('give either --background-sample or --background-kmeans, not both');
  let background: ExplainBackground | undefined;
  if (o.backgroundSample !== undefined) background = { ...(o.background ? { file: o.background } : {}), sample: o.backgroundSample };
  else if (o.backgroundKmeans !== undefined) background = { ...(o.background ? { file: o.background } : {}), kmeans: o.backgroundKmeans };
  else background = o.background;
  const output = o.output === undefined || o.output === 'all' ? 'all' : /^\d+$/.test(o.output) ? Number(o.output) : o.output;
  return {
    model,
    data: o.data,
    ...(o.rows ? { rows: o.rows } : {}),
    ...(o.maxRows !== undefined ? { maxRows: o.maxRows } : {}),
    ...(background !== undefined ? { background } : {}),
    output,
    ...(o.method ? { method: o.method } : {}),
    ...(o.nsamples !== undefined ? { nsamples: o.nsamples } : {}),
    ...(o.topK !== undefined ? { topK: o.topK } : {}),
    ...(o.maxEvals !== undefined ? { maxEvals: o.maxEvals } : {}),
    ...(o.targetError !== undefined ? { targetError: o.targetError } : {}),
    ...(o.timeCap !== undefined ? { timeCap: o.timeCap } : {}),
    ...(o.maxCoalitions !== undefined ? { maxCoalitions: o.maxCoalitions } : {}),
    ...(o.patch !== undefined ? { patch: o.patch } : {}),
    ...(o.baseline ? { baseline: o.baseline } : {}),
    seed: o.seed,
    label: labelOf(o.label),
    excludeColumns: o.exclude,
    sensitive: o.sensitive,
    task: o.task,
    ...(o.batch !== undefined ? { batchSize: o.batch } : {}),
    ...(o.threads !== undefined ? { intraOpNumThreads: o.threads } : {}),
  };
}

const BAR = 24;

/** An estimated relative error as a percentage ("n/a" when unknown). */
function pct(v: number): string {
  return Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(v < 0.1 ? 2 : 1)}%`;
}

function num(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(4);
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : '−'}${num(Math.abs(v))}`;
}

/** Features by |φ|, largest first, as aligned `name  value  +φ  ████` lines; the rest summed in one line. */
function bars(names: readonly string[], phi: readonly number[], values: readonly number[] | null, top: number): string[] {
  const order = phi.map((_, j) => j).sort((a, b) => Math.abs(phi[b]!) - Math.abs(phi[a]!));
  const shown = order.slice(0, top).filter((j) => phi[j] !== 0);
  const max = Math.max(...shown.map((j) => Math.abs(phi[j]!)), 1e-300);
  const width = Math.min(Math.max(...shown.map((j) => names[j]!.length), 8), 40);
  const lines = shown.map((j) => {
    const n = names[j]!.length > width ? `${names[j]!.slice(0, width - 1)}…` : names[j]!.padEnd(width);
    const v = values ? ` = ${num(values[j]!)}`.padEnd(12) : '';
    const bar = (phi[j]! >= 0 ? '█' : '▒').repeat(Math.max(1, Math.round((Math.abs(phi[j]!) / max) * BAR)));
    return `    ${n}${v} ${signed(phi[j]!).padStart(10)}  ${bar}`;
  });
  const rest = order.slice(shown.length);
  if (rest.length) {
    const s = rest.reduce((a, j) => a + phi[j]!, 0);
    lines.push(`    ${`${rest.length} other features`.padEnd(width)}${values ? ''.padEnd(12) : ''} ${signed(s).padStart(10)}`);
  }
  return lines;
}

/** The readable rendering: per row, the explained output's top features as a bar list; then mean |φ| overall. */
export function explainText(r: ExplainResult, top = 8): string {
  const K = r.output_names.length;
  const lines: string[] = [];
  const bg = r.background.how === 'mean' ? `mean image of ${r.background.source}` : `${r.background.rows} rows (${r.background.how}) of ${r.background.source}`;
  lines.push(`Explained ${r.rows.length} row${r.rows.length === 1 ? '' : 's'} of ${r.data} with ${r.method} (${r.feature_names.length} features, ${K} output${K === 1 ? '' : 's'}); background: ${bg}`);
  // Classification with several outputs: each row shows its predicted class.
  const shownOutput = (row: number): number => {
    if (K === 1 || r.task === 'regression') return 0;
    const f = r.f_x[row]!;
    return f.indexOf(Math.max(...f));
  };
  const tabular = !r.image;
  for (let i = 0; i < r.rows.length; i++) {
    const k = shownOutput(i);
    const label = r.labels ? `, label ${r.labels[i]}` : '';
    const what = K > 1 ? `output "${r.output_names[k]}"${r.task === 'classification' ? ' (predicted)' : ''}` : `output "${r.output_names[k]}"`;
    lines.push('');
    const err = r.error ? ` · est. error ${pct(r.error.relative[i]!)} (max SE ${num(r.error.max_std_error[i]!)})` : '';
    lines.push(`  row ${r.rows[i]}${label}: ${what} f(x) = ${num(r.f_x[i]![k]!)}, base ${num(r.base_value[k]!)}${err}`);
    lines.push(...bars(r.feature_names, r.shap_values[i]!.map((f) => f[k]!), tabular ? r.feature_values[i]! : null, top));
  }
  if (r.rows.length > 1) {
    const k = K === 1 ? 0 : null;
    const mean = r.feature_names.map((_, j) => {
      let s = 0;
      for (let i = 0; i < r.rows.length; i++) s += Math.abs(r.shap_values[i]![j]![k ?? shownOutput(i)]!);
      return s / r.rows.length;
    });
    lines.push('');
    lines.push(`  mean |φ| over the rows (${k === null ? "each row's predicted class" : `output "${r.output_names[0]}"`}):`);
    lines.push(...bars(r.feature_names, mean, null, Math.max(top, 10)));
  }
  lines.push('');
  lines.push(
    `efficiency max error ${r.efficiency_max_error.toExponential(1)} · ${r.model_calls.toLocaleString('en-US')} onnxruntime calls · ` +
      `${r.model_rows.toLocaleString('en-US')} model rows · ${r.seconds.toFixed(2)} s${K > 1 ? ' · --json for every output' : ''}`,
  );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
