/**
 * Calibration for static quantization: the float model runs on calibration rows with the tensors to quantize
 * exposed as outputs (a temp copy, graph optimizations off), and each tensor's range is collected batch by batch:
 * MinMax (the smallest min and largest max over batches, onnxruntime's MinMaxCalibrater), Percentile or Entropy
 * (histograms, see ./histogram.ts). Memory: one batch of activations plus the per-tensor histograms.
 */
import type { OnnxModel } from '../../core';
import type { onnx } from '../../core/proto/onnx';
import { DataType } from '../../core/tensor/dtypes';
import type { CalibrationMethod } from '../../protocol/quantize';
import type { RuntimeOptions } from '../../protocol/worker';
import type { OrtSession } from '../runtime';
import type { OperationContext } from '../operation';
import { QuantizeError } from './errors';
import { exposedSession } from './expose';
import { AbsoluteHistogram, SymmetricHistogram, entropyRange, percentileRange } from './histogram';
import { inputBatches, type RowSource } from './rows';

export interface CalibrationOptions {
  readonly method: CalibrationMethod;
  readonly percentile: number;
  readonly numBins: number;
  readonly numQuantizedBins: number;
  /** Percentile with symmetric activations histograms |x| (as onnxruntime does). */
  readonly symmetric: boolean;
  readonly maxRows: number;
  readonly batchSize: number;
}

export interface CalibrationResult {
  /** Tensor → [rmin, rmax]. */
  readonly ranges: Map<string, [number, number]>;
  readonly rows: number;
  /** The session on the exposed float model (kept open for the SQNR pass; the caller releases it). */
  readonly session: OrtSession;
}

interface Collector {
  add(x: ArrayLike<number>): void;
  range(): [number, number];
}

function collectorFor(o: CalibrationOptions): Collector {
  if (o.method === 'minmax') {
    let lo = Infinity;
    let hi = -Infinity;
    return {
      add(x) {
        for (let i = 0; i < x.length; i++) {
          const v = x[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      },
      range: () => (lo === Infinity ? [0, 0] : [lo, hi]),
    };
  }
  if (o.method === 'percentile' && o.symmetric) {
    const h = new AbsoluteHistogram(o.numBins);
    return { add: (x) => h.add(x), range: () => percentileRange(h.histogram, o.percentile, true) };
  }
  const h = new SymmetricHistogram(o.numBins);
  return {
    add: (x) => h.add(x),
    range: () => (o.method === 'percentile' ? percentileRange(h.histogram, o.percentile, false) : entropyRange(h.histogram, o.numQuantizedBins)),
  };
}

/**
 * Runs the float model on up to `maxRows` rows of `rows` and returns each tensor's range. `exposeAlso` are
 * further tensors exposed in the same temp copy (for the later SQNR pass) but not calibrated.
 */
export async function calibrate(
  model: OnnxModel,
  proto: onnx.ModelProto,
  tensors: readonly string[],
  exposeAlso: readonly { name: string; elemType: number }[],
  rows: RowSource,
  tmpFile: string,
  options: CalibrationOptions,
  runtime: RuntimeOptions,
  ctx: OperationContext = {},
): Promise<CalibrationResult> {
  const exposed = [...tensors.map((name) => ({ name, elemType: DataType.FLOAT })), ...exposeAlso];
  const session = await exposedSession(model, proto, exposed, tmpFile, runtime);
  try {
    const collectors = new Map(tensors.map((t) => [t, collectorFor(options)]));
    let seen = 0;
    for await (const b of inputBatches(rows, options.batchSize, options.maxRows, 'calibration', ctx)) {
      const out = tensors.length ? await session.run(b.feeds, [...tensors]) : {};
      for (const [name, c] of collectors) {
        const t = out[name];
        if (t && t.data instanceof Float32Array) c.add(t.data);
      }
      seen += b.rows;
      ctx.onProgress?.({ message: `calibration: ${seen} rows`, fraction: Math.min(1, seen / options.maxRows) });
    }
    if (seen === 0) throw new QuantizeError('bad-data', `calibration data ${rows.file} holds no rows`);
    const ranges = new Map<string, [number, number]>();
    for (const [name, c] of collectors) ranges.set(name, c.range());
    return { ranges, rows: seen, session };
  } catch (e) {
    await session.release().catch(() => undefined);
    throw e;
  }
}
