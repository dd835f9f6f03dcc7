/**
 * Robustness: the headline metric (accuracy, or R² for regression) under Gaussian noise at several σ
 * (relative to each feature's standard deviation), under feature dropout (a fraction of each row's features
 * set to the column mean), and under per-feature corruption (one feature set to its mean for all rows).
 * Runs on the first rows of the data, kept from the main pass; float inputs only.
 */
import type { DecodedTensor } from '../../core/tensor/types';
import type { RobustnessOptions, RobustnessReport, RobustnessRow } from '../../protocol/evaluate';
import { createRng32 } from './fairness';
import { regressionMetrics } from './metrics';
import type { ModelRunner } from '../shared/inference';
import { classBatch, regressionBatch, type OutputPlan, type ScoreTransform } from '../shared/outputs';
import { throwIfAborted, type OperationContext } from '../operation';

export interface RobustnessInput {
  readonly model: ModelRunner;
  readonly outputs: OutputPlan;
  readonly transform: Exclude<ScoreTransform, 'auto'>;
  /** Kept input batches of the first rows. */
  readonly batches: readonly Record<string, DecodedTensor>[];
  /** True class indices (classification) or values (regression) of those rows, in order. */
  readonly truth: Int32Array | Float64Array;
  /** Maps the model's raw label output to class indices (label-only models). */
  readonly labelIndex?: (raw: string | number) => number;
  /** Feature names of the (single) perturbed input, by position in a row. */
  readonly featureNames: readonly string[];
  readonly options: RobustnessOptions;
  readonly seed: number;
}

const DEFAULT_NOISE = [0.05, 0.1, 0.25, 0.5, 1];
const DEFAULT_DROPOUT = [0.1, 0.25, 0.5];

/** Runs all perturbations; the input to perturb is the model's first float input. */
export async function robustnessReport(r: RobustnessInput, ctx: OperationContext = {}): Promise<RobustnessReport | null> {
  const first = r.batches[0];
  if (!first) return null;
  const inputName = Object.keys(first).find((k) => first[k]!.values instanceof Float32Array || first[k]!.values instanceof Float64Array);
  if (!inputName) return null;
  const n = r.truth.length;
  const perRow = first[inputName]!.size / first[inputName]!.dims[0]!;
  // column statistics over the kept rows
  const mean = new Float64Array(perRow);
  const sq = new Float64Array(perRow);
  let seen = 0;
  for (const b of r.batches) {
    const v = b[inputName]!.values as Float32Array;
    const rows = b[inputName]!.dims[0]!;
    for (let i = 0; i < rows && seen < n; i++, seen++) {
      for (let j = 0; j < perRow; j++) {
        const x = v[i * perRow + j]!;
        if (Number.isFinite(x)) {
          mean[j]! += x;
          sq[j]! += x * x;
        }
      }
    }
  }
  const std = new Float64Array(perRow);
  for (let j = 0; j < perRow; j++) {
    mean[j]! /= Math.max(seen, 1);
    std[j] = Math.sqrt(Math.max(sq[j]! / Math.max(seen, 1) - mean[j]! ** 2, 0));
  }
  const rng = createRng32(r.seed);
  const gauss = (): number => {
    const u = Math.max(rng.nextFloat(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  };
  const evaluate = async (perturb: (v: Float32Array, rows: number) => void): Promise<number> => {
    throwIfAborted(ctx.signal);
    const preds: number[] = [];
    const values: number[] = [];
    let done = 0;
    for (const b of r.batches) {
      const t = b[inputName]!;
      const rows = Math.min(t.dims[0]!, n - done);
      if (rows <= 0) break;
      const copy = Float32Array.from((t.values as Float32Array).subarray(0, rows * perRow));
      perturb(copy, rows);
      const inputs = { ...sliceAll(b, rows), [inputName]: { ...t, dims: [rows, ...t.dims.slice(1)], size: rows * perRow, values: copy } };
      const fetch = r.outputs.task === 'regression' ? [r.outputs.output] : [r.outputs.scoreOutput, r.outputs.labelOutput].filter((x): x is string => !!x);
      const { outputs } = await r.model.run(inputs, fetch);
      if (r.outputs.task === 'regression') values.push(...regressionBatch(r.outputs, outputs, rows));
      else {
        const cb = classBatch(r.outputs, r.transform, outputs, rows);
        if (cb.predicted) preds.push(...cb.predicted);
        else if (cb.rawLabels && r.labelIndex) preds.push(...cb.rawLabels.map(r.labelIndex));
      }
      done += rows;
    }
    if (r.outputs.task === 'regression') return regressionMetrics(r.truth as Float64Array, Float64Array.from(values)).r2 ?? NaN;
    let correct = 0;
    for (let i = 0; i < preds.length; i++) if (preds[i] === r.truth[i]) correct++;
    return correct / Math.max(preds.length, 1);
  };

  const baseline = await evaluate(() => undefined);
  const results: RobustnessRow[] = [{ perturbation: 'none', level: 0, metric: baseline, delta: 0 }];
  const total = (r.options.noiseLevels ?? DEFAULT_NOISE).length + (r.options.dropoutRates ?? DEFAULT_DROPOUT).length;
  let step = 0;
  const tick = (what: string): void => ctx.onProgress?.({ message: `robustness: ${what}`, fraction: step++ / Math.max(total, 1) });
  for (const sigma of r.options.noiseLevels ?? DEFAULT_NOISE) {
    tick(`noise σ=${sigma}`);
    const m = await evaluate((v, rows) => {
      for (let i = 0; i < rows; i++) for (let j = 0; j < perRow; j++) v[i * perRow + j]! += sigma * std[j]! * gauss();
    });
    results.push({ perturbation: 'gaussian_noise', level: sigma, metric: m, delta: m - baseline });
  }
  for (const rate of r.options.dropoutRates ?? DEFAULT_DROPOUT) {
    tick(`dropout ${rate}`);
    const m = await evaluate((v, rows) => {
      for (let i = 0; i < rows; i++) for (let j = 0; j < perRow; j++) if (rng.nextFloat() < rate) v[i * perRow + j] = mean[j]!;
    });
    results.push({ perturbation: 'feature_dropout', level: rate, metric: m, delta: m - baseline });
  }
  const maxFeatures = r.options.maxFeatures ?? 64;
  const order = Array.from({ length: perRow }, (_, j) => j).sort((a, b) => std[b]! - std[a]!).slice(0, maxFeatures).sort((a, b) => a - b);
  for (const j of order) {
    if (std[j] === 0) continue;
    const m = await evaluate((v, rows) => {
      for (let i = 0; i < rows; i++) v[i * perRow + j] = mean[j]!;
    });
    results.push({ perturbation: 'feature_corruption', level: r.featureNames[j] ?? `x[${j}]`, metric: m, delta: m - baseline });
  }
  return { metric: r.outputs.task === 'regression' ? 'r2' : 'accuracy', rows: n, baseline, results };
}

function sliceAll(b: Record<string, DecodedTensor>, rows: number): Record<string, DecodedTensor> {
  const out: Record<string, DecodedTensor> = {};
  for (const [k, t] of Object.entries(b)) {
    if (t.dims[0] === rows) {
      out[k] = t;
      continue;
    }
    const per = t.size / t.dims[0]!;
    const values = (t.values as unknown as { slice(a: number, b: number): DecodedTensor['values'] }).slice(0, rows * per);
    out[k] = { ...t, dims: [rows, ...t.dims.slice(1)], size: rows * per, values };
  }
  return out;
}
