/** `ptp prune`: a pruned copy of a model (magnitude, N:M, structured) with before/after report, or a per-layer sensitivity sweep. */
import { InvalidArgumentError, type Command } from 'commander';
import { FINETUNE_DEFAULTS, METHODS, prune, pruneSensitivity } from '../../pipeline/prune';
import type { ChannelCriterion, PruneMethod, PruneResult, PruneScope, PruneSensitivityResult } from '../../protocol/prune';
import { fmt, kb, latencyDeltaLines, metricDeltaLines } from '../before-after-text';
import { addDataOptions, dataParams, labelOf, type DataFlags } from '../data-options';
import { addLatencyOptions, latencyOf, type LatencyFlags } from '../latency-options';
import { collect, numberArg, oneOf, onProgress, positiveInt, threadsOption } from '../options';
import { UsageError, printResult } from '../output';

interface PruneFlags extends DataFlags, LatencyFlags {
  method?: PruneMethod;
  sparsity?: number;
  scope?: PruneScope;
  pattern?: { n: number; m: number };
  criterion?: ChannelCriterion;
  layers?: string[];
  exclude?: string[];
  roundTo?: number;
  output?: string;
  sensitivity?: boolean;
  sparsities?: number[];
  maxRows?: number;
  batch?: number;
  threads?: number;
  json?: boolean;
  finetune?: string;
  finetuneEpochs?: number;
  finetuneLabel?: string;
}

function numberList(v: string): number[] {
  const parts = v.split(',').map((x) => x.trim());
  if (parts.some((p) => p === '' || !Number.isFinite(Number(p)))) throw new InvalidArgumentError('expected comma-separated numbers, e.g. 0.1,0.3,0.5');
  return parts.map(Number);
}

function pattern(v: string): { n: number; m: number } {
  const m = /^(\d+):(\d+)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected N:M, e.g. 2:4');
  return { n: Number(m[1]), m: Number(m[2]) };
}

export function registerPruneCommand(program: Command): void {
  const command = program
    .command('prune')
    .description(
      'Write a pruned copy of a model (never the model itself): unstructured magnitude (per layer or global), N:M, or structured ' +
        '(whole channels removed, tensors shrink); report sparsity, parameters, size, latency and, with --data, both models evaluated. ' +
        'With --finetune: train the pruned model back toward the source model first. With --sensitivity: prune each layer alone at several sparsities and report the metric per layer instead.',
    )
    .argument('<model>', 'path to a .onnx file')
    .option('--method <method>', `${METHODS.join(' | ')}`, oneOf(METHODS, 'a method'))
    .option('--sparsity <s>', 'fraction in (0, 1): of the weights set to 0 (magnitude, default 0.5) or of the channels removed (structured, default 0.25)', numberArg)
    .option('--scope <scope>', 'magnitude: layer (each layer reaches the sparsity) | global (one threshold over all weights)', oneOf(['layer', 'global'] as const, 'a scope'))
    .option('--pattern <n:m>', 'nm: keep N of every M weights (default 2:4)', pattern)
    .option('--criterion <c>', 'structured: channel importance l1 | l2 (default l1)', oneOf(['l1', 'l2'] as const, 'a criterion'))
    .option('--layers <nodes>', 'node names to prune (default all prunable; comma-separated, repeatable)', collect)
    .option('--exclude <nodes>', 'node names left alone (comma-separated, repeatable)', collect)
    .option('--round-to <n>', 'structured: round the channels kept up to a multiple of n (default 1)', positiveInt)
    .option('-o, --output <file>', 'output file (default <model>.pruned.onnx next to the model)');
  addDataOptions(command, {
    data: 'evaluation data (CSV/TSV, NPY/NPZ, JSONL, Parquet, image folder): both models are evaluated on it',
    sensitive: 'columns never fed to the model (repeatable, comma-separated)',
  });
  addLatencyOptions(command)
    .option('--finetune <file>', 'fine-tune the pruned model on this training data (distillation from the source model; zero weights stay 0), then evaluate it on --data')
    .option('--finetune-epochs <n>', `most fine-tuning epochs (default ${FINETUNE_DEFAULTS.epochs})`, positiveInt)
    .option('--finetune-label <column>', 'label column of the --finetune data (default: label/target/y when present)')
    .option('--sensitivity', 'sensitivity analysis instead of pruning: needs --data; --method magnitude (default) or structured')
    .option('--sparsities <list>', 'sensitivity: sparsities tried (default 0.1,0.3,0.5,0.7,0.9)', numberList)
    .option('--max-rows <n>', 'sensitivity: data rows used at most (default 2000)', positiveInt)
    .option('--batch <n>', 'evaluation batch size', positiveInt)
    .addOption(threadsOption())
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: PruneFlags) => {
      if (o.sensitivity) {
        if (!o.data) throw new UsageError('--sensitivity needs --data FILE to evaluate the pruned layers on');
        if (o.method === 'nm') throw new UsageError('--sensitivity runs --method magnitude or structured');
        const r = await pruneSensitivity(
          {
            model: file,
            method: o.method === 'structured' ? 'structured' : 'magnitude',
            ...(o.criterion ? { criterion: o.criterion } : {}),
            ...(o.sparsities ? { sparsities: o.sparsities } : {}),
            ...(o.layers ? { layers: o.layers } : {}),
            ...(o.exclude ? { excludeNodes: o.exclude } : {}),
            data: o.data,
            label: labelOf(o.label),
            excludeColumns: o.excludeColumns,
            maxRows: o.maxRows,
            batchSize: o.batch,
            intraOpNumThreads: o.threads,
          },
          { onProgress },
        );
        printResult(r, o.json, sensitivityText);
        return;
      }
      if (!o.method) throw new UsageError(`--method is required (${METHODS.join(', ')})`);
      if (!o.finetune && (o.finetuneEpochs !== undefined || o.finetuneLabel !== undefined)) throw new UsageError('--finetune-epochs and --finetune-label need --finetune FILE');
      const r = await prune(
        {
          model: file,
          method: o.method,
          ...(o.sparsity !== undefined ? { sparsity: o.sparsity } : {}),
          ...(o.scope ? { scope: o.scope } : {}),
          ...(o.pattern ? { n: o.pattern.n, m: o.pattern.m } : {}),
          ...(o.criterion ? { criterion: o.criterion } : {}),
          ...(o.layers ? { layers: o.layers } : {}),
          ...(o.exclude ? { excludeNodes: o.exclude } : {}),
          ...(o.roundTo !== undefined ? { roundTo: o.roundTo } : {}),
          output: o.output,
          ...dataParams(o),
          latency: latencyOf(o),
          batchSize: o.batch,
          intraOpNumThreads: o.threads,
          ...(o.finetune
            ? {
                finetune: {
                  data: o.finetune,
                  ...(o.finetuneEpochs !== undefined ? { epochs: o.finetuneEpochs } : {}),
                  ...(o.finetuneLabel !== undefined ? { label: o.finetuneLabel } : {}),
                },
              }
            : {}),
        },
        { onProgress },
      );
      printResult(r, o.json, pruneText);
    });
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** The human-readable summary of a pruning run (the --json document is the contract). */
export function pruneText(r: PruneResult): string {
  const lines = [`Pruned ${r.model} (${r.method}) → ${r.output}`];
  lines.push(`  weight sparsity ${pct(r.achieved_weight_sparsity)}; parameters ${r.params_before} → ${r.params_after} (${fmt(r.params_after / Math.max(r.params_before, 1), 2)}×)`);
  lines.push(`  size ${kb(r.size_bytes_before)} → ${kb(r.size_bytes_after)} (${fmt(r.size_bytes_after / Math.max(r.size_bytes_before, 1), 2)}×)`);
  if (r.compressed_bytes_before !== undefined && r.compressed_bytes_after !== undefined) {
    lines.push(`  gzip size ${kb(r.compressed_bytes_before)} → ${kb(r.compressed_bytes_after)} (${fmt(r.compressed_bytes_after / Math.max(r.compressed_bytes_before, 1), 2)}×)`);
  }
  if (r.finetune) {
    const f = r.finetune;
    const best = f.history[f.best_epoch - 1];
    lines.push(
      `  fine-tuned ${f.epochs_run} epochs on ${f.train_rows} rows of ${f.data} (validation ${f.validation_rows}); best epoch ${f.best_epoch}` +
        `${f.stopped_early ? ', stopped early' : ''}${best?.val_metric != null ? `, validation ${fmt(best.val_metric)}` : ''}; ${(f.ms / 1000).toFixed(1)} s`,
    );
  }
  if (r.metrics_before !== undefined) {
    lines.push(`  evaluation on ${r.samples} rows of ${r.data}:`, ...metricDeltaLines(r.metrics_before, r.metrics_after));
    if (r.agreement !== undefined) lines.push(`    agreement  ${fmt(r.agreement)}`);
    if (r.max_abs_diff !== undefined) lines.push(`    max |output difference| ${fmt(r.max_abs_diff)}`);
  }
  if (r.latency_before && r.latency_after) lines.push(...latencyDeltaLines(r.latency_before, r.latency_after));
  if (r.layers.length) {
    lines.push('  layers:');
    for (const l of r.layers) {
      const ch = l.channels_before !== undefined ? ` channels ${l.channels_before} → ${l.channels_after ?? l.channels_before}` : '';
      lines.push(`    ${l.name.padEnd(28)} ${l.op_type.padEnd(8)} ${l.status.padEnd(8)} sparsity ${pct(l.sparsity).padStart(6)}  params ${l.params_before} → ${l.params_after}${ch}`);
    }
  }
  for (const s of r.skipped.slice(0, 10)) lines.push(`  skipped ${s.node} (${s.op_type}): ${s.reason}`);
  if (r.skipped.length > 10) lines.push(`  … and ${r.skipped.length - 10} more skipped`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** The human-readable sensitivity table: one row per layer, one column per sparsity. */
export function sensitivityText(r: PruneSensitivityResult): string {
  const lines = [`Sensitivity of ${r.model} (${r.method}) on ${r.samples} rows of ${r.data}: ${r.metric}, baseline ${fmt(r.baseline)}`];
  const sparsities = r.layers[0]?.points.map((p) => p.sparsity) ?? [];
  lines.push(`  ${'layer'.padEnd(28)} ${'params'.padStart(8)}  ${sparsities.map((s) => pct(s).padStart(7)).join(' ')}`);
  for (const l of r.layers) {
    lines.push(`  ${l.name.padEnd(28)} ${String(l.params).padStart(8)}  ${l.points.map((p) => fmt(p.value).padStart(7)).join(' ')}${l.same_as ? `  (pruned with ${l.same_as})` : ''}`);
  }
  for (const s of r.skipped.slice(0, 10)) lines.push(`  skipped ${s.node} (${s.op_type}): ${s.reason}`);
  return lines.join('\n');
}
