/** `ptp optimize`: our graph passes (verified on sample inputs) and/or onnxruntime's offline optimization. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { OPTIMIZATION_PASSES, ORT_LEVELS, optimizeModel } from '../../pipeline/optimize';
import type { OptimizeParams, OptimizeResult, OrtOptimizationLevel } from '../../protocol/optimize';
import { onProgress, positiveInt, threadsOption } from '../options';
import { UsageError, printResult } from '../output';

function levelOption(v: string): OrtOptimizationLevel {
  if ((ORT_LEVELS as readonly string[]).includes(v)) return v as OrtOptimizationLevel;
  throw new InvalidArgumentError(`expected ${ORT_LEVELS.join(', ')}`);
}

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

interface Flags {
  passes?: string;
  ort?: OrtOptimizationLevel;
  level?: OrtOptimizationLevel;
  output?: string;
  dim?: number;
  seed: number;
  rtol?: number;
  atol?: number;
  threads?: number;
  json?: boolean;
}

export function registerOptimizeCommand(program: Command): void {
  program
    .command('optimize')
    .description(
      'Optimize the graph: our passes run to a fixpoint, each checked against the original on sample inputs (a pass that changes outputs is undone), ' +
        "optionally followed by onnxruntime's offline optimization. Writes <model>.opt.onnx; never the source.",
    )
    .argument('<model>', 'path to a .onnx file')
    .option('--passes <list>', `all, none, or a comma-separated list of: ${OPTIMIZATION_PASSES.map((p) => p.name).join(', ')}`)
    .option('--ort <level>', "also run onnxruntime's offline optimization after our passes: basic|extended|all", levelOption)
    .option('--level <level>', "onnxruntime's offline optimization only (no passes of ours unless --passes is given): basic|extended|all", levelOption)
    .option('-o, --output <file>', 'output file (default <model>.opt.onnx next to the model)')
    .option('--dim <n>', 'value for symbolic dimensions of the sample inputs (default 2, else 1)', positiveInt)
    .option('--seed <n>', 'seed of the sample inputs', positiveInt, 0)
    .option('--rtol <x>', 'relative tolerance of the output check (default 1e-4)', nonNegative)
    .option('--atol <x>', 'absolute tolerance of the output check (default 1e-5)', nonNegative)
    .addOption(threadsOption())
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: Flags) => {
      if (o.ort && o.level && o.ort !== o.level) throw new UsageError('--ort and --level name different levels; give one');
      const passes = o.passes === undefined ? (o.level ? 'none' : 'all') : parsePasses(o.passes);
      const params: OptimizeParams = {
        model: file,
        passes,
        ortLevel: o.level ?? o.ort,
        output: o.output,
        symbolicDimValue: o.dim,
        seed: o.seed,
        rtol: o.rtol,
        atol: o.atol,
        intraOpNumThreads: o.threads,
      };
      const r = await optimizeModel(params, { onProgress });
      printResult(r, o.json, optimizeText);
    });
}

function parsePasses(v: string): OptimizeParams['passes'] {
  const t = v.trim();
  if (t === 'all' || t === 'none') return t;
  const list = t.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--passes needs all, none or pass names');
  return list;
}

const diffText = (d: number | null): string => (d === null ? 'not verified' : `max |diff| ${d.toExponential(2)}`);

/** The human-readable summary of an optimization. */
export function optimizeText(r: OptimizeResult): string {
  const lines = [`${r.output}`, `  nodes ${r.node_count_before} → ${r.node_count_after}, size ${r.size_bytes_before} → ${r.size_bytes_after} bytes, ${diffText(r.max_abs_diff)}`];
  for (const p of r.passes) {
    const state = p.rejected ? `REJECTED: ${p.message ?? ''}` : p.changes === 0 ? 'no change' : `${p.changes} change(s), ${p.verified ? diffText(p.max_abs_diff) : 'not verified'}`;
    lines.push(`  ${p.name.padEnd(32)} ${state}`);
  }
  if (r.ort) lines.push(`  ${`onnxruntime ${r.ort.level}`.padEnd(32)} ${r.ort.applied ? (r.ort.verified ? diffText(r.ort.max_abs_diff) : 'applied, not verified') : `not applied: ${r.ort.message ?? ''}`}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
