/** `ptp quantize`: a quantized copy of a model (dynamic / static int8, fp16, int4) with per-node SQNR and before/after evaluation. */
import type { Command } from 'commander';
import { MODES, quantize } from '../../pipeline/quantize';
import type { QuantizeMode, QuantizeResult, QuantizeSettings } from '../../protocol/quantize';
import { fmt, kb, latencyDeltaLines, metricDeltaLines } from '../before-after-text';
import { addDataOptions, dataParams, type DataFlags } from '../data-options';
import { addLatencyOptions, latencyOf, type LatencyFlags } from '../latency-options';
import { collect, numberArg, oneOf, onProgress, positiveInt, threadsOption } from '../options';
import { UsageError, printResult } from '../output';

interface QuantizeFlags extends DataFlags, LatencyFlags {
  mode?: string;
  output?: string;
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
  recipe?: string;
  sqnrRows?: number;
  batch?: number;
  threads?: number;
  saveRecipe?: string;
  json?: boolean;
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
  const command = program
    .command('quantize')
    .description(
      'Write a quantized copy of a model (never the model itself): dynamic int8, static int8 (QDQ, calibrated), fp16 or int4 ' +
        '(MatMulNBits); report per-node SQNR, size, latency and, with --data, both models evaluated on the data.',
    )
    .argument('<model>', 'path to a .onnx file')
    .option('--mode <mode>', `${MODES.join(' | ')} (may come from --recipe)`, oneOf(MODES, 'a mode'))
    .option('-o, --output <file>', 'output file (default <model>.int8.onnx / .fp16.onnx / .int4.onnx next to the model)');
  addDataOptions(command, {
    data: 'evaluation data (CSV/TSV, NPY/NPZ, JSONL, Parquet, image folder); also calibrates static mode without --calibration',
    sensitive: 'columns never fed to the model (sensitive attributes; repeatable, comma-separated)',
  })
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
    .option('--recipe <file>', 'repeat the settings of a recipe: a JSON file (--save-recipe writes one) or a quantized model (its ptp.lineage holds its recipe); flags override it')
    .option('--sqnr-rows <n>', 'data rows for activation SQNR (default 64; 0 = skip)', positiveInt);
  addLatencyOptions(command)
    .option('--batch <n>', 'evaluation batch size', positiveInt)
    .addOption(threadsOption())
    .option('--save-recipe <file>', 'also write the recipe to this JSON file (the output model carries it in its ptp.lineage metadata anyway; nothing is written beside the source model)')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: QuantizeFlags) => {
      const recipe = o.recipe;
      if (!o.mode && !recipe) throw new UsageError(`--mode is required (${MODES.join(', ')}) unless --recipe gives it`);
      const mode = o.mode as QuantizeMode | undefined;
      const r = await quantize(
        {
          model: file,
          ...(mode ? { mode } : {}),
          ...(recipe ? { recipe } : {}),
          output: o.output,
          ...dataParams(o),
          calibration: o.calibration,
          settings: settingsOf(o, mode),
          sqnrRows: o.sqnrRows,
          latency: latencyOf(o),
          batchSize: o.batch,
          intraOpNumThreads: o.threads,
          ...(o.saveRecipe ? { saveRecipe: o.saveRecipe } : {}),
        },
        { onProgress },
      );
      printResult(r, o.json, quantizeText);
    });
}


/** The human-readable summary (the --json document is the contract). */
export function quantizeText(r: QuantizeResult): string {
  const lines = [`Quantized ${r.model} (${r.mode}) → ${r.output}`];
  lines.push(`  size ${kb(r.size_bytes_before)} → ${kb(r.size_bytes_after)} (${fmt(r.size_bytes_after / r.size_bytes_before, 2)}×); weights ${kb(r.weight_bytes_before)} → ${kb(r.weight_bytes_after)}`);
  lines.push(`  ${r.quantized_nodes} nodes ${r.mode === 'fp16' ? 'converted' : 'quantized'}, ${r.skipped.length} skipped`);
  if (r.calibration) lines.push(`  calibration: ${r.calibration.method} on ${r.calibration.rows} rows of ${r.calibration.file}`);
  if (r.metrics_before !== undefined) {
    lines.push(`  evaluation on ${r.samples} rows of ${r.data}:`, ...metricDeltaLines(r.metrics_before, r.metrics_after));
    if (r.agreement !== undefined) lines.push(`    agreement  ${fmt(r.agreement)}`);
    lines.push(`    max |output difference| ${fmt(r.max_abs_diff)}`);
  }
  if (r.latency_before && r.latency_after) lines.push(...latencyDeltaLines(r.latency_before, r.latency_after));
  const worst = r.nodes.filter((n) => n.activation_sqnr_db !== undefined || n.weight_sqnr_db !== undefined).slice(0, 10);
  if (worst.length) {
    lines.push('  worst nodes (SQNR dB, activation / weight):');
    for (const n of worst) lines.push(`    ${n.name.padEnd(32)} ${n.op_type.padEnd(10)} ${fmt(n.activation_sqnr_db, 1).padStart(6)} / ${fmt(n.weight_sqnr_db, 1)}`);
  }
  for (const s of r.skipped.slice(0, 10)) lines.push(`  skipped ${s.node} (${s.op_type}): ${s.reason}`);
  if (r.skipped.length > 10) lines.push(`  … and ${r.skipped.length - 10} more skipped`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  lineage: ptp.lineage in the output (parent sha256 ${r.lineage.parent_sha256.slice(0, 12)}…, the recipe)`);
  if (r.recipe_file) lines.push(`  recipe saved to ${r.recipe_file}`);
  return lines.join('\n');
}
