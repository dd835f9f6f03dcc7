/** onnxruntime latency of one model: session.run p50 per batch size, as the quantize and prune benchmarks report it. */
import { createSession, loadOrt } from '../src/pipeline/runtime';
import { median } from './format';

/** The float32 input `x` for one batch size: its values and its dims (batch first). */
export type BatchInput = (batch: number) => { readonly data: Float32Array; readonly dims: readonly number[] };

/**
 * Opens `model`, and for each batch size runs it `warmup` times untimed, then `runs` times timed on the same
 * input; returns the median wall time per batch size as `p50_ms_batch_<b>` (ms).
 */
export async function p50ByBatch(model: string, batches: readonly number[], runs: number, warmup: number, input: BatchInput): Promise<Record<string, number>> {
  const ort = loadOrt();
  const session = await createSession(model, {});
  const out: Record<string, number> = {};
  try {
    for (const b of batches) {
      const { data, dims } = input(b);
      const x = new ort.Tensor('float32', data, [...dims]);
      for (let i = 0; i < warmup; i++) await session.run({ x });
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await session.run({ x });
        ms.push(performance.now() - t0);
      }
      out[`p50_ms_batch_${b}`] = median(ms);
    }
  } finally {
    await session.release();
  }
  return out;
}
