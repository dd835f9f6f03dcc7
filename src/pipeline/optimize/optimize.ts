/**
 * The `optimize` operation: our passes to a fixpoint (each verified against the original on sample inputs),
 * then optionally onnxruntime's offline optimization (verified too), written atomically to a new file that carries its
 * lineage (`ptp.lineage`: the source's sha256, `optimize`, the settings) in its own metadata_props.
 */
import { mkdtemp, realpath, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OnnxError } from '../../core/errors';
import { inspect } from '../../core/inspect';
import { openModel } from '../../core/model';
import { validate } from '../../core/validate';
import { writeModel } from '../../core/writer';
import type { OptimizeParams, OptimizeResult, OrtStageReport, VerificationInfo } from '../../protocol/optimize';
import type { RuntimeOptions } from '../../protocol/worker';
import { RuntimeError, isRuntimeError } from '../runtime/errors';
import { throwIfAborted, type OperationContext } from '../operation';
import { PassContext } from './context';
import { runToFixpoint } from './fixpoint';
import { ORT_LEVELS, nonStandardOps, ortOptimizeFile } from './ort-offline';
import { selectPasses, type OptimizationPass } from './passes';
import { DEFAULT_TOLERANCE, OutputVerifier, type Comparison } from './verify';
import { stagingPath } from '../shared/artifact';
import { ensureLineageFile, lineageOf, stampLineage } from '../shared/lineage';
import { defaultOutputPath as sharedOutputPath } from '../shared/output-name';

export interface OptimizeOptions {
  /** The passes `params.passes` selects from (default OPTIMIZATION_PASSES); tests inject their own here. */
  readonly registry?: readonly OptimizationPass[];
}

/** `<dir>/<name>.opt.onnx` next to the model. */
export function defaultOutputPath(model: string): string {
  return sharedOutputPath('optimize', model);
}

export async function optimizeModel(params: OptimizeParams, op: OperationContext = {}, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const progress = (message: string, fraction?: number) => op.onProgress?.({ message, ...(fraction !== undefined ? { fraction } : {}) });
  const source = path.resolve(params.model);
  const out = path.resolve(params.output ?? defaultOutputPath(source));
  checkParams(params);
  const passes = selectPasses(params.passes, options.registry);
  await refuseSource(source, out);
  const runtime: RuntimeOptions = { intraOpNumThreads: params.intraOpNumThreads, executionProviders: params.executionProviders };
  const model = await openModel(source);
  const scratch = await mkdtemp(path.join(tmpdir(), 'ptp-optimize-'));
  const staged = stagingPath(out);
  const ortStaged = stagingPath(out);
  try {
    const before = inspect(model);
    const warnings: string[] = [];
    progress('Running the original model on sample inputs', 0);
    const tolerance = { rtol: params.rtol ?? DEFAULT_TOLERANCE.rtol, atol: params.atol ?? DEFAULT_TOLERANCE.atol };
    const made = await OutputVerifier.create(source, model.proto, { ...tolerance, seed: params.seed ?? 0, symbolicDimValue: params.symbolicDimValue, runtime });
    const verifier = made instanceof OutputVerifier ? made : undefined;
    const verification: VerificationInfo = made.info;
    if (!(made instanceof OutputVerifier)) warnings.push(`outputs cannot be compared, so changes are not verified: ${made.reason}`);

    const ctx = PassContext.fromModel(model);
    ctx.runtime = runtime;
    let step = 0;
    const verify = verifier
      ? async (c: PassContext): Promise<Comparison> => {
          const file = path.join(scratch, `step-${step++}.onnx`);
          try {
            await writeModel(c.derived(), file);
            return await verifier.check(file);
          } finally {
            await rm(file, { force: true });
          }
        }
      : undefined;
    const baseErrors = (await validate(model)).errors;
    const check = async (c: PassContext): Promise<string | undefined> => {
      const v = await validate(c.derived());
      if (v.errors <= baseErrors) return undefined;
      return v.findings.find((f) => f.severity === 'error')?.message ?? `${v.errors} structural errors`;
    };
    const fx = await runToFixpoint(ctx, passes, {
      check,
      verify,
      maxRounds: params.maxRounds,
      signal: op.signal,
      onProgress: (m) => progress(m, 0.1),
    });
    if (!fx.converged) warnings.push(`passes still made changes after ${fx.rounds} rounds; stopped there`);
    warnings.push(...ctx.warnings);
    for (const r of fx.reports) if (r.rejected) warnings.push(`pass ${r.name} rejected: ${r.message ?? ''}`);

    throwIfAborted(op.signal);
    progress('Writing the optimized model', 0.8);
    const lineage = await lineageOf(source, 'optimize', lineageParams(params, verification), op.signal);
    stampLineage(ctx.proto, lineage);
    await writeModel(ctx.derived(), staged);
    let maxAbsDiff: number | null = null;
    if (verifier) {
      const c = await verifier.check(staged);
      if (!c.ok) throw new Error(`the written model does not reproduce the verified outputs (${c.message ?? ''})`);
      maxAbsDiff = c.maxAbsDiff;
    }

    let ort: OrtStageReport | null = null;
    if (params.ortLevel) {
      throwIfAborted(op.signal);
      progress(`onnxruntime offline optimization (${params.ortLevel})`, 0.85);
      ort = await ortStage(staged, ortStaged, params.ortLevel, runtime, verifier, warnings);
      if (ort.applied) {
        await ensureLineageFile(ortStaged, lineage);
        await rename(ortStaged, staged);
        maxAbsDiff = ort.max_abs_diff;
      }
    }

    await rename(staged, out);
    const written = await openModel(out);
    const after = inspect(written);
    await written.close();
    progress('Done', 1);
    return {
      model: source,
      output: out,
      level: params.ortLevel ?? null,
      passes: fx.reports,
      ort,
      node_count_before: before.node_count,
      node_count_after: after.node_count,
      op_histogram_before: before.op_histogram,
      op_histogram_after: after.op_histogram,
      size_bytes_before: model.fileSize,
      size_bytes_after: (await stat(out)).size,
      max_abs_diff: maxAbsDiff,
      verification,
      rounds: fx.rounds,
      warnings,
      lineage,
    };
  } finally {
    await rm(staged, { force: true });
    await rm(ortStaged, { force: true });
    await rm(scratch, { recursive: true, force: true });
    await model.close();
  }
}

/** The params of an optimization's lineage: what was asked, with the comparison settings as `verification` reports them. */
function lineageParams(params: OptimizeParams, v: VerificationInfo): Record<string, unknown> {
  return {
    passes: params.passes ?? 'all',
    level: params.ortLevel ?? null,
    max_rounds: params.maxRounds ?? 10,
    seed: v.seed,
    symbolic_dim_value: v.symbolic_dim_value,
    rtol: v.rtol,
    atol: v.atol,
  };
}

/** onnxruntime's optimization of `input` into `output`, checked; a refusal or mismatch is reported, not thrown. */
async function ortStage(
  input: string,
  output: string,
  level: NonNullable<OptimizeParams['ortLevel']>,
  runtime: RuntimeOptions,
  verifier: OutputVerifier | undefined,
  warnings: string[],
): Promise<OrtStageReport> {
  try {
    await ortOptimizeFile(input, output, level, runtime);
  } catch (e) {
    if (!isRuntimeError(e)) throw e;
    warnings.push(`onnxruntime offline optimization (${level}) failed, not applied: ${e.message}`);
    return { level, applied: false, verified: false, max_abs_diff: null, message: e.message };
  }
  const c = verifier ? await verifier.check(output) : undefined;
  if (c && !c.ok) {
    const message = `changed the outputs beyond tolerance, not applied (${c.message ?? ''})`;
    warnings.push(`onnxruntime offline optimization (${level}) ${message}`);
    return { level, applied: false, verified: false, max_abs_diff: c.maxAbsDiff, message };
  }
  if (level !== 'basic') {
    const written = await openModel(output);
    const contrib = nonStandardOps(written.proto);
    await written.close();
    warnings.push(
      `onnxruntime's '${level}' output is for onnxruntime with the ${runtime.executionProviders?.join(', ') || 'CPU'} execution provider only` +
        (contrib.length ? `; it uses non-standard operators ${contrib.join(', ')}` : '') +
        (level === 'all' ? '; level all may also pick layouts for this machine' : ''),
    );
  }
  return { level, applied: true, verified: !!c, max_abs_diff: c ? c.maxAbsDiff : null };
}

function checkParams(p: OptimizeParams): void {
  const bad = (m: string) => new RuntimeError('invalid-params', m);
  if (p.ortLevel !== undefined && !ORT_LEVELS.includes(p.ortLevel)) throw bad(`ortLevel must be one of ${ORT_LEVELS.join(', ')}, got '${String(p.ortLevel)}'`);
  for (const k of ['rtol', 'atol'] as const) {
    const v = p[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw bad(`${k} must be a non-negative number, got ${v}`);
  }
  if (p.maxRounds !== undefined && !(Number.isSafeInteger(p.maxRounds) && p.maxRounds > 0)) throw bad(`maxRounds must be a positive integer, got ${p.maxRounds}`);
}

/** Throws unless `out` is a different file from `source` (also through links). */
async function refuseSource(source: string, out: string): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => p);
  if (source === out || (await real(source)) === (await real(out))) {
    throw new OnnxError('unsupported', 'refusing to overwrite the source model; choose another output file', out);
  }
}

