/** `ptp inspect`, `ptp validate`, `ptp sample`: the model itself. */
import type { Command } from 'commander';
import { inspect, validate } from '../../core';
import type { ValidateResult } from '../../core/report-types';
import { checkRuntime } from '../../pipeline/runtime';
import { runSample } from '../../pipeline/sample';
import { positiveInt, threadsOption, withModel, type RuntimeFlags } from '../options';
import { EXIT_USER, progress, printResult } from '../output';
import { inspectText, sampleText, validateText } from '../text';

export function registerModelCommands(program: Command): void {
  program
    .command('inspect')
    .description('Model overview: IR/opsets, producer, inputs/outputs, node and parameter counts, operators.')
    .argument('<model>', 'path to a .onnx file')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = await withModel(file, async (m) => inspect(m));
      printResult(r, o.json, (x) => inspectText(file, x));
    });

  program
    .command('validate')
    .description('Structural checks plus whether onnxruntime can create a session. Exit code 2 when the model is invalid.')
    .argument('<model>', 'path to a .onnx file')
    .option('--json', 'print one JSON document')
    .option('--no-runtime', 'skip the onnxruntime session check')
    .addOption(threadsOption())
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
      printResult(result, o.json, (x) => validateText(file, x));
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
    .addOption(threadsOption())
    .action(async (file: string, o: { json?: boolean; dim: number; seed: number; repeat: number } & RuntimeFlags) => {
      const r = await runSample(
        { model: file, symbolicDimValue: o.dim, seed: o.seed, repeat: o.repeat, intraOpNumThreads: o.threads },
        { onProgress: (p) => p.message && progress(p.message) },
      );
      printResult(r, o.json, sampleText);
    });

}
