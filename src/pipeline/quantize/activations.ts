/**
 * Activation SQNR: the float model and the quantized model run on the same data rows, each from a temp copy whose
 * graph outputs include the compared tensors, and each pair of tensors (float model's node output vs the quantized
 * model's tensor consumers read, see QuantizedNodeReport.activation_sqnr_db) is accumulated into one SQNR over all
 * rows (onnxruntime's qdq_loss_debug compares the same pairs).
 */
import { fromOrtTensor, type OrtSession } from '../runtime';
import type { OperationContext } from '../operation';
import { inputBatches, type RowSource } from './rows';
import { SqnrAccumulator } from './sqnr';

export interface ActivationPair {
  /** Report key (node name). */
  readonly key: string;
  readonly float: string;
  readonly quant: string;
}

/** Runs both sessions on up to `maxRows` rows and returns SQNR (dB) per pair key, and the rows used. */
export async function activationSqnr(
  floatSession: OrtSession,
  quantSession: OrtSession,
  pairs: readonly ActivationPair[],
  rows: RowSource,
  maxRows: number,
  batchSize: number,
  ctx: OperationContext = {},
): Promise<{ sqnr: Map<string, number>; rows: number }> {
  const floatNames = [...new Set(pairs.map((p) => p.float))];
  const quantNames = [...new Set(pairs.map((p) => p.quant))];
  const acc = new Map(pairs.map((p) => [p.key, new SqnrAccumulator()]));
  let seen = 0;
  for await (const b of inputBatches(rows, batchSize, maxRows, 'evaluation', ctx)) {
    const fo = await floatSession.run(b.feeds, floatNames);
    const qo = await quantSession.run(b.feeds, quantNames);
    for (const p of pairs) {
      const x = fo[p.float];
      const y = qo[p.quant];
      if (!x || !y) continue;
      acc.get(p.key)!.add(fromOrtTensor(x).values as Float32Array, fromOrtTensor(y).values as Float32Array);
    }
    seen += b.rows;
  }
  const sqnr = new Map<string, number>();
  for (const [k, a] of acc) if (a.signal > 0 || a.noise > 0) sqnr.set(k, a.db);
  return { sqnr, rows: seen };
}
