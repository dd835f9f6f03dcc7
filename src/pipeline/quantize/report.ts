/**
 * The result document of a run: per-node reports sorted worst first, the before/after evaluation and latency, the
 * fp16 facts and warnings, the lineage written into the output; and the recipe file written where asked.
 */
import type { QuantizeParams, QuantizeRecipe, QuantizeResult, QuantizedNodeReport } from '../../protocol/quantize';
import { ortVersion } from '../runtime';
import { comparisonFields, type Evaluation, type LatencyPair } from '../evaluate/before-after';
import { ORT_CPU_FP16_NATIVE, type Fp16Stats } from './fp16';
import type { NodeOutcome, RewriteOutcome } from './outcome';
import { writeRecipe } from './recipe';
import * as path from 'node:path';
import type { Lineage } from '../shared/lineage';
import { roundDb } from './sqnr';

export interface Parts {
  readonly params: QuantizeParams;
  readonly recipe: QuantizeRecipe;
  readonly source: string;
  readonly output: string;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly outcome: RewriteOutcome;
  readonly excluded: readonly NodeOutcome[];
  readonly activation: ReadonlyMap<string, number>;
  readonly sqnrUsed: number;
  readonly evaluation?: Evaluation;
  readonly latency?: LatencyPair;
  readonly calibration?: QuantizeResult['calibration'];
  readonly fp16?: Fp16Stats;
  readonly timings: Record<string, number>;
  readonly created: string;
  readonly lineage: Lineage;
}

/** The result document: nodes sorted worst first (lowest SQNR; nodes without one last). */
export function assemble(p: Parts): QuantizeResult {
  const nodes: QuantizedNodeReport[] = [...p.outcome.nodes, ...p.excluded].map((n) => {
    const act = p.activation.get(n.name);
    return {
      name: n.name,
      op_type: n.opType,
      index: n.index,
      status: n.status,
      precision: n.precision,
      ...(n.weight ? { weight: n.weight } : {}),
      ...(n.output ? { output: n.output } : {}),
      ...(n.weightSqnr !== undefined ? { weight_sqnr_db: roundDb(n.weightSqnr) } : {}),
      ...(act !== undefined ? { activation_sqnr_db: roundDb(act) } : {}),
      ...(n.replacedBy ? { replaced_by: n.replacedBy } : {}),
    };
  });
  const key = (n: QuantizedNodeReport) => Math.min(n.activation_sqnr_db ?? Infinity, n.weight_sqnr_db ?? Infinity);
  nodes.sort((a, b) => key(a) - key(b) || a.index - b.index);
  const warnings = [...p.outcome.warnings, ...(p.evaluation?.warnings ?? [])];
  if (p.fp16) {
    const slow = [...p.fp16.convertedOps].filter((op) => !ORT_CPU_FP16_NATIVE.has(op)).sort();
    if (slow.length) {
      warnings.push(
        `onnxruntime's CPU provider has no float16 kernel for ${slow.join(', ')}: it runs them in float32 through Casts it inserts, ` +
          'so on CPU this model is about half the size but not faster (float16 pays off on GPUs and CPUs with float16 arithmetic)',
      );
    }
    if (p.fp16.clamped) warnings.push(`${p.fp16.clamped} constant values beyond ±65504 were clamped to float16's range`);
  }
  if (p.recipe.mode === 'dynamic' && p.params.settings?.activation_symmetric) warnings.push('activation_symmetric does not apply to dynamic quantization (activations are uint8, asymmetric, at run time)');
  return {
    model: p.source,
    output: p.output,
    mode: p.recipe.mode,
    recipe: p.recipe,
    size_bytes_before: p.sizeBefore,
    size_bytes_after: p.sizeAfter,
    weight_bytes_before: p.outcome.weightBytesBefore,
    weight_bytes_after: p.outcome.weightBytesAfter,
    quantized_nodes: p.outcome.nodes.length,
    nodes,
    skipped: p.outcome.skipped,
    warnings,
    ...comparisonFields(p.evaluation, p.latency),
    ...(p.calibration ? { calibration: p.calibration } : {}),
    sqnr_rows: p.sqnrUsed,
    ...(p.fp16
      ? {
          fp16: {
            clamped: p.fp16.clamped,
            underflowed: p.fp16.underflowed,
            blocked_nodes: p.fp16.blockedNodes,
            cpu_native_fp16_ops: [...p.fp16.convertedOps].filter((op) => ORT_CPU_FP16_NATIVE.has(op)).sort(),
          },
        }
      : {}),
    timings: p.timings,
    ort_version: ortVersion(),
    created: p.created,
    lineage: p.lineage,
  };
}

/** Writes the recipe to `params.saveRecipe` when asked (nothing otherwise); a file that cannot be written only warns. */
export async function saveRecipe(result: QuantizeResult, params: QuantizeParams): Promise<QuantizeResult> {
  if (!params.saveRecipe) return result;
  const file = path.resolve(params.saveRecipe);
  try {
    await writeRecipe(file, result.recipe);
    return { ...result, recipe_file: file };
  } catch (e) {
    return { ...result, warnings: [...result.warnings, `could not write the recipe ${file}: ${(e as Error).message}`] };
  }
}
