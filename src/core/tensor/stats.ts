import type { TensorValues } from './types';

/**
 * Summary of a tensor's values. min/max/mean/std (population) cover the finite values only and are null
 * when there are none; nan/inf/zeros are counts. For STRING tensors everything but `count` is null.
 */
export interface TensorStats {
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  readonly nan: number | null;
  readonly inf: number | null;
  readonly zeros: number | null;
}

/** Single-pass accumulator; sums are shifted by the first finite value to keep the variance accurate. */
class StatsAccumulator {
  private finite = 0;
  private nan = 0;
  private inf = 0;
  private zeros = 0;
  private min = Infinity;
  private max = -Infinity;
  private shift = 0;
  private sum = 0;
  private sumSquares = 0;

  add(x: number): void {
    if (x !== x) {
      this.nan++;
      return;
    }
    if (x === Infinity || x === -Infinity) {
      this.inf++;
      return;
    }
    if (x === 0) this.zeros++;
    if (this.finite === 0) this.shift = x;
    this.finite++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    const d = x - this.shift;
    this.sum += d;
    this.sumSquares += d * d;
  }

  result(count: number): TensorStats {
    const n = this.finite;
    const counts = { count, nan: this.nan, inf: this.inf, zeros: this.zeros };
    if (n === 0) return { ...counts, min: null, max: null, mean: null, std: null };
    const variance = Math.max(0, (this.sumSquares - (this.sum * this.sum) / n) / n);
    return { ...counts, min: this.min, max: this.max, mean: this.shift + this.sum / n, std: Math.sqrt(variance) };
  }
}

/**
 * Count, range, mean, standard deviation and NaN/Inf/zero counts of decoded tensor values, in one pass.
 * Complex tensors are summarised over their interleaved real and imaginary parts; 64-bit integers are
 * converted to the nearest double.
 */
export function tensorStats(values: TensorValues): TensorStats {
  const count = values.length;
  if (Array.isArray(values)) {
    return { count, min: null, max: null, mean: null, std: null, nan: null, inf: null, zeros: null };
  }
  const acc = new StatsAccumulator();
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < count; i++) acc.add(Number(values[i]));
  } else {
    const numbers: ArrayLike<number> = values;
    for (let i = 0; i < count; i++) acc.add(numbers[i]);
  }
  return acc.result(count);
}
