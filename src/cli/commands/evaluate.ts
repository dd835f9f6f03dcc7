/** `ptp evaluate`, `ptp compare`, `ptp bench`: evaluation on data and latency. */
import type { Command } from 'commander';
import { benchModel, compare, evaluate, saveRun } from '../../pipeline/evaluate';
import { benchText, compareText, evaluateText } from '../evaluate-text';
import { labelOf } from '../data-options';
import { collect, intList, onProgress, positiveInt, taskOption, threadsOption } from '../options';
import { printResult, UsageError } from '../output';
import { endpointModels, endpointOptions, type EndpointFlags } from '../endpoint-options';

export function registerEvaluateCommands(program: Command): void {
  const evalOptions = (c: Command): Command =>
    c
      .requiredOption('--data <file>', 'data: CSV/TSV, NPY/NPZ, JSONL, Parquet, or an image folder')
      .option('--label <column>', 'label column (default: label/target/y)')
      .option('--no-label', 'no labels: predictions only')
      .option('--task <task>', 'auto | classification | regression', taskOption, 'auto')
      .option('--sensitive <column>', 'sensitive attribute(s) for fairness (repeatable, comma-separated)', collect, [])
      .option('--exclude <column>', 'columns never fed to the model (repeatable)', collect, [])
      .option('--positive <class>', 'positive class for binary metrics and fairness')
      .option('--batch <n>', 'batch size', positiveInt, 1024)
      .option('--bootstrap <n>', 'bootstrap resamples for fairness intervals (0 = none)', positiveInt, 200)
      .option('--seed <n>', 'random seed', positiveInt, 0)
      .option('--max-rows <n>', 'stop after this many rows', positiveInt)
      .addOption(threadsOption())
      .option('--json', 'print one JSON document')
      .addOption(endpointOptions.endpoint())
      .addOption(endpointOptions.model())
      .addOption(endpointOptions.concurrency());

  interface EvalFlags extends EndpointFlags {
    data: string;
    label?: string | boolean;
    task: 'auto' | 'classification' | 'regression';
    sensitive: string[];
    exclude: string[];
    positive?: string;
    batch: number;
    bootstrap: number;
    seed: number;
    maxRows?: number;
    threads?: number;
    json?: boolean;
  }
  const evalParams = (o: EvalFlags) => ({
    data: o.data,
    label: labelOf(o.label),
    task: o.task,
    sensitive: o.sensitive,
    excludeColumns: o.exclude,
    positiveClass: o.positive,
    batchSize: o.batch,
    bootstrap: o.bootstrap,
    seed: o.seed,
    maxRows: o.maxRows,
    intraOpNumThreads: o.threads,
    ...(o.concurrency !== undefined ? { endpointConcurrency: o.concurrency } : {}),
  });
  evalOptions(
    program
      .command('evaluate')
      .description('Evaluate a model on labelled data: metrics (scikit-learn definitions), fairness, robustness, latency.')
      .argument('[model]', 'path to a .onnx file (or NAME@VERSION / NAME@ALIAS); with --endpoint, none'),
  )
    .option('--robustness', 'also measure metrics under noise, feature dropout and per-feature corruption')
    .option('--outputs <file>', 'write per-row predictions (CSV)')
    .option('--save', 'also save the run: attached to the version for NAME@REF, else as JSON under .ptp/runs/ next to the model')
    .action(async (file: string | undefined, o: EvalFlags & { robustness?: boolean; outputs?: string; save?: boolean }) => {
      const [model] = endpointModels('evaluate', file === undefined ? [] : [file], o, { exactlyOne: true });
      if (o.save && o.endpoint) throw new UsageError('evaluate: --save keeps the run next to a model file or registry version; it does not apply to --endpoint');
      let r = await evaluate({ model: model!, ...evalParams(o), robustness: o.robustness ?? false, outputsFile: o.outputs }, { onProgress });
      if (o.save) r = { ...r, saved_to: await saveRun(r) };
      printResult(r, o.json, evaluateText);
    });

  evalOptions(
    program
      .command('compare')
      .description('Evaluate several models on the same rows: metrics side by side with deltas, agreement, max |output difference|.')
      .argument('[models...]', 'two or more .onnx files (with --endpoint, the endpoint\'s --model entries join them)'),
  ).action(async (files: string[], o: EvalFlags) => {
    const r = await compare({ models: endpointModels('compare', files, o, { exactlyOne: false }), ...evalParams(o) }, { onProgress });
    printResult(r, o.json, compareText);
  });

  program
    .command('bench')
    .description('Latency (p50/p90/p99) and throughput for batch sizes and thread counts on generated inputs.')
    .argument('<model>', 'path to a .onnx file')
    .option('--batch <sizes>', 'batch sizes', intList, [1, 8, 32])
    .option('--threads <counts>', 'intra-op thread counts (0 = default)', intList, [0])
    .option('--runs <n>', 'timed runs per configuration', positiveInt, 50)
    .option('--warmup <n>', 'warm-up runs', positiveInt, 5)
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { batch: number[]; threads: number[]; runs: number; warmup: number; json?: boolean }) => {
      const r = await benchModel({ model: file, batchSizes: o.batch, threads: o.threads, runs: o.runs, warmup: o.warmup }, { onProgress });
      printResult(r, o.json, benchText);
    });

}
