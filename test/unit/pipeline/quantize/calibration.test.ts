/**
 * Calibration methods against onnxruntime's HistogramCollector. The entropy and percentile expectations come from a
 * line-by-line numpy port of onnxruntime's calibrate.py (get_entropy_threshold with smooth_distribution and
 * scipy.stats.entropy, compute_percentile) run on the same histogram.
 */
import assert from 'node:assert/strict';
import { AbsoluteHistogram, SymmetricHistogram, entropyRange, percentileRange, type Histogram } from '../../../../src/pipeline/quantize/histogram';

/** 512 bins over [−4, 4]: a Laplace-shaped peak (counts 5000·e^(−|i − 256| / 15)); observed min −3.9, max 3.7. */
function laplace(): Histogram {
  const counts = new Float64Array(512);
  for (let i = 0; i < 512; i++) counts[i] = Math.trunc(5000 * Math.exp(-Math.abs(i - 256) / 15));
  return { counts, lo: -4, width: 8 / 512, min: -3.9, max: 3.7 };
}

/** 512 bins over [−4, 4]: a Gaussian bump (σ ≈ 0.53) plus three outliers; observed min −3.9, max 3.7. */
function bump(): Histogram {
  const counts = new Float64Array(512);
  for (let i = 0; i < 512; i++) counts[i] = Math.trunc(1000 * Math.exp(-(((i - 256) / 30) ** 2)));
  counts[5]! += 2;
  counts[500]! += 1;
  counts[300]! += 7;
  return { counts, lo: -4, width: 8 / 512, min: -3.9, max: 3.7 };
}

describe('quantize: calibration histograms', () => {
  it('entropy: the KL-optimal threshold of onnxruntime get_entropy_threshold (128 quantized bins)', () => {
    // numpy port of onnxruntime: argmin at candidate 64 (KL 5.72e-4; the next best is 6.20e-4) → edges 128 and 385.
    assert.deepEqual(entropyRange(laplace(), 128), [-2, 2.015625]);
  });

  it('entropy with as many bins as quantized bins keeps the whole range, clipped to [min, max] (onnxruntime default 128/128)', () => {
    const h = bump();
    const coarse = new Float64Array(128);
    for (let i = 0; i < 512; i++) coarse[i >> 2]! += h.counts[i]!;
    assert.deepEqual(entropyRange({ ...h, counts: coarse, width: 8 / 128 }, 128), [-3.9, 3.7]);
  });

  it('percentile: the bin edges where the CDF crosses (100 − p)/200 and 1 − (100 − p)/200', () => {
    assert.deepEqual(percentileRange(bump(), 99, false), [-0.84375, 0.84375]);
  });

  it('percentile on |x| (symmetric activations): ±edge where the CDF of |x| reaches p/100', () => {
    const h = new AbsoluteHistogram(100);
    h.add(Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1) * (i / 10)));
    const [lo, hi] = percentileRange(h.histogram, 90, true);
    assert.equal(lo, -hi);
    // |x| is uniform on [0, 99.9]: the 90th percentile is at ≈ 89.9, the left edge of its bin.
    assert.ok(hi > 88.5 && hi <= 89.91, String(hi));
  });

  it('merging batches: a wider batch adds whole bins of the same width on both sides (merge_histogram)', () => {
    const h = new SymmetricHistogram(8);
    h.add(Float32Array.from([-1, -0.6, 0.1, 0.9, 1]));
    const first = Float64Array.from(h.histogram.counts);
    assert.equal(h.histogram.lo, -1);
    h.add(Float32Array.from([-3, 2.9]));
    const merged = h.histogram;
    // stride 0.25; (3 − 1) / 0.25 + 1 = 9 bins added per side: 26 bins over ±3.25.
    assert.equal(merged.counts.length, 26);
    assert.equal(merged.lo, -3.25);
    assert.equal(merged.width, 0.25);
    for (let i = 0; i < 8; i++) assert.ok(merged.counts[9 + i]! >= first[i]!);
    assert.equal(merged.counts.reduce((a, b) => a + b, 0), 7);
    assert.equal(merged.counts[1], 1, '−3 lands in bin 1 ([−3, −2.75))');
    assert.deepEqual([merged.min, merged.max], [-3, Math.fround(2.9)]);
  });

  it('an all-zero first batch is kept when the range grows', () => {
    const h = new SymmetricHistogram(4);
    h.add(new Float32Array(10));
    h.add(Float32Array.from([-2, 2]));
    assert.equal(h.histogram.counts.reduce((a, b) => a + b, 0), 12);
  });
});
