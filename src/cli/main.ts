import { Command, CommanderError } from 'commander';
import { registerCardCommand } from './commands/card';
import { registerDistillCommand } from './commands/distill';
import { registerDriftCommand } from './commands/drift';
import { registerMonitorCommand } from './commands/monitor';
import { registerEvaluateCommands } from './commands/evaluate';
import { registerExplainCommand } from './commands/explain';
import { registerExportCommand } from './commands/export';
import { registerModelCommands } from './commands/model';
import { registerProfileCommand } from './commands/profile';
import { registerQuantizeCommand } from './commands/quantize';
import { registerOptimizeCommand } from './commands/optimize';
import { registerPredictCommand } from './commands/predict';
import { registerPipelineCommands } from './commands/pipeline';
import { registerPruneCommand } from './commands/prune';
import { registerRegistryCommands } from './commands/registry';
import { registerServeCommand } from './commands/serve';
import { installModelRefs } from './model-refs';
import { runWorker } from './worker';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USER, errorJson, errorLine, isUserError } from './output';

/**
 * `ptp` — the post-training pipeline on the command line. Same code as the extension; `--json` prints one
 * JSON document on stdout (progress on stderr). Exit codes: 0 ok, 2 bad input/usage, 3 internal error (`ptp pipeline
 * run` also 1: a gate failed or an approval was rejected, 4: waiting for an approval; see output.ts).
 * `ptp worker` is the process the extension forks for onnxruntime work (IPC messages, see src/protocol/worker.ts).
 * Each group of commands registers itself from src/cli/commands/.
 */

export function buildProgram(): Command {
  const program = new Command('ptp')
    .description('Post-training pipeline for ONNX models: inspect, validate, run, evaluate, optimize, package, deploy.')
    .version(process.env.PTP_VERSION ?? '0.1.0')
    .showHelpAfterError('(run ptp --help for usage)')
    .exitOverride();

  installModelRefs(program);
  registerModelCommands(program);
  registerEvaluateCommands(program);
  registerPredictCommand(program);
  registerProfileCommand(program);
  registerQuantizeCommand(program);
  registerOptimizeCommand(program);
  registerExplainCommand(program);
  registerDistillCommand(program);
  registerPruneCommand(program);
  registerRegistryCommands(program);
  registerExportCommand(program);
  registerCardCommand(program);
  registerDriftCommand(program);
  registerMonitorCommand(program);
  registerServeCommand(program);
  registerPipelineCommands(program);

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
    // With --json, stdout stays empty on failure; stderr also gets the error as one JSON line for scripts.
    if (argv.includes('--json')) process.stderr.write(`${JSON.stringify({ error: errorJson(e) })}\n`);
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
