import assert from 'node:assert/strict';
import { classificationMetrics, evenlySpacedIndices, MetricsError } from '../../../../src/pipeline/evaluate/metrics';
import {
  averagePrecisionFromClfCurve,
  binaryClfCurve,
  prFromClfCurve,
  rocAucFromClfCurve,
  rocFromClfCurve,
} from '../../../../src/pipeline/evaluate/metrics/curves';
import { sortUint32 } from '../../../../src/pipeline/evaluate/metrics/radix-sort';
import { ovrRanking, RankingScratch } from '../../../../src/pipeline/evaluate/metrics/ranking';

function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** n×k float32 probabilities (rounded to `grid` steps to make ties when given) and labels. */
function data(n: number, k: number, seed: number, grid?: number): { y: Int32Array; proba: Float32Array } {
  const r = lcg(seed);
  const proba = new Float32Array(n * k);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = Array.from({ length: k }, () => Math.exp(r() * 4));
    const s = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < k; c++) proba[i * k + c] = grid ? Math.round((e[c]! / s) * grid) / grid : e[c]! / s;
    y[i] = Math.floor(r() * k);
  }
  return { y, proba };
}

/** The same summary from the reference functions (binaryClfCurve → roc / pr / areas), point by point. */
function reference(y: Int32Array, proba: Float32Array, k: number, c: number, points: number) {
  const n = y.length;
  const yb = Uint8Array.from(y, (t) => (t === c ? 1 : 0));
  const score = Float64Array.from({ length: n }, (_, i) => proba[i * k + c]!);
  const clf = binaryClfCurve(yb, score);
  const roc = rocFromClfCurve(clf);
  const pr = prFromClfCurve(clf);
  const ri = evenlySpacedIndices(roc.fpr.length, points);
  const pi = evenlySpacedIndices(pr.recall.length, points);
  return {
    rocAuc: rocAucFromClfCurve(clf),
    averagePrecision: averagePrecisionFromClfCurve(clf),
    fpr: Array.from(ri, (i) => roc.fpr[i]!),
    tpr: Array.from(ri, (i) => roc.tpr[i]!),
    recall: Array.from(pi, (i) => pr.recall[i]!),
    precision: Array.from(pi, (i) => pr.precision[i]!),
  };
}

function assertSameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} ≠ ${b[i]}`);
}

describe('metrics: one-vs-rest ranking summaries (float32 scores)', () => {
  for (const [name, n, k, grid] of [
    ['distinct scores, 10 classes', 20000, 10, undefined],
    ['many ties, 4 classes', 20000, 4, 50],
    ['binary, few rows', 37, 2, 8],
  ] as const) {
    it(`equals the reference curves and areas bit for bit: ${name}`, () => {
      const { y, proba } = data(n, k, n + k, grid);
      const scratch = new RankingScratch(n);
      for (let c = 0; c < k; c++) {
        const got = ovrRanking(y, proba, k, c, 50, scratch);
        const want = reference(y, proba, k, c, 50);
        assert.ok(Object.is(got.rocAuc, want.rocAuc), `class ${c} AUC ${got.rocAuc} ≠ ${want.rocAuc}`);
        assert.ok(Object.is(got.averagePrecision, want.averagePrecision), `class ${c} AP`);
        assertSameBits(got.roc.fpr, want.fpr, `class ${c} fpr`);
        assertSameBits(got.roc.tpr, want.tpr, `class ${c} tpr`);
        assertSameBits(got.pr.recall, want.recall, `class ${c} recall`);
        assertSameBits(got.pr.precision, want.precision, `class ${c} precision`);
        assert.equal(got.positives + got.negatives, n);
      }
    });
  }

  it('treats -0 and +0 as one threshold, and handles a class that is absent or alone', () => {
    const proba = Float32Array.from([-0, 1, 0, 1, 0.5, 0.5, 0, 1]);
    const y = Int32Array.from([1, 0, 1, 1]);
    for (let c = 0; c < 2; c++) {
      const got = ovrRanking(y, proba, 2, c, 400);
      const want = reference(y, proba, 2, c, 400);
      assert.ok(Object.is(got.rocAuc, want.rocAuc));
      assert.ok(Object.is(got.averagePrecision, want.averagePrecision));
      assertSameBits(got.roc.fpr, want.fpr, 'fpr');
      assertSameBits(got.pr.precision, want.precision, 'precision');
    }
    const alone = Int32Array.from([0, 0, 0, 0]);
    const absent = ovrRanking(alone, proba, 2, 1, 400);
    assert.equal(absent.positives, 0);
    assert.equal(absent.rocAuc, null);
    assert.ok(Object.is(absent.averagePrecision, reference(alone, proba, 2, 1, 400).averagePrecision));
    assert.equal(ovrRanking(alone, proba, 2, 0, 400).rocAuc, null);
  });

  it('refuses non-finite scores and mismatched sizes', () => {
    const y = Int32Array.from([0, 1]);
    assert.throws(() => ovrRanking(y, Float32Array.from([0.5, 0.5, NaN, 1]), 2, 0, 10), (e: unknown) => e instanceof MetricsError && /non-finite/.test(e.message));
    assert.throws(() => ovrRanking(y, new Float32Array(3), 2, 0, 10), MetricsError);
  });

  it('gives classificationMetrics the same areas it computes itself', () => {
    for (const k of [2, 5]) {
      const { y, proba } = data(5000, k, 3 * k, 200);
      const scratch = new RankingScratch(y.length);
      const ranking = Array.from({ length: k }, (_, c) => ovrRanking(y, proba, k, c, 10, scratch));
      assert.deepEqual(classificationMetrics({ yTrue: y, proba, numClasses: k, ranking }), classificationMetrics({ yTrue: y, proba, numClasses: k }));
      const wrong = ranking.map((r) => ({ ...r, positives: r.positives + 1 }));
      assert.throws(() => classificationMetrics({ yTrue: y, proba, numClasses: k, ranking: wrong }), MetricsError);
    }
  });

  it('sorts unsigned keys as the built-in sort does', () => {
    const r = lcg(5);
    for (const n of [0, 10, 300, 70000]) {
      const a = Uint32Array.from({ length: n }, () => (r() < 0.2 ? 0xffffffff : r() < 0.3 ? 7 : Math.floor(r() * 2 ** 32)));
      assert.deepEqual(sortUint32(Uint32Array.from(a), new Uint32Array(n)), Uint32Array.from(a).sort());
    }
    const same = new Uint32Array(5000).fill(0x80001234);
    assert.deepEqual(sortUint32(Uint32Array.from(same), new Uint32Array(5000)), same);
  });
});
