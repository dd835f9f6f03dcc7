/** The radix sort gives TypedArray.prototype.sort's order: negatives, ±0, subnormals, infinities, ties, constants. */
import assert from 'node:assert/strict';
import { sortFloat64 } from '../../../../src/pipeline/monitor/sort';

function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('pipeline/monitor: sortFloat64', () => {
  it('equals the native sort on awkward values, below and above the radix cut-off', () => {
    const r = xorshift(12345);
    for (const n of [10, 5000, 100000]) {
      const a = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -0 : i % 11 === 0 ? 0 : i % 13 === 0 ? Math.round(r() * 10) : (r() - 0.5) * Math.pow(10, Math.floor(r() * 40) - 20)));
      a[3] = Infinity;
      a[4] = -Infinity;
      a[5] = Number.MIN_VALUE;
      a[6] = -Number.MAX_VALUE;
      const want = a.slice().sort();
      const got = sortFloat64(a);
      for (let i = 0; i < n; i++) assert.ok(Object.is(got[i], want[i]), `n=${n} at ${i}: ${got[i]} vs ${want[i]}`);
    }
  });
  it('a constant column and one with a single differing digit', () => {
    const c = sortFloat64(Float64Array.from({ length: 20000 }, () => 1.5));
    assert.ok(c.every((v) => v === 1.5));
    const d = sortFloat64(Float64Array.from({ length: 20000 }, (_, i) => (i % 2 ? 1 : 2)));
    assert.equal(d[9999], 1);
    assert.equal(d[10000], 2);
  });
});
