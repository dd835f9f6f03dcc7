/** `ptp distill`: train a smaller student ONNX model to mimic a teacher on the user's data, and compare the two. */
import { InvalidArgumentError, type Command } from 'commander';
import { DISTILL_DEFAULTS, distill, parseStudentSpec } from '../../pipeline/distill';
import type { DistillResult, StudentSpec } from '../../protocol/distill';
import { fmt, kb, latencyDeltaLines, metricDeltaLines } from '../before-after-text';
import { labelOf } from '../data-options';
import { addLatencyOptions, latencyOf, type LatencyFlags } from '../latency-options';
import { collect, numberArg, threadsOption } from '../options';
import { progress, printResult } from '../output';

interface DistillFlags extends LatencyFlags {
  data: string;
  label?: string | boolean;
  excludeColumns: string[];
  student?: StudentSpec | 'default';
  activation?: 'relu' | 'tanh';
  temperature?: number;
  alpha?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  valSplit?: number;
  patience?: number;
  seed?: number;
  evalData?: string;
  threads?: number;
  output?: string;
  json?: boolean;
}

function intArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** `--student`: `mlp`, `mlp:64,32`, `narrow:0.5`, `model:pruned.onnx[,keep-zeros]` (pipeline/distill's parser; its message as commander's usage error). */
export function studentArg(v: string): StudentSpec | 'default' {
  try {
    return parseStudentSpec(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export function registerDistillCommand(program: Command): void {
  const command = program
    .command('distill')
    .description(
      'Train a smaller student model to mimic a teacher ONNX model on your data (knowledge distillation) and write it as ONNX ' +
        "with the teacher's input and output names; report teacher vs student metrics, size and latency. The teacher is never modified.",
    )
    .argument('<teacher>', 'path to the teacher .onnx file')
    .requiredOption('--data <file>', 'training data (CSV/TSV, NPY/NPZ, JSONL, Parquet, image folder)')
    .option('--label <column>', 'label column of the data (default: label/target/y when present)')
    .option('--no-label', 'no labels: learn from the teacher alone (alpha = 1)')
    .option('--exclude-columns <column>', 'data columns never fed to the model (repeatable, comma-separated)', collect, [])
    .option(
      '--student <spec>',
      'mlp:<widths> (e.g. mlp:64,32), narrow:<width> (e.g. narrow:0.5), or model:<file.onnx>[,keep-zeros] (train that model, e.g. a pruned copy ' +
        "of the teacher with the teacher's inputs and outputs; keep-zeros keeps its zero weights at 0); default: an MLP with one hidden layer",
      studentArg,
    )
    .option('--activation <fn>', 'MLP activation: relu (default) | tanh', (v: string) => {
      if (v !== 'relu' && v !== 'tanh') throw new InvalidArgumentError('expected relu or tanh');
      return v;
    })
    .option('--temperature <t>', `softmax temperature of the soft targets (default ${DISTILL_DEFAULTS.temperature})`, numberArg)
    .option('--alpha <a>', `weight of the teacher term against the labels, in [0, 1] (default ${DISTILL_DEFAULTS.alpha})`, numberArg)
    .option('--epochs <n>', `most epochs (default ${DISTILL_DEFAULTS.epochs})`, intArg)
    .option('--batch-size <n>', `mini-batch rows (default ${DISTILL_DEFAULTS.batchSize})`, intArg)
    .option('--lr <rate>', `Adam learning rate (default ${DISTILL_DEFAULTS.learningRate})`, numberArg)
    .option('--val-split <f>', `fraction of rows held out for validation and early stopping (default ${DISTILL_DEFAULTS.validationSplit})`, numberArg)
    .option('--patience <n>', `epochs without improvement before stopping (default ${DISTILL_DEFAULTS.patience})`, intArg)
    .option('--seed <n>', `seed of initialisation, split and shuffling (default ${DISTILL_DEFAULTS.seed})`, intArg)
    .option('--eval-data <file>', 'test data for the teacher vs student report (default: the validation rows)');
  addLatencyOptions(command)
    .addOption(threadsOption())
    .option('-o, --output <file>', 'output file (default <teacher>.student.onnx next to the teacher)')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: DistillFlags) => {
      let student = o.student === 'default' ? undefined : o.student;
      if (o.activation) {
        if (student && student.kind !== 'mlp') throw new InvalidArgumentError('--activation applies to mlp students');
        if (!student) throw new InvalidArgumentError('--activation needs --student mlp:<widths>');
        student = { ...student, activation: o.activation };
      }
      const r = await distill(
        {
          teacher: file,
          data: o.data,
          label: labelOf(o.label),
          excludeColumns: o.excludeColumns,
          ...(student ? { student } : {}),
          temperature: o.temperature,
          alpha: o.alpha,
          epochs: o.epochs,
          batchSize: o.batchSize,
          learningRate: o.lr,
          validationSplit: o.valSplit,
          patience: o.patience,
          seed: o.seed,
          evalData: o.evalData,
          output: o.output,
          latency: latencyOf(o),
          intraOpNumThreads: o.threads,
        },
        { onProgress: throttledProgress() },
      );
      printResult(r, o.json, distillText);
    });
}

/** Progress to stderr; epoch lines at most about once a second (the first and every tenth always). */
function throttledProgress(): (p: { message?: string }) => void {
  let last = 0;
  return (p) => {
    if (!p.message) return;
    const m = /^Epoch (\d+)\//.exec(p.message);
    const now = Date.now();
    if (m && Number(m[1]) !== 1 && Number(m[1]) % 10 !== 0 && now - last < 1000) return;
    last = now;
    progress(p.message);
  };
}


/** The human-readable summary (the --json document is the contract). */
export function distillText(r: DistillResult): string {
  const lines = [`Distilled ${r.teacher} → ${r.output}`];
  lines.push(`  student: ${r.architecture} (${r.task})`);
  lines.push(`  parameters ${r.params_teacher} → ${r.params_student}; size ${kb(r.size_bytes_teacher)} → ${kb(r.size_bytes_student)}`);
  lines.push(
    `  trained ${r.epochs_run} epochs on ${r.train_rows} rows (validation ${r.validation_rows}); best epoch ${r.best_epoch}${r.stopped_early ? ', stopped early' : ''}; ` +
      `T ${r.settings.temperature}, alpha ${r.settings.alpha}, lr ${r.settings.learningRate}, seed ${r.settings.seed}`,
  );
  lines.push(`  teacher vs student on ${r.eval_data} (${r.samples} rows):`);
  if (r.metrics_teacher && r.metrics_student) lines.push(...metricDeltaLines(r.metrics_teacher, r.metrics_student));
  if (r.agreement !== undefined) lines.push(`    agreement  ${fmt(r.agreement)}`);
  lines.push(`    max |output difference| ${fmt(r.max_abs_diff)}`);
  if (r.latency_teacher && r.latency_student) lines.push(...latencyDeltaLines(r.latency_teacher, r.latency_student));
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
