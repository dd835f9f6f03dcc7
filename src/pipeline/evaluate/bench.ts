/**
 * `ptp bench`: latency and throughput of a model on generated inputs for chosen batch sizes and thread counts
 * (p50/p90/p99 of session.run and rows/s), each configuration in its own session after a warm-up.
 */
import { openModel } from '../../core';
import type { BenchParams, BenchResult, BenchRow } from '../../protocol/evaluate';
import { createSession, ortVersion, toOrtTensor } from '../runtime';
import { RuntimeError } from '../runtime/errors';
import { createRng, generateTensor } from '../shared/random-inputs';
import { sampleInputSpecs } from '../shared/input-specs';
import { throwIfAborted, type OperationContext } from '../operation';
import { percentile } from './growable';

export async function benchModel(params: BenchParams, ctx: OperationContext = {}): Promise<BenchResult> {
  const batchSizes = params.batchSizes?.length ? params.batchSizes : [1, 8, 32];
  const threads = params.threads?.length ? params.threads : [params.intraOpNumThreads ?? 0];
  const runs = params.runs ?? 50;
  const warmup = params.warmup ?? 5;
  for (const b of [...batchSizes, ...threads, runs]) {
    if (!Number.isInteger(b) || b < 0) throw new RuntimeError('invalid-params', `bench options must be non-negative integers, got ${b}`);
  }
  const model = await openModel(params.model);
  const proto = model.proto;
  await model.close();
  const results: BenchRow[] = [];
  const total = batchSizes.length * threads.length;
  let step = 0;
  for (const t of threads) {
    const session = await createSession(params.model, { ...params, intraOpNumThreads: t });
    try {
      for (const batch of batchSizes) {
        throwIfAborted(ctx.signal);
        ctx.onProgress?.({ message: `batch ${batch}, ${t || 'default'} threads`, fraction: step++ / total });
        const rng = createRng(params.runs ?? 0);
        const feeds: Record<string, ReturnType<typeof toOrtTensor>> = {};
        for (const spec of sampleInputSpecs(proto, 1)) {
          const dims = spec.declared && spec.declared.length > 0 && typeof spec.declared[0] !== 'number' ? [batch, ...spec.dims.slice(1)] : [...spec.dims];
          feeds[spec.name] = toOrtTensor(generateTensor(spec.name, spec.dataType, dims, rng));
        }
        for (let i = 0; i < warmup; i++) await session.run(feeds);
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await session.run(feeds);
          ms.push(performance.now() - t0);
          if (i % 10 === 9) throwIfAborted(ctx.signal);
        }
        const p50 = percentile(ms, 0.5);
        const mean = ms.reduce((a, b) => a + b, 0) / Math.max(ms.length, 1);
        results.push({ batch_size: batch, threads: t, p50_ms: p50, p90_ms: percentile(ms, 0.9), p99_ms: percentile(ms, 0.99), rows_per_s: (batch * 1000) / mean });
      }
    } finally {
      await session.release().catch(() => undefined);
    }
  }
  return { model: params.model, results, ort_version: ortVersion() };
}
