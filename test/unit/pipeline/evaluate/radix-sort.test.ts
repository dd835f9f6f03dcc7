import assert from 'node:assert/strict';
import { sortFloat64 } from '../../../../src/pipeline/evaluate/metrics/radix-sort';

describe('metrics: radix sort of float64 scores', () => {
  it('matches the built-in sort on mixed values, duplicates, negatives, tiny and huge magnitudes', () => {
    let x = 12345;
    const next = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const a = new Float64Array(50000);
    for (let i = 0; i < a.length; i++) {
      const r = next();
      a[i] = r < 0.1 ? 0 : r < 0.2 ? -next() * 1e300 : r < 0.3 ? next() * 1e-300 : r < 0.4 ? Math.round(next() * 5) / 4 : (next() - 0.5) * 10;
    }
    const expected = Float64Array.from(a).sort();
    assert.deepEqual(sortFloat64(a), expected);
  });

  it('sorts float32-valued probabilities exactly and leaves short arrays to the built-in sort', () => {
    const a = Float64Array.from({ length: 10000 }, (_, i) => Math.fround(((i * 7919) % 10007) / 10007));
    assert.deepEqual(sortFloat64(Float64Array.from(a)), Float64Array.from(a).sort());
    assert.deepEqual(sortFloat64(Float64Array.from([3, -1, 2])), Float64Array.from([-1, 2, 3]));
  });
});
