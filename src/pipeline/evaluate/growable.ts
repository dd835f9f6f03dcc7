/** Append-only typed arrays for per-row results of a streamed evaluation (amortised doubling). */

type TypedCtor<T> = { new (n: number): T };
type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;

export class Growable<T extends Typed> {
  private buf: T;
  private n = 0;

  constructor(private readonly ctor: TypedCtor<T>, initial = 1024) {
    this.buf = new ctor(initial);
  }

  get length(): number {
    return this.n;
  }

  push(values: ArrayLike<number>): void {
    this.reserve(this.n + values.length);
    (this.buf as unknown as { set(a: ArrayLike<number>, o: number): void }).set(values, this.n);
    this.n += values.length;
  }

  /** Appends `count` zeroed elements and returns them as a view to fill in place (valid until the next append or push). */
  append(count: number): T {
    this.reserve(this.n + count);
    const start = this.n;
    this.n += count;
    return this.buf.subarray(start, this.n) as T;
  }

  /** A view of the filled part (valid until the next push). */
  view(): T {
    return this.buf.subarray(0, this.n) as T;
  }

  private reserve(need: number): void {
    if (need <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < need) cap *= 2;
    const next = new this.ctor(cap);
    (next as unknown as { set(a: ArrayLike<number>): void }).set(this.buf.subarray(0, this.n) as unknown as ArrayLike<number>);
    this.buf = next;
  }
}

/** q-quantile (linear interpolation, as numpy's default) of unsorted values. */
export function percentile(values: readonly number[] | Float64Array, q: number): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
