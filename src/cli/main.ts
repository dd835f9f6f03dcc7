import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { inspect, openModel, validate } from '../core';
import type { ValidateResult } from '../core/report-types';
import { checkRuntime } from '../pipeline/runtime';
import { runSample } from '../pipeline/sample';
import { runWorker } from './worker';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USER, errorLine, isUserError, printJson, progress } from './output';
import { inspectText, sampleText, validateText } from './text';

/**
 * `ptp` — the post-training pipeline on the command line. Same code as the extension; `--json` prints one
 * JSON document on stdout (progress on stderr). Exit codes: 0 ok, 2 bad input/usage, 3 internal error.
 * `ptp worker` is the process the extension forks for onnxruntime work (IPC messages, see src/protocol/worker.ts).
 */

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
