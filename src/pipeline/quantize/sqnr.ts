/**
 * Signal-to-quantization-noise ratio, as onnxruntime's quantization debugger computes it
 * (qdq_loss_debug.compute_signal_to_quantization_noice_ratio): SQNR = 20·log10(‖x‖ / ‖x − y‖) dB,
 * x the float tensor, y its quantized-then-dequantized counterpart. Reported values are capped at ±200 dB so
 * identical tensors (no noise) and all-zero tensors stay finite JSON numbers.
 */

/** The cap on reported SQNR values, dB. */
export const SQNR_CAP_DB = 200;

/** SQNR in dB from Σx² and Σ(x − y)². */
export function sqnrFromSums(signal: number, noise: number): number {
  if (!(noise > 0)) return SQNR_CAP_DB;
  if (!(signal > 0)) return -SQNR_CAP_DB;
  const db = 10 * Math.log10(signal / noise);
  return Math.max(-SQNR_CAP_DB, Math.min(SQNR_CAP_DB, db));
}

/** Running Σx² and Σ(x − y)² over pairs of tensors (batches of rows). */
export class SqnrAccumulator {
  signal = 0;
  noise = 0;
  /** Tensors whose sizes differed (not compared). */
  mismatched = 0;

  add(x: ArrayLike<number>, y: ArrayLike<number>): void {
    if (x.length !== y.length) {
      this.mismatched++;
      return;
    }
    let s = 0;
    let n = 0;
    for (let i = 0; i < x.length; i++) {
      const a = x[i]!;
      const d = a - y[i]!;
      s += a * a;
      n += d * d;
    }
    this.signal += s;
    this.noise += n;
  }

  get db(): number {
    return sqnrFromSums(this.signal, this.noise);
  }
}

/** Rounds a dB value for reports (0.01 dB). */
export function roundDb(db: number): number {
  return Math.round(db * 100) / 100;
}
