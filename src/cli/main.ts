import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { inspect, openModel, validate } from '../core';
import type { ValidateResult } from '../core/report-types';
import { checkRuntime } from '../pipeline/runtime';
import { runSample } from '../pipeline/sample';
import { benchModel, compare, evaluate, saveRun } from '../pipeline/evaluate';
import { profileModel } from '../pipeline/profile';
import { runWorker } from './worker';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USER, UsageError, errorLine, isUserError, printJson, progress } from './output';
import { inspectText, sampleText, validateText } from './text';
import { benchText, compareText, evaluateText, profileText } from './evaluate-text';

/**
 * `ptp` — the post-training pipeline on the command line. Same code as the extension; `--json` prints one
 * JSON document on stdout (progress on stderr). Exit codes: 0 ok, 2 bad input/usage, 3 internal error.
 * `ptp worker` is the process the extension forks for onnxruntime work (IPC messages, see src/protocol/worker.ts).
 */

function intList(v: string): number[] {
  const parts = v.split(',').map((x) => Number(x.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidArgumentError('expected a comma-separated list of integers, e.g. 1,8,32');
  return parts;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

function taskOption(v: string): 'auto' | 'classification' | 'regression' {
  if (v === 'auto' || v === 'classification' || v === 'regression') return v;
  throw new InvalidArgumentError('expected auto, classification or regression');
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

interface RuntimeFlags {
  threads?: number;
}

async function withModel<T>(file: string, fn: (m: Awaited<ReturnType<typeof openModel>>) => Promise<T>): Promise<T> {
  const model = await openModel(file);
  try {
    return await fn(model);
  } finally {
    await model.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('ptp')
    .description('Post-training pipeline for ONNX models: inspect, validate, run, evaluate, optimize, package, deploy.')
    .version(process.env.PTP_VERSION ?? '0.1.0')
    .showHelpAfterError('(run ptp --help for usage)')
    .exitOverride();

  program
    .command('inspect')
    .description('Model overview: IR/opsets, producer, inputs/outputs, node and parameter counts, operators.')
    .argument('<model>', 'path to a .onnx file')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = await withModel(file, async (m) => inspect(m));
      if (o.json) printJson(r);
      else console.log(inspectText(file, r));
    });

  program
    .command('validate')
    .description('Structural checks plus whether onnxruntime can create a session. Exit code 2 when the model is invalid.')
    .argument('<model>', 'path to a .onnx file')
    .option('--json', 'print one JSON document')
    .option('--no-runtime', 'skip the onnxruntime session check')
    .option('--threads <n>', 'onnxruntime intra-op threads (0 = default)', positiveInt)
    .action(async (file: string, o: { json?: boolean; runtime: boolean } & RuntimeFlags) => {
      let result: ValidateResult = await withModel(file, (m) => validate(m));
      if (o.runtime) {
        progress('checking that onnxruntime can load the model…');
        const rt = await checkRuntime({ model: file, intraOpNumThreads: o.threads });
        result = {
          ...result,
          valid: result.valid && rt.ok,
          errors: result.errors + (rt.ok ? 0 : 1),
          runtime: { ok: rt.ok, message: rt.message, ort_version: rt.ortVersion },
        };
      }
      if (o.json) printJson(result);
      else console.log(validateText(file, result));
      if (!result.valid) {
        process.stderr.write(`ptp: ${file} is invalid (${result.errors} errors)\n`);
        process.exitCode = EXIT_USER;
      }
    });

  program
    .command('sample')
    .description('Run the model on generated sample inputs and summarize the outputs.')
    .argument('<model>', 'path to a .onnx file')
    .option('--json', 'print one JSON document')
    .option('--dim <n>', 'value for symbolic dimensions', positiveInt, 1)
    .option('--seed <n>', 'random seed', positiveInt, 0)
    .option('--repeat <n>', 'extra timed runs', positiveInt, 0)
    .option('--threads <n>', 'onnxruntime intra-op threads (0 = default)', positiveInt)
    .action(async (file: string, o: { json?: boolean; dim: number; seed: number; repeat: number } & RuntimeFlags) => {
      const r = await runSample(
        { model: file, symbolicDimValue: o.dim, seed: o.seed, repeat: o.repeat, intraOpNumThreads: o.threads },
        { onProgress: (p) => p.message && progress(p.message) },
      );
      if (o.json) printJson(r);
      else console.log(sampleText(r));
    });

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
      .option('--threads <n>', 'onnxruntime intra-op threads (0 = default)', positiveInt)
      .option('--json', 'print one JSON document');

  interface EvalFlags {
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
    label: o.label === false ? null : typeof o.label === 'string' ? o.label : undefined,
    task: o.task,
    sensitive: o.sensitive,
    exclude: o.exclude,
    positiveClass: o.positive,
    batchSize: o.batch,
    bootstrap: o.bootstrap,
    seed: o.seed,
    maxRows: o.maxRows,
    intraOpNumThreads: o.threads,
  });
  const onProgress = (p: { message?: string }): void => {
    if (p.message) progress(p.message);
  };

  evalOptions(
    program
      .command('evaluate')
      .description('Evaluate a model on labelled data: metrics (scikit-learn definitions), fairness, robustness, latency.')
      .argument('<model>', 'path to a .onnx file'),
  )
    .option('--robustness', 'also measure metrics under noise, feature dropout and per-feature corruption')
    .option('--outputs <file>', 'write per-row predictions (CSV)')
    .option('--save', 'also save the run as JSON under .ptp/runs/ next to the model')
    .action(async (file: string, o: EvalFlags & { robustness?: boolean; outputs?: string; save?: boolean }) => {
      let r = await evaluate({ model: file, ...evalParams(o), robustness: o.robustness ?? false, outputsFile: o.outputs }, { onProgress });
      if (o.save) r = { ...r, saved_to: await saveRun(r) };
      if (o.json) printJson(r);
      else console.log(evaluateText(r));
    });

  evalOptions(
    program
      .command('compare')
      .description('Evaluate several models on the same rows: metrics side by side with deltas, agreement, max |output difference|.')
      .argument('<models...>', 'two or more .onnx files'),
  ).action(async (files: string[], o: EvalFlags) => {
    const r = await compare({ models: files, ...evalParams(o) }, { onProgress });
    if (o.json) printJson(r);
    else console.log(compareText(r));
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
      if (o.json) printJson(r);
      else console.log(benchText(r));
    });

  program
    .command('profile')
    .description("Per-node time from onnxruntime's profiler on generated inputs (median over runs); writes the trace next to the model.")
    .argument('<model>', 'path to a .onnx file')
    .option('--runs <n>', 'timed runs after one warm-up', positiveInt, 10)
    .option('--dim <n>', 'value for symbolic dimensions', positiveInt, 1)
    .option('--optimization <level>', 'onnxruntime graph optimization while profiling: disabled|basic|extended|all', 'disabled')
    .option('-o, --output <file>', 'trace file (default <model>.profile.json)')
    .option('--threads <n>', 'onnxruntime intra-op threads (0 = default)', positiveInt)
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { runs: number; dim: number; optimization: string; output?: string; threads?: number; json?: boolean }) => {
      if (!['disabled', 'basic', 'extended', 'all'].includes(o.optimization)) throw new UsageError(`--optimization must be disabled, basic, extended or all`);
      const r = await profileModel(
        { model: file, runs: o.runs, symbolicDimValue: o.dim, graphOptimizationLevel: o.optimization as 'disabled', outputFile: o.output, intraOpNumThreads: o.threads },
        { onProgress },
      );
      if (o.json) printJson(r);
      else console.log(profileText(r));
    });

  program
    .command('worker', { hidden: true })
    .description('internal: serve onnxruntime work to the VS Code extension over IPC')
    .action(async () => {
      await runWorker();
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_USER;
    }
    process.stderr.write(`ptp: ${errorLine(e)}\n`);
    if (isUserError(e)) return EXIT_USER;
    if (process.env.PTP_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return EXIT_INTERNAL;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      // The worker keeps running until its IPC channel closes; everything else exits with its code.
      if (process.argv[2] !== 'worker') process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
