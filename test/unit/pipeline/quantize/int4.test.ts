/**
 * 4-bit block packing in MatMulNBits' layout: hand-computed bytes, then onnxruntime's MatMulNBits kernel against a
 * float reference computed from our own dequantization (so layout, scales and zero points are all checked).
 */
import assert from 'node:assert/strict';
import { dequantizeBlockwise4, quantizeBlockwise4, quantizeBlockwise4KN } from '../../../../src/pipeline/quantize';
import { L, Scratch, encodeModel, floatInit, intAttr, maxAbsDiff, randoms, runModel, valueInfo } from './helpers';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('quantize: int4 block packing (MatMulNBits layout)', () => {
  it('symmetric: the value of largest magnitude maps to code 0 (scale = it / −8); element 2i in the low nibble', () => {
    // Values k − 8: the extreme is −8, scale 1, code = v + 8 = k.
    const q = quantizeBlockwise4(Float32Array.from({ length: 16 }, (_, k) => k - 8), 1, 16, 16, true);
    assert.equal(hex(q.packed), '10 32 54 76 98 ba dc fe');
    assert.deepEqual([...q.scales], [1]);
    assert.equal(q.zeroPoints, undefined);
    // A positive extreme gives a negative scale: 8 → code 0, 0 → 8, −4 → 12, 2 → 6.
    const w = new Float32Array(16);
    w.set([8, 0, -4, 2]);
    const p = quantizeBlockwise4(w, 1, 16, 16, true);
    assert.deepEqual([...p.scales], [-1]);
    assert.equal(hex(p.packed), '80 6c 88 88 88 88 88 88');
  });

  it('asymmetric: scale = (max − min) / 15 with 0 in the range, zero points packed two per byte, low nibble = first block', () => {
    const w = new Float32Array(32);
    for (let k = 0; k < 16; k++) w[k] = k - 5; // [−5, 10]: scale 1, zero point 5
    for (let k = 0; k < 16; k++) w[16 + k] = 2 * k; // [0, 30]: scale 2, zero point 0
    const q = quantizeBlockwise4(w, 1, 32, 16, false);
    assert.deepEqual([...q.scales], [1, 2]);
    assert.equal(hex(q.zeroPoints!), '05');
    assert.equal(hex(q.packed), '10 32 54 76 98 ba dc fe 10 32 54 76 98 ba dc fe');
  });

  it('pads the last block with the zero point; rows of zero points pad to whole bytes', () => {
    const w = new Float32Array(2 * 20);
    w.set([1, 2, 3, -1.5], 16); // row 0, block 1: [−1.5, 3] → scale 0.3, zero point 5
    const q = quantizeBlockwise4(w, 2, 20, 16, false);
    assert.equal(q.blocks, 2);
    assert.equal(q.packed.length, 2 * 2 * 8);
    // Row 0, block 1: codes 8, 12, 15, 0, then padding 5.
    assert.equal(hex(q.packed.subarray(8, 16)), 'c8 0f 55 55 55 55 55 55');
    // Two blocks per row → one zero-point byte per row: row 0 = (block0 0, block1 5), row 1 = (0, 0).
    assert.equal(hex(q.zeroPoints!), '50 00');
  });

  it('dequantizes back within half a step (asymmetric) or one step (symmetric: the side opposite the extreme clips at code 15)', () => {
    const N = 5;
    const K = 70;
    const w = randoms(N * K, 3);
    for (const symmetric of [true, false]) {
      const q = quantizeBlockwise4(w, N, K, 32, symmetric);
      const d = dequantizeBlockwise4(q, N, K, 32);
      for (let n = 0; n < N; n++) {
        for (let k = 0; k < K; k++) {
          const s = Math.abs(q.scales[n * q.blocks + Math.floor(k / 32)]!);
          assert.ok(Math.abs(d[n * K + k]! - w[n * K + k]!) <= (symmetric ? s : s / 2) + 1e-6, `n ${n} k ${k}`);
        }
      }
    }
  });

  it("quantizing MatMul's [K, N] layout directly gives the same bytes as transposing first (odd K, padding, both modes)", () => {
    for (const [K, N, bs] of [[37, 5, 16], [256, 3, 128], [100, 24, 32]] as const) {
      const wKN = randoms(K * N, K + N);
      const wNK = new Float32Array(N * K);
      for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) wNK[n * K + k] = wKN[k * N + n]!;
      for (const symmetric of [true, false]) {
        const a = quantizeBlockwise4(wNK, N, K, bs, symmetric);
        const b = quantizeBlockwise4KN(wKN, K, N, bs, symmetric);
        assert.deepEqual([...b.packed], [...a.packed], `K ${K} N ${N} symmetric ${symmetric}`);
        assert.deepEqual([...b.scales], [...a.scales]);
        assert.deepEqual(b.zeroPoints && [...b.zeroPoints], a.zeroPoints && [...a.zeroPoints]);
        assert.ok(Math.abs(a.noise - b.noise) <= 1e-9 * a.signal);
      }
    }
  });

  it('onnxruntime MatMulNBits computes A · dequantized(B) (K not a multiple of the block, both zero-point modes)', async () => {
    const scratch = new Scratch();
    try {
      const M = 3;
      const K = 100;
      const N = 24;
      const bs = 32;
      const wKN = randoms(K * N, 11);
      const wNK = new Float32Array(N * K);
      for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) wNK[n * K + k] = wKN[k * N + n]!;
      const a = randoms(M * K, 5);
      for (const symmetric of [true, false]) {
        const q = quantizeBlockwise4(wNK, N, K, bs, symmetric);
        const deq = dequantizeBlockwise4(q, N, K, bs);
        const ref = new Float32Array(M * N);
        for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[m * K + k]! * deq[n * K + k]!;
          ref[m * N + n] = s;
        }
        const inits = [
          { name: 'B', dims: [L(N), L(q.blocks), L(bs / 2)], dataType: 2, rawData: q.packed },
          floatInit('S', [N * q.blocks], q.scales),
          ...(q.zeroPoints ? [{ name: 'Z', dims: [L(q.zeroPoints.length)], dataType: 2, rawData: q.zeroPoints }] : []),
        ];
        const file = scratch.write(
          `nbits-${symmetric}.onnx`,
          encodeModel({
            nodes: [
              {
                opType: 'MatMulNBits',
                domain: 'com.microsoft',
                input: ['A', 'B', 'S', ...(q.zeroPoints ? ['Z'] : [])],
                output: ['Y'],
                attribute: [intAttr('K', K), intAttr('N', N), intAttr('bits', 4), intAttr('block_size', bs)],
              },
            ],
            inputs: [valueInfo('A', 1, [M, K])],
            outputs: [valueInfo('Y', 1, [M, N])],
            initializers: inits,
            domains: [{ domain: 'com.microsoft', version: 1 }],
          }),
        );
        const y = (await runModel(file, { A: { data: a, dims: [M, K] } })).Y!.data as Float32Array;
        assert.ok(maxAbsDiff(y, ref) < 1e-4, `symmetric=${symmetric}: |ORT − reference| = ${maxAbsDiff(y, ref)}`);
      }
    } finally {
      scratch.dispose();
    }
  });
});
