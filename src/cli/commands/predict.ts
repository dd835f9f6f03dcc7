/** `ptp predict`: batch inference over a data file into a predictions file. */
import type { Command } from 'commander';
import { predict } from '../../pipeline/predict';
import type { PredictResult } from '../../protocol/predict';
import { labelOf } from '../data-options';
import { collect, onProgress, positiveInt, taskOption, threadsOption } from '../options';
import { printResult } from '../output';
import { endpointModels, endpointOptions, type EndpointFlags } from '../endpoint-options';

interface PredictFlags extends EndpointFlags {
  data: string;
  output: string;
  label?: string | boolean;
  task: 'auto' | 'classification' | 'regression';
  sensitive: string[];
  exclude: string[];
  idColumn?: string;
  batch: number;
  maxRows?: number;
  threads?: number;
  json?: boolean;
}

function predictText(r: PredictResult): string {
  return [`${r.rows} rows → ${r.output} (${r.format}, ${r.task}) in ${r.seconds} s`, `columns: ${r.columns.join(', ')}`, ...r.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Batch inference: the model over every row of a data file → id, prediction and scores per row (CSV, Parquet, JSON Lines or NPY).')
    .argument('[model]', 'path to a .onnx file (or NAME@VERSION / NAME@ALIAS); with --endpoint, none')
    .requiredOption('--data <file>', 'data: CSV/TSV, NPY/NPZ, JSONL, Parquet, or an image folder')
    .requiredOption('-o, --output <file>', 'predictions file: .csv, .parquet, .jsonl or .npy (the score matrix)')
    .option('--id-column <column>', 'column whose value is each row\'s id (default: the 0-based row index)')
    .option('--label <column>', 'label column, set aside (default: label/target/y when present)')
    .option('--no-label', 'no label column')
    .option('--task <task>', 'auto | classification | regression', taskOption, 'auto')
    .option('--sensitive <column>', 'columns never fed to the model (repeatable, comma-separated)', collect, [])
    .option('--exclude <column>', 'columns never fed to the model (repeatable)', collect, [])
    .option('--batch <n>', 'batch size', positiveInt, 1024)
    .option('--max-rows <n>', 'stop after this many rows', positiveInt)
    .addOption(threadsOption())
    .option('--json', 'print one JSON document (rows, output, seconds, model)')
    .addOption(endpointOptions.endpoint())
    .addOption(endpointOptions.model())
    .addOption(endpointOptions.concurrency())
    .action(async (file: string | undefined, o: PredictFlags) => {
      const [model] = endpointModels('predict', file === undefined ? [] : [file], o, { exactlyOne: true });
      const r = await predict(
        {
          model: model!,
          ...(o.concurrency !== undefined ? { endpointConcurrency: o.concurrency } : {}),
          data: o.data,
          output: o.output,
          label: labelOf(o.label),
          task: o.task,
          sensitive: o.sensitive,
          excludeColumns: o.exclude,
          ...(o.idColumn !== undefined ? { idColumn: o.idColumn } : {}),
          batchSize: o.batch,
          ...(o.maxRows !== undefined ? { maxRows: o.maxRows } : {}),
          intraOpNumThreads: o.threads,
        },
        { onProgress },
      );
      printResult(r, o.json, predictText);
    });
}
