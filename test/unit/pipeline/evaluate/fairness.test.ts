import { assertClose } from '../../../helpers/assert';
import * as assert from 'node:assert/strict';
import { binarize, createRng32, fairnessReport, xoshiro128ss } from '../../../../src/pipeline/evaluate/fairness';
import { MetricsError } from '../../../../src/pipeline/evaluate/metrics';

const close = assertClose;
const u8 = (a: number[]) => Uint8Array.from(a);

describe('evaluate/fairness: fairlearn definitions, worked by hand', () => {
  // Group A: y 1 1 0 0, ŷ 1 0 1 0 → TP 1, FN 1, FP 1, TN 1.
  // Group B: y 1 1 1 0 0 0, ŷ 1 1 1 1 0 0 → TP 3, FN 0, FP 1, TN 2.
  const yTrue = u8([1, 1, 0, 0, 1, 1, 1, 0, 0, 0]);
  const yPred = u8([1, 0, 1, 0, 1, 1, 1, 1, 0, 0]);
  const groups = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B', 'B'];
  const r = fairnessReport({ yTrue, yPred, groups });

  it('by_group and overall rates', () => {
    assert.deepEqual(r.by_group.A, { n: 4, selection_rate: 0.5, tpr: 0.5, fpr: 0.5, accuracy: 0.5 });
    assert.equal(r.by_group.B.n, 6);
    close(r.by_group.B.selection_rate, 4 / 6);
    assert.equal(r.by_group.B.tpr, 1);
    close(r.by_group.B.fpr, 1 / 3);
    close(r.by_group.B.accuracy, 5 / 6);
    // overall: TP 4, FN 1, FP 2, TN 3
    assert.deepEqual(r.overall, { n: 10, selection_rate: 0.6, tpr: 0.8, fpr: 0.4, accuracy: 0.7 });
  });

  it('demographic parity: difference max − min, ratio min / max', () => {
    close(r.demographic_parity_difference, 4 / 6 - 0.5);
    close(r.demographic_parity_ratio, 0.75);
  });

  it('equalized odds: max of the TPR and FPR differences, min of their ratios', () => {
    // TPR .5 vs 1 → diff .5, ratio .5; FPR .5 vs 1/3 → diff 1/6, ratio 2/3
    close(r.equalized_odds_difference, 0.5);
    close(r.equalized_odds_ratio, 0.5);
    assert.equal(r.ci, undefined);
  });

  it('groups are listed in ascending order of their value, whatever the row order', () => {
    const s = fairnessReport({ yTrue: u8([0, 1, 0, 1]), yPred: u8([0, 1, 1, 1]), groups: ['z', 'b', 'm', '__proto__'] });
    assert.deepEqual(Object.keys(s.by_group), ['__proto__', 'b', 'm', 'z']);
    assert.equal(s.by_group.__proto__.n, 1);
  });

  it('single-class groups: TPR (FPR) is 0 without positive (negative) rows, with a warning', () => {
    // P: only positives (ŷ 1 1 0) — FPR undefined → 0; N: only negatives (ŷ 0 1) — TPR undefined → 0
    const s = fairnessReport({ yTrue: u8([1, 1, 1, 0, 0]), yPred: u8([1, 1, 0, 0, 1]), groups: ['P', 'P', 'P', 'N', 'N'] });
    close(s.by_group.P.tpr, 2 / 3);
    assert.equal(s.by_group.P.fpr, 0);
    assert.equal(s.by_group.N.tpr, 0);
    assert.equal(s.by_group.N.fpr, 0.5);
    close(s.equalized_odds_difference, 2 / 3); // TPR 2/3 vs 0; FPR 0 vs .5
    assert.equal(s.equalized_odds_ratio, 0);
    assert.ok(s.warnings.some((w) => /No positive rows in group\(s\) N/.test(w)));
    assert.ok(s.warnings.some((w) => /No negative rows in group\(s\) P/.test(w)));
  });

  it('ratios are null when every rate is 0 (0/0), and a single group gives difference 0, ratio 1', () => {
    const none = fairnessReport({ yTrue: u8([1, 0, 1, 0]), yPred: u8([0, 0, 0, 0]), groups: ['a', 'a', 'b', 'b'] });
    assert.equal(none.demographic_parity_difference, 0);
    assert.equal(none.demographic_parity_ratio, null);
    assert.equal(none.equalized_odds_ratio, null);
    assert.equal(none.equalized_odds_difference, 0);
    assert.ok(none.warnings.some((w) => /Demographic parity ratio is undefined/.test(w)));
    // TPR all 0 but FPR defined: the ratio that is defined is used
    const half = fairnessReport({ yTrue: u8([1, 0, 1, 0]), yPred: u8([0, 1, 0, 0]), groups: ['a', 'a', 'b', 'b'] });
    assert.equal(half.equalized_odds_ratio, 0);
    const one = fairnessReport({ yTrue: u8([1, 0]), yPred: u8([1, 0]), groups: ['only', 'only'] });
    assert.equal(one.demographic_parity_difference, 0);
    assert.equal(one.demographic_parity_ratio, 1);
    assert.equal(one.equalized_odds_ratio, 1);
    assert.ok(one.warnings.some((w) => /Only one group/.test(w)));
  });

  it('rejects labels that are not 0/1, length mismatches and empty input', () => {
    assert.throws(() => fairnessReport({ yTrue: Int32Array.from([2]), yPred: u8([1]), groups: ['a'] }), /binarize/);
    assert.throws(() => fairnessReport({ yTrue: u8([1]), yPred: u8([1, 0]), groups: ['a'] }), MetricsError);
    assert.throws(() => fairnessReport({ yTrue: u8([]), yPred: u8([]), groups: [] }), /No rows/);
  });

  it('binarize: one-vs-rest on the chosen class', () => {
    const b = binarize(Int32Array.from([0, 2, 1, 2]), Int32Array.from([2, 2, 0, 1]), 2);
    assert.deepEqual(Array.from(b.yTrue), [0, 1, 0, 1]);
    assert.deepEqual(Array.from(b.yPred), [1, 1, 0, 0]);
  });
});

describe('evaluate/fairness: bootstrap intervals', () => {
  // 400 rows, two groups with different selection rates.
  const n = 400;
  const yTrue = new Uint8Array(n);
  const yPred = new Uint8Array(n);
  const groups: string[] = [];
  for (let i = 0; i < n; i++) {
    yTrue[i] = i % 3 === 0 ? 1 : 0;
    yPred[i] = i % 2 === 0 ? (i % 7 < 5 ? 1 : 0) : i % 5 === 0 ? 1 : 0;
    groups.push(i % 2 === 0 ? 'even' : 'odd');
  }
  const opts = { samples: 200, seed: 7, confidence: 0.9 };
  const a = fairnessReport({ yTrue, yPred, groups, bootstrap: opts });

  it('is deterministic per seed and differs between seeds', () => {
    const b = fairnessReport({ yTrue, yPred, groups, bootstrap: opts });
    const c = fairnessReport({ yTrue, yPred, groups, bootstrap: { ...opts, seed: 8 } });
    assert.deepEqual(a.ci, b.ci);
    assert.deepEqual(a.ci_by_group, b.ci_by_group);
    assert.notDeepEqual(a.ci, c.ci);
  });

  it('intervals are ordered and surround the point estimates', () => {
    assert.ok(a.ci && a.ci_by_group);
    for (const name of ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference', 'equalized_odds_ratio'] as const) {
      const iv = a.ci[name];
      const point = a[name];
      assert.ok(iv && point !== null, name);
      assert.ok(iv[0] <= point && point <= iv[1], `${name}: ${point} outside [${iv[0]}, ${iv[1]}]`);
    }
    const sel = a.ci_by_group.even.selection_rate;
    assert.ok(sel && sel[0] < a.by_group.even.selection_rate && a.by_group.even.selection_rate < sel[1]);
  });

  it('a degenerate metric has a degenerate interval; a group missing from resamples is reported', () => {
    const s = fairnessReport({ yTrue: u8([1, 0, 1, 0]), yPred: u8([1, 1, 1, 1]), groups: ['a', 'a', 'b', 'b'], bootstrap: { samples: 50, seed: 1 } });
    assert.deepEqual(s.ci?.demographic_parity_difference, [0, 0]);
    assert.deepEqual(s.ci_by_group?.a.selection_rate, [1, 1]);
    const labels = u8([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    const rare = fairnessReport({
      yTrue: labels,
      yPred: labels,
      groups: ['r', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c'], // 'r' is missed by (9/10)^10 ≈ 35 % of resamples
      bootstrap: { samples: 100, seed: 3 },
    });
    assert.ok(rare.warnings.some((w) => /Group r is absent from \d+ of 100 bootstrap resamples/.test(w)));
  });

  it('validates the options', () => {
    assert.throws(() => fairnessReport({ yTrue, yPred, groups, bootstrap: { samples: 0 } }), /samples/);
    assert.throws(() => fairnessReport({ yTrue, yPred, groups, bootstrap: { confidence: 1 } }), /confidence/);
  });
});

describe('evaluate/fairness: seeded PRNG', () => {
  it('xoshiro128** matches the reference output for state (1, 2, 3, 4)', () => {
    const r = xoshiro128ss(1, 2, 3, 4);
    assert.deepEqual(Array.from({ length: 6 }, () => r.nextUint32()), [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('nextBelow stays in range and is roughly uniform; fillBelow draws the same sequence', () => {
    const r = createRng32(42);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) counts[r.nextBelow(10)]++;
    for (const c of counts) assert.ok(c > 1800 && c < 2200, `${c}`);
    const big = createRng32(1);
    for (let i = 0; i < 1000; i++) {
      const v = big.nextBelow(3_000_000_000);
      assert.ok(v >= 0 && v < 3_000_000_000 && Number.isInteger(v));
    }
    const out = new Uint32Array(5);
    createRng32(9).fillBelow(out, 1000);
    const again = createRng32(9);
    assert.deepEqual(Array.from(out), Array.from({ length: 5 }, () => again.nextBelow(1000)));
    assert.notDeepEqual(createRng32(1).nextUint32(), createRng32(2).nextUint32());
  });
});
