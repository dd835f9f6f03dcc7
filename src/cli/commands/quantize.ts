/** `ptp quantize`: a quantized copy of a model (dynamic / static int8, fp16, int4) with per-node SQNR and before/after evaluation. */
import { InvalidArgumentError, type Command } from 'commander';
import { MODES, quantize, recipePathFor } from '../../pipeline/quantize';
import type { QuantizeMode, QuantizeResult, QuantizeSettings } from '../../protocol/quantize';
import { collect, intList, onProgress, positiveInt } from '../options';
import { UsageError, printJson } from '../output';

interface QuantizeFlags {
  mode?: string;
  output?: string;
  data?: string;
  label?: string | boolean;
  sensitive: string[];
  excludeColumns: string[];
  calibration?: string;
  calibrationRows?: number;
  method?: string;
  percentile?: number;
  perChannel?: boolean;
  exclude?: string[];
  opTypes?: string[];
  blockSize?: number;
  accuracyLevel?: number;
  symmetric?: boolean;
  reduceRange?: boolean;
  activationType?: string;
  fp16BlockList?: string[];
  recipe?: string | boolean;
  sqnrRows?: number;
  latency: boolean;
  latencyBatch?: number[];
  batch?: number;
  threads?: number;
  saveRecipe: boolean;
  json?: boolean;
}

function oneOf<T extends string>(values: readonly T[], what: string): (v: string) => T {
  return (v: string) => {
    if ((values as readonly string[]).includes(v)) return v as T;
    throw new InvalidArgumentError(`expected ${what}: ${values.join(', ')}`);
  };
}

function numberArg(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** The settings the flags give (only those given: the rest comes from --recipe or the defaults). */
function settingsOf(o: QuantizeFlags, mode: QuantizeMode | undefined): QuantizeSettings {
  const s: Record<string, unknown> = {
    method: o.method,
    percentile: o.percentile,
    per_channel: o.perChannel,
    reduce_range: o.reduceRange,
    activation_type: o.activationType,
    op_types: o.opTypes,
    exclude: o.exclude,
    block_size: o.blockSize,
    accuracy_level: o.accuracyLevel,
    fp16_block_list: o.fp16BlockList,
    calibration_rows: o.calibrationRows,
  };
  // --symmetric: activations in static mode, 4-bit blocks in int4 mode (int8 weights are always symmetric).
  if (o.symmetric !== undefined) s[mode === 'int4' ? 'weight_symmetric' : 'activation_symmetric'] = o.symmetric;
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as QuantizeSettings;
}

export function registerQuantizeCommand(program: Command): void {
  program
    .command('quantize')
    .description(
      'Write a quantized copy of a model (never the model itself): dynamic int8, static int8 (QDQ, calibrated), fp16 or int4 ' +
        '(MatMulNBits); report per-node SQNR, size, latency and, with --data, both models evaluated on the data.',
    )
    .argument('<model>', 'path to a .onnx file')
    .option('--mode <mode>', `${MODES.join(' | ')} (may come from --recipe)`, oneOf(MODES, 'a mode'))
    .option('-o, --output <file>', 'output file (default <model>.int8.onnx / .fp16.onnx / .int4.onnx next to the model)')
    .option('--data <file>', 'evaluation data (CSV/TSV, NPY/NPZ, JSONL, Parquet, image folder); also calibrates static mode without --calibration')
    .option('--label <column>', 'label column of --data (default: label/target/y)')
    .option('--no-label', 'no labels: compare predictions only')
    .option('--sensitive <column>', 'columns never fed to the model (sensitive attributes; repeatable, comma-separated)', collect, [])
    .option('--exclude-columns <column>', 'other data columns never fed to the model (repeatable, comma-separated)', collect, [])
    .option('--calibration <file>', 'static mode: calibration data (read like --data)')
    .option('--calibration-rows <n>', 'static mode: calibration rows at most (default 1000)', positiveInt)
    .option('--method <method>', 'static mode: minmax | percentile | entropy (default minmax)', oneOf(['minmax', 'percentile', 'entropy'] as const, 'a method'))
    .option('--percentile <p>', 'percentile method: percentile kept (default 99.999)', numberArg)
    .option('--per-channel', 'int8: one weight scale per output channel')
    .option('--exclude <nodes>', 'node names to leave in float (comma-separated, repeatable)', collect)
    .option('--op-types <types>', 'op types to quantize (comma-separated), e.g. MatMul,Conv', collect)
    .option('--block-size <n>', 'int4: block size 16 | 32 | 64 | 128 | 256 (default 128)', positiveInt)
    .option('--accuracy-level <n>', 'int4: MatMulNBits accuracy_level 0-4 (default 4 = int8 compute, fastest on CPU; 0 = float compute)', positiveInt)
    .option('--symmetric', 'static: symmetric activations; int4: symmetric blocks without zero points')
    .option('--reduce-range', 'int8: 7-bit weights')
    .option('--activation-type <type>', 'static: int8 (S8S8, default) | uint8 (U8S8)', oneOf(['int8', 'uint8'] as const, 'a type'))
    .option('--fp16-block-list <ops>', 'fp16: op types kept in float32 (replaces the default list; comma-separated)', collect)
    .option('--recipe [file]', 'repeat the settings of a recipe (default <model>.quantize.json); flags override it')
    .option('--sqnr-rows <n>', 'data rows for activation SQNR (default 64; 0 = skip)', positiveInt)
    .option('--no-latency', 'skip the latency measurement')
    .option('--latency-batch <sizes>', 'batch sizes of the latency measurement (default 1,32)', intList)
    .option('--batch <n>', 'evaluation batch size', positiveInt)
    .option('--threads <n>', 'onnxruntime intra-op threads (0 = default)', positiveInt)
    .option('--no-save-recipe', 'do not write <model>.quantize.json')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: QuantizeFlags) => {
      const recipe = o.recipe === true ? recipePathFor(file) : typeof o.recipe === 'string' ? o.recipe : undefined;
      if (!o.mode && !recipe) throw new UsageError(`--mode is required (${MODES.join(', ')}) unless --recipe gives it`);
      const mode = o.mode as QuantizeMode | undefined;
      const r = await quantize(
        {
          model: file,
          ...(mode ? { mode } : {}),
          ...(recipe ? { recipe } : {}),
          output: o.output,
          data: o.data,
          label: o.label === false ? null : typeof o.label === 'string' ? o.label : undefined,
          sensitive: o.sensitive,
          exclude_columns: o.excludeColumns,
          calibration: o.calibration,
          settings: settingsOf(o, mode),
          sqnrRows: o.sqnrRows,
          latency: o.latency ? (o.latencyBatch ? { batchSizes: o.latencyBatch } : undefined) : false,
          batchSize: o.batch,
          intraOpNumThreads: o.threads,
          saveRecipe: o.saveRecipe,
        },
        { onProgress },
      );
      if (o.json) printJson(r);
      else console.log(quantizeText(r));
    });
}

const fmt = (v: number | undefined | null, digits = 4): string => (typeof v === 'number' ? v.toFixed(digits) : '-');
const kb = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);

/** The human-readable summary (the --json document is the contract). */
export function quantizeText(r: QuantizeResult): string {
  const lines = [`Quantized ${r.model} (${r.mode}) → ${r.output}`];
  lines.push(`  size ${kb(r.size_bytes_before)} → ${kb(r.size_bytes_after)} (${fmt(r.size_bytes_after / r.size_bytes_before, 2)}×); weights ${kb(r.weight_bytes_before)} → ${kb(r.weight_bytes_after)}`);
  lines.push(`  ${r.quantized_nodes} nodes ${r.mode === 'fp16' ? 'converted' : 'quantized'}, ${r.skipped.length} skipped`);
  if (r.calibration) lines.push(`  calibration: ${r.calibration.method} on ${r.calibration.rows} rows of ${r.calibration.file}`);
  if (r.metrics_before !== undefined) {
    const before = (r.metrics_before ?? {}) as unknown as Record<string, number>;
    const after = (r.metrics_after ?? {}) as unknown as Record<string, number>;
    const keys = ['accuracy', 'f1_macro', 'log_loss', 'r2', 'rmse', 'mae'].filter((k) => typeof before[k] === 'number');
    lines.push(`  evaluation on ${r.samples} rows of ${r.data}:`);
    for (const k of keys) lines.push(`    ${k.padEnd(10)} ${fmt(before[k])} → ${fmt(after[k])} (${after[k]! - before[k]! >= 0 ? '+' : ''}${fmt(after[k]! - before[k]!)})`);
    if (r.agreement !== undefined) lines.push(`    agreement  ${fmt(r.agreement)}`);
    lines.push(`    max |output difference| ${fmt(r.max_abs_diff)}`);
  }
  if (r.latency_before && r.latency_after) {
    lines.push('  latency p50 (ms):');
    r.latency_before.rows.forEach((b, i) => {
      const a = r.latency_after!.rows[i];
      lines.push(`    batch ${String(b.batch_size).padEnd(5)} ${fmt(b.p50_ms, 3)} → ${fmt(a?.p50_ms, 3)}`);
    });
  }
  const worst = r.nodes.filter((n) => n.activation_sqnr_db !== undefined || n.weight_sqnr_db !== undefined).slice(0, 10);
  if (worst.length) {
    lines.push('  worst nodes (SQNR dB, activation / weight):');
    for (const n of worst) lines.push(`    ${n.name.padEnd(32)} ${n.op_type.padEnd(10)} ${fmt(n.activation_sqnr_db, 1).padStart(6)} / ${fmt(n.weight_sqnr_db, 1)}`);
  }
  for (const s of r.skipped.slice(0, 10)) lines.push(`  skipped ${s.node} (${s.op_type}): ${s.reason}`);
  if (r.skipped.length > 10) lines.push(`  … and ${r.skipped.length - 10} more skipped`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (r.recipe_file) lines.push(`  settings saved to ${r.recipe_file}`);
  return lines.join('\n');
}
