/**
 * `ptp pipeline run|validate|approve FILE`: the pipeline as code (src/pipeline/pipeline). `run` exits 0 when every
 * stage passed or was cached, 1 when a gate failed or an approval was rejected, 4 when it waits for an approval;
 * a bad pipeline file is exit 2 with `FILE:LINE:COL: …` and nothing run. The registry is the file's `registry:`,
 * else the global --registry / $PTP_REGISTRY, else `.ptp/registry` next to the file.
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { approvePipeline, readPipeline, runPipeline } from '../../pipeline/pipeline';
import { UNAVAILABLE_STAGES, type PipelineRunResult, type PipelineValidation, type StageResult } from '../../protocol/pipeline';
import { collect, onProgress } from '../options';
import { EXIT_AWAITING_APPROVAL, EXIT_FAILED, printResult } from '../output';

const registryOption = (cmd: Command): { registry?: string } => {
  const r = (cmd.optsWithGlobals() as { registry?: string }).registry ?? process.env.PTP_REGISTRY;
  return r ? { registry: r } : {};
};

const STATUS_MARK: Record<StageResult['status'], string> = { passed: '✔', cached: '↺', failed: '✘', skipped: '·', 'awaiting-approval': '⏸' };

function runText(r: PipelineRunResult): string {
  const lines = [`Pipeline ${r.name}: ${r.status} (run ${r.run_id}, ${r.seconds.toFixed(1)} s)`];
  for (const s of r.stages) {
    lines.push(`  ${STATUS_MARK[s.status]} ${s.id.padEnd(16)} ${s.run.padEnd(12)} ${s.status.padEnd(17)} ${s.seconds.toFixed(2).padStart(7)} s${s.message ? `  ${s.message}` : ''}`);
    for (const c of s.checks ?? []) lines.push(`      ${c.passed ? '✔' : '✘'} ${c.expr}   (${c.error ?? `left ${JSON.stringify(c.left)}, right ${JSON.stringify(c.right)}`})`);
  }
  lines.push(`  report: ${r.report.html}`, `          ${r.report.markdown}`, `          ${r.report.junit}`);
  return lines.join('\n');
}

/** y/n on the terminal. */
async function askOnTerminal(question: string): Promise<{ approved: boolean; comment?: string }> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    return { approved: answer === 'y' || answer === 'yes' };
  } finally {
    rl.close();
  }
}

export function registerPipelineCommands(program: Command): void {
  const pipeline = program.command('pipeline').description('The pipeline as code: run, validate and approve a ptp.pipeline.yaml.');

  pipeline
    .command('run')
    .description('Run the stages of a pipeline file in order (unchanged stages are cached); write report.html, summary.md, junit.xml and run.json into its run folder.')
    .argument('<file>', 'the pipeline file (ptp.pipeline.yaml)')
    .option('--approve <ids>', 'approve these approve stages up front (comma-separated), or all', collect)
    .option('--force', 're-run every stage (ignore the cache)')
    .option('--only <ids>', 'run only these stages (comma-separated); the others reuse their cached outputs', collect)
    .option('--report <dir>', 'also copy the reports into this folder')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { approve?: string[]; force?: boolean; only?: string[]; report?: string; json?: boolean }, cmd: Command) => {
      const spec = await readPipeline(file, registryOption(cmd));
      const approve = o.approve?.includes('all') ? ('all' as const) : o.approve;
      const r = await runPipeline(
        spec,
        {
          ...(approve ? { approve } : {}),
          ...(o.force ? { force: true } : {}),
          ...(o.only ? { only: o.only } : {}),
          ...(o.report ? { reportDir: o.report } : {}),
          ...(process.stdin.isTTY && process.stderr.isTTY ? { ask: askOnTerminal } : {}),
        },
        { onProgress },
      );
      printResult(r, o.json, runText);
      if (r.status === 'failed') process.exitCode = EXIT_FAILED;
      else if (r.status === 'awaiting-approval') process.exitCode = EXIT_AWAITING_APPROVAL;
    });

  pipeline
    .command('validate')
    .description('Check a pipeline file (schema, stage options, expressions, files) without running anything.')
    .argument('<file>', 'the pipeline file (ptp.pipeline.yaml)')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { json?: boolean }, cmd: Command) => {
      const spec = await readPipeline(file, registryOption(cmd));
      const v: PipelineValidation = { file: spec.file, name: spec.name, valid: true, stages: spec.stages.map((s) => ({ id: s.id, run: s.run, available: !UNAVAILABLE_STAGES.includes(s.run) })) };
      printResult(v, o.json, (x) =>
        [`${path.relative(process.cwd(), x.file) || x.file}: valid pipeline ${x.name}, ${x.stages.length} stages`, ...x.stages.map((s) => `  ${s.id.padEnd(16)} ${s.run}${s.available ? '' : '  (not available in this version: the run stops here)'}`)].join('\n'),
      );
    });

  pipeline
    .command('approve')
    .description('Record the decision on the approval a run waits for; the next run continues from there.')
    .argument('<file>', 'the pipeline file (ptp.pipeline.yaml)')
    .requiredOption('--stage <id>', 'the approve stage')
    .requiredOption('--by <name>', 'who decides')
    .option('--reject', 'reject instead of approve (the next run stops there, exit 1)')
    .option('--comment <text>', 'a note kept with the decision (and with the registry version it promotes)')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { stage: string; by: string; reject?: boolean; comment?: string; json?: boolean }, cmd: Command) => {
      const spec = await readPipeline(file, registryOption(cmd));
      const d = await approvePipeline(spec, { stage: o.stage, approved: !o.reject, by: o.by, ...(o.comment ? { comment: o.comment } : {}) });
      printResult(d, o.json, (x) => `${x.approved ? 'Approved' : 'Rejected'} ${x.stage} of ${spec.name} (by ${x.by}); run the pipeline again to continue.`);
    });
}
