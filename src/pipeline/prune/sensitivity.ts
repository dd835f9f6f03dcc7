/**
 * `pruneSensitivity`: how much each layer can take. Each prunable layer is pruned alone at each sparsity, and the
 * pruned copies of one layer are evaluated together with the unpruned model on the first `maxRows` rows of the
 * data (one `compare` pass per layer: the rows are read once per layer, and agreement is against the unpruned
 * model's predictions on the same rows). Scratch copies live in a temp folder that is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deriveModel, inspect, openModel, writeModel, type OnnxModel } from '../../core';
import type { CompareResult } from '../../protocol/evaluate';
import type { PruneSensitivityParams, PruneSensitivityResult, PruneSkipped, SensitivityCurve } from '../../protocol/prune';
import { compare } from '../evaluate';
import type { ClassificationMetrics, RegressionMetrics } from '../evaluate/metrics/types';
import { throwIfAborted, type OperationContext } from '../operation';
import { asPruneDataError, planEvaluationData } from './data';
import { PruneError, isPruneError } from '../prune-graph/errors';
import { listPrunable, pruneGraph, type PruneGraphSettings } from '../prune-graph/prune-graph';

export const DEFAULT_SPARSITIES: readonly number[] = [0.1, 0.3, 0.5, 0.7, 0.9];
export const DEFAULT_SENSITIVITY_ROWS = 2000;

export async function pruneSensitivity(params: PruneSensitivityParams, ctx: OperationContext = {}): Promise<PruneSensitivityResult> {
  const started = performance.now();
  const method = params.method ?? 'magnitude';
  if (method !== 'magnitude' && method !== 'structured') {
    throw new PruneError('bad-setting', `sensitivity analysis runs 'magnitude' or 'structured' pruning, not '${String(method)}'`, params.model);
  }
  const sparsities = [...(params.sparsities ?? DEFAULT_SPARSITIES)];
  if (sparsities.length === 0) throw new PruneError('bad-setting', 'give at least one sparsity to try (e.g. 0.1,0.3,0.5)', params.model);
  for (const s of sparsities) {
    if (!(s > 0 && s < 1)) throw new PruneError('bad-setting', `sparsity ${s} is outside (0, 1); give fractions such as 0.1,0.3,0.5`, params.model);
  }
  const maxRows = params.maxRows ?? DEFAULT_SENSITIVITY_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new PruneError('bad-setting', `maxRows must be a positive whole number, not ${maxRows}`, params.model);

  const source = path.resolve(params.model);
  ctx.onProgress?.({ message: 'Opening the model', fraction: 0 });
  const model = await openModel(source);
  const scratch = await mkdtemp(path.join(tmpdir(), 'ptp-prune-sensitivity-'));
  try {
    const info = inspect(model);
    const label = await planEvaluationData(params.data, info.inputs, { label: params.label, excludeColumns: params.excludeColumns });
    const listed = listPrunable(model, method);
    const exclude = new Set(params.excludeNodes ?? []);
    const wanted = params.layers ? new Set(params.layers) : undefined;
    if (wanted) {
      const known = new Set(listed.layers.map((l) => l.name));
      const missing = [...wanted].filter((n) => !known.has(n));
      if (missing.length) {
        throw new PruneError(
          'not-prunable',
          `${missing.map((n) => `'${n}'`).join(', ')} cannot be pruned by ${method} pruning${whyNot(missing, listed.skipped)}; prunable layers: ${listed.layers.map((l) => l.name).join(', ') || 'none'}`,
          source,
        );
      }
    }
    const layers = listed.layers.filter((l) => !exclude.has(l.name) && (!wanted || wanted.has(l.name)));
    if (layers.length === 0) {
      throw new PruneError('nothing-to-prune', `no layer left to analyse for ${method} pruning${listed.skipped.length ? ` (${listed.skipped.map((s) => `${s.node}: ${s.reason}`).join('; ')})` : ''}`, source);
    }

    const total = layers.length * sparsities.length;
    let done = 0;
    const curves: SensitivityCurve[] = [];
    const skipped: PruneSkipped[] = [...listed.skipped];
    let baseline: number | null = null;
    let samples = 0;
    let task: 'classification' | 'regression' = 'classification';
    // structured: a layer whose channels another layer's pruning already removed (a residual group) gets that curve.
    const coveredBy = new Map<string, SensitivityCurve>();
    for (const [li, layer] of layers.entries()) {
      throwIfAborted(ctx.signal);
      ctx.onProgress?.({ message: `Layer ${li + 1}/${layers.length}: ${layer.name}`, fraction: done / total });
      const same = coveredBy.get(layer.name);
      if (same) {
        curves.push({ name: layer.name, op_type: layer.op_type, params: layer.params, points: same.points, same_as: same.name });
        done += sparsities.length;
        continue;
      }
      const files: (string | null)[] = [];
      const together = new Set<string>();
      for (const [si, s] of sparsities.entries()) {
        throwIfAborted(ctx.signal);
        files.push(await prunedCopy(model, method, params, layer, s, path.join(scratch, `l${li}-s${si}.onnx`), skipped, together));
      }
      const written = files.filter((f): f is string => f !== null);
      let r: CompareResult | undefined;
      if (written.length > 0) {
        r = await compare(
          {
            models: [source, ...written],
            data: params.data,
            label,
            excludeColumns: params.excludeColumns,
            batchSize: params.batchSize,
            maxRows,
            bootstrap: 0,
            intraOpNumThreads: params.intraOpNumThreads,
            executionProviders: params.executionProviders,
          },
          ctx,
        ).catch((e: unknown) => {
          throw asPruneDataError(e);
        });
        samples = r.samples;
        task = r.task;
        baseline = metricOf(r.evaluations[0]!.metrics);
      }
      let k = 0;
      const points = sparsities.map((sparsity, si) => {
        if (files[si] === null || !r) return { sparsity, value: null, agreement: null };
        k++;
        return {
          sparsity,
          value: metricOf(r.evaluations[k]!.metrics),
          agreement: r.task === 'classification' ? r.agreement[k]! : null,
        };
      });
      const curve: SensitivityCurve = { name: layer.name, op_type: layer.op_type, params: layer.params, points };
      curves.push(curve);
      if (method === 'structured') for (const other of together) if (other !== layer.name) coveredBy.set(other, curve);
      for (const f of written) await rm(f, { force: true });
      done += sparsities.length;
      ctx.onProgress?.({ message: `Layer ${li + 1}/${layers.length}: ${layer.name}`, fraction: done / total });
    }
    return {
      model: source,
      method,
      data: params.data,
      samples,
      task,
      metric: task === 'regression' ? 'r2' : 'accuracy',
      baseline,
      layers: curves,
      skipped,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await model.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The layer pruned alone at `sparsity`, written to `file`; null (and a skipped entry) when that cannot be done.
 * The names of the layers the run pruned (the layer, and its residual group) are added to `pruned`.
 */
async function prunedCopy(
  model: OnnxModel,
  method: 'magnitude' | 'structured',
  params: PruneSensitivityParams,
  target: { readonly name: string; readonly op_type: string },
  sparsity: number,
  file: string,
  skipped: PruneSkipped[],
  pruned: Set<string>,
): Promise<string | null> {
  const layer = target.name;
  const settings: PruneGraphSettings = {
    method,
    sparsity,
    scope: 'layer',
    n: 2,
    m: 4,
    criterion: params.criterion ?? 'l1',
    round_to: 1,
    exclude: [],
    layers: [layer],
    layer_sparsity: { [layer]: sparsity },
  };
  try {
    const outcome = await pruneGraph(model, settings);
    for (const l of outcome.layers) if (l.status === 'pruned') pruned.add(l.name);
    await writeModel(deriveModel(model, outcome.proto), file);
    return file;
  } catch (e) {
    if (isPruneError(e) && (e.reason === 'nothing-to-prune' || e.reason === 'not-prunable')) {
      skipped.push({ node: layer, op_type: target.op_type, reason: `at sparsity ${sparsity}: ${e.message}` });
      return null;
    }
    throw e;
  }
}

function metricOf(m: ClassificationMetrics | RegressionMetrics | null): number | null {
  if (!m) return null;
  if ('accuracy' in m) return m.accuracy;
  if ('r2' in m) return m.r2;
  return null;
}

function whyNot(names: readonly string[], skipped: readonly PruneSkipped[]): string {
  const reasons = skipped.filter((s) => names.includes(s.node)).map((s) => `${s.node}: ${s.reason}`);
  return reasons.length ? ` (${reasons.join('; ')})` : '';
}
