/** `ptp profile`: per-node time from onnxruntime's profiler. */
import type { Command } from 'commander';
import { profileModel } from '../../pipeline/profile';
import { profileText } from '../evaluate-text';
import { onProgress, positiveInt, threadsOption } from '../options';
import { UsageError, printResult } from '../output';

export function registerProfileCommand(program: Command): void {
  program
    .command('profile')
    .description("Per-node time from onnxruntime's profiler on generated inputs (median over runs); writes the trace next to the model.")
    .argument('<model>', 'path to a .onnx file')
    .option('--runs <n>', 'timed runs after one warm-up', positiveInt, 10)
    .option('--dim <n>', 'value for symbolic dimensions', positiveInt, 1)
    .option('--optimization <level>', 'onnxruntime graph optimization while profiling: disabled|basic|extended|all', 'disabled')
    .option('-o, --output <file>', 'trace file (default <model>.profile.json)')
    .addOption(threadsOption())
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { runs: number; dim: number; optimization: string; output?: string; threads?: number; json?: boolean }) => {
      if (!['disabled', 'basic', 'extended', 'all'].includes(o.optimization)) throw new UsageError(`--optimization must be disabled, basic, extended or all`);
      const r = await profileModel(
        { model: file, runs: o.runs, symbolicDimValue: o.dim, graphOptimizationLevel: o.optimization as 'disabled', outputFile: o.output, intraOpNumThreads: o.threads },
        { onProgress },
      );
      printResult(r, o.json, profileText);
    });

}
