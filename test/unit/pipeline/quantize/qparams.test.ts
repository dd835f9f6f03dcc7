/**
 * Known answers for the scale / zero-point arithmetic (values computed by hand from onnxruntime's quant_utils formulas)
 * and a cross-check of our rounding against onnxruntime's own QuantizeLinear kernel.
 */
import assert from 'node:assert/strict';
import {
  SQNR_CAP_DB,
  computeScaleZeroPoint,
  quantRange,
  quantizeBiasInt32,
  quantizeInt8,
  quantizeValue,
  roundHalfEven,
  sqnrFromSums,
  typeRange,
} from '../../../../src/pipeline/quantize';
import { Scratch, encodeModel, floatInit, randoms, valueInfo } from './helpers';
import { loadOrt } from '../../../../src/pipeline/runtime';

const f32 = Math.fround;

describe('quantize: scale, zero point, rounding', () => {
  it('quantized ranges match onnxruntime get_qmin_qmax_for_qType', () => {
    assert.deepEqual(quantRange('uint8', false, false), { qmin: 0, qmax: 255 });
    assert.deepEqual(quantRange('uint8', true, false), { qmin: 0, qmax: 127 });
    assert.deepEqual(quantRange('int8', false, false), { qmin: -128, qmax: 127 });
    assert.deepEqual(quantRange('int8', false, true), { qmin: -127, qmax: 127 });
    assert.deepEqual(quantRange('int8', true, true), { qmin: -64, qmax: 64 });
    assert.deepEqual(quantRange('int8', true, false), { qmin: -64, qmax: 64 });
    assert.deepEqual(typeRange('int8'), { qmin: -128, qmax: 127 });
  });

  it('asymmetric per-tensor: range widened to include 0, zero point = round(qmin − rmin / scale)', () => {
    // [-1, 2] on uint8: scale 3/255, zero point 1/(3/255) = 85.
    assert.deepEqual(computeScaleZeroPoint(-1, 2, quantRange('uint8', false, false), false), { scale: f32(3 / 255), zeroPoint: 85 });
    // On int8 the zero point moves by −128: −43.
    assert.deepEqual(computeScaleZeroPoint(-1, 2, quantRange('int8', false, false), false), { scale: f32(3 / 255), zeroPoint: -43 });
    // [1, 3] does not hold 0: widened to [0, 3].
    assert.deepEqual(computeScaleZeroPoint(1, 3, quantRange('uint8', false, false), false), { scale: f32(3 / 255), zeroPoint: 0 });
  });

  it('symmetric: ±max|r|, zero point round((qmin + qmax) / 2), half to even for uint8 (127.5 → 128)', () => {
    assert.deepEqual(computeScaleZeroPoint(-1, 2, quantRange('int8', false, true), true), { scale: f32(4 / 254), zeroPoint: 0 });
    assert.deepEqual(computeScaleZeroPoint(-1, 2, quantRange('uint8', false, true), true), { scale: f32(4 / 255), zeroPoint: 128 });
  });

  it('reduce_range: 7-bit symmetric int8 is [-64, 64]', () => {
    assert.deepEqual(computeScaleZeroPoint(-1, 2, quantRange('int8', true, true), true), { scale: 4 / 128, zeroPoint: 0 });
  });

  it('a degenerate range gives scale 1 and zero point 0', () => {
    assert.deepEqual(computeScaleZeroPoint(0, 0, quantRange('int8', false, false), false), { scale: 1, zeroPoint: 0 });
    assert.deepEqual(computeScaleZeroPoint(0, 1e-40, quantRange('int8', false, false), false), { scale: 1, zeroPoint: 0 });
  });

  it('rounds half to even like numpy.round and ONNX QuantizeLinear', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven).map((v) => v + 0), [0, 2, 2, 4, 0, -2, -2, 2, 3]);
  });

  it('saturates to the type range', () => {
    const i8 = typeRange('int8');
    const u8 = typeRange('uint8');
    assert.equal(quantizeValue(200, 1, 0, i8), 127);
    assert.equal(quantizeValue(-200, 1, 0, i8), -128);
    assert.equal(quantizeValue(-5, 1, 0, u8), 0);
    assert.equal(quantizeValue(300, 1, 10, u8), 255);
    assert.equal(quantizeValue(2.5, 1, 10, u8), 12);
  });
});

describe('quantize: weights', () => {
  it('per tensor, symmetric int8 (scale 1: exact halves round to even)', () => {
    const q = quantizeInt8(Float32Array.from([-127, 0.5, 1.5, 2.5, 127, -2.5]), [6], { kind: 'int8', symmetric: true, reduceRange: false });
    assert.deepEqual([...q.values], [-127, 0, 2, 2, 127, -2]);
    assert.deepEqual([...q.scales], [1]);
    assert.deepEqual([...q.zeroPoints], [0]);
    // Errors 0.5, 0.5, 0.5, 0.5: Σ(x − y)² = 1.
    assert.equal(q.noise, 1);
  });

  it('per channel along axis 0 (Conv / Gemm-transB weights) and axis 1 (MatMul weights)', () => {
    const w = Float32Array.from([-127, 0.5, 63.5, 254, -3, 5]); // [2, 3]
    const rows = quantizeInt8(w, [2, 3], { kind: 'int8', symmetric: true, reduceRange: false, axis: 0 });
    assert.deepEqual([...rows.scales], [1, 2]);
    assert.deepEqual([...rows.values], [-127, 0, 64, 127, -2, 2]);
    const cols = quantizeInt8(w, [2, 3], { kind: 'int8', symmetric: true, reduceRange: false, axis: 1 });
    assert.deepEqual([...cols.scales], [2, f32(3 / 127), 0.5]);
    assert.deepEqual([...cols.values], [-64, 21, 127, 127, -127, 10]);
  });

  it('asymmetric uint8 and reduce_range', () => {
    const u = quantizeInt8(Float32Array.from([0, 255, 127.5, 126.5, 3.5]), [5], { kind: 'uint8', symmetric: false, reduceRange: false });
    assert.deepEqual([...u.values], [0, 255, 128, 126, 4]);
    assert.deepEqual([...u.zeroPoints], [0]);
    const r = quantizeInt8(Float32Array.from([-64, 64, 10.5, 11.5]), [4], { kind: 'int8', symmetric: true, reduceRange: true });
    assert.deepEqual([...r.scales], [1]);
    assert.deepEqual([...r.values], [-64, 64, 10, 12]);
  });

  it('asymmetric int8 with a non-zero zero point dequantizes within half a step', () => {
    const x = Float32Array.from([-1, -0.25, 0, 0.7, 2]);
    const q = quantizeInt8(x, [5], { kind: 'int8', symmetric: false, reduceRange: false });
    assert.equal(q.zeroPoints[0], -43);
    const s = q.scales[0]!;
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs((q.values[i]! - q.zeroPoints[0]!) * s - x[i]!) <= s / 2 + 1e-7);
    assert.equal(q.values[2], -43, 'zero is exact');
  });

  it('int32 bias: scale = input scale × weight scale (per channel too), zero point 0', () => {
    const b = Float32Array.from([1, -2.5, 3]);
    assert.deepEqual([...quantizeBiasInt32(b, 0.5, Float32Array.from([1]))!.values], [2, -5, 6]);
    const pc = quantizeBiasInt32(b, 0.5, Float32Array.from([1, 2, 4]))!;
    assert.deepEqual([...pc.scales], [0.5, 1, 2]);
    assert.deepEqual([...pc.values], [2, -2, 2]);
    assert.equal(quantizeBiasInt32(b, 1e-30, Float32Array.from([1e-30])), undefined, 'a scale that underflows keeps the bias float');
  });

  it('agrees with onnxruntime QuantizeLinear element for element (int8 and uint8, per tensor)', async () => {
    const scratch = new Scratch();
    try {
      const x = randoms(4096, 7).map((v) => v * 3);
      // Exact halves too: multiples of scale/2.
      for (let i = 0; i < 64; i++) x[i] = (i - 32) * 0.5 * 0.25;
      for (const kind of ['int8', 'uint8'] as const) {
        const q = quantizeInt8(x, [x.length], { kind, symmetric: false, reduceRange: false });
        const file = scratch.write(
          `ql-${kind}.onnx`,
          encodeModel({
            nodes: [{ opType: 'QuantizeLinear', input: ['X', 's', 'z'], output: ['Y'] }],
            inputs: [valueInfo('X', 1, [x.length])],
            outputs: [valueInfo('Y', kind === 'int8' ? 3 : 2, [x.length])],
            initializers: [
              floatInit('s', [], [q.scales[0]!]),
              { name: 'z', dims: [], dataType: kind === 'int8' ? 3 : 2, rawData: kind === 'int8' ? new Uint8Array(Int8Array.of(q.zeroPoints[0]!).buffer) : Uint8Array.of(q.zeroPoints[0]!) },
            ],
          }),
        );
        const ort = loadOrt();
        const s = await ort.InferenceSession.create(file, { logSeverityLevel: 4 });
        const y = (await s.run({ X: new ort.Tensor('float32', x, [x.length]) })).Y!.data as Int8Array | Uint8Array;
        await s.release();
        assert.deepEqual([...q.values], [...y], `${kind}: our weights = onnxruntime's QuantizeLinear`);
      }
    } finally {
      scratch.dispose();
    }
  });
});

describe('quantize: SQNR', () => {
  it('is 20·log10(‖x‖ / ‖x − y‖), capped for identical and all-zero tensors', () => {
    // x = [3, 4] (‖x‖ = 5), y = [3, 4.5] (‖x − y‖ = 0.5): 20 dB.
    assert.equal(sqnrFromSums(25, 0.25), 20);
    assert.equal(sqnrFromSums(100, 0), SQNR_CAP_DB);
    assert.equal(sqnrFromSums(0, 0), SQNR_CAP_DB);
    assert.equal(sqnrFromSums(0, 1), -SQNR_CAP_DB);
  });
});
