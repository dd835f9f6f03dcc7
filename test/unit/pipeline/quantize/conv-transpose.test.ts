/**
 * ConvTranspose (decoders, segmentation heads): static QDQ quantizes its weight per output channel on axis 1
 * (weights are [C_in, C_out/group, k…]) with an int32 bias; a grouped one with per-channel weights keeps a float
 * bias. Dynamic mode has no integer ConvTranspose and says so. Model built here:
 * x[N, 4, 5, 5] → ConvTranspose(W1[4, 6, 3, 3], b1; stride 2) → Relu → ConvTranspose(W2[6, 3, 2, 2], b2; group 2) → y.
 */
import assert from 'node:assert/strict';
import { openModel } from '../../../../src/core';
import { longToNumber } from '../../../../src/core/long';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { quantize } from '../../../../src/pipeline/quantize';
import { L, Scratch, encodeModel, floatInit, intAttr, randoms, relError, runModel, valueInfo } from './helpers';

const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v.map(L) });

function decoderModel(): Uint8Array {
  // Output channels of W1 differ in scale (channel c × (1 + c)), so per channel has something to win.
  const w1 = randoms(4 * 6 * 9, 11);
  for (let i = 0; i < w1.length; i++) w1[i]! *= 1 + (Math.floor(i / 9) % 6);
  return encodeModel({
    nodes: [
      { opType: 'ConvTranspose', input: ['x', 'W1', 'b1'], output: ['u'], name: 'up', attribute: [ints('strides', [2, 2])] },
      { opType: 'Relu', input: ['u'], output: ['r'], name: 'relu' },
      { opType: 'ConvTranspose', input: ['r', 'W2', 'b2'], output: ['y'], name: 'up_grouped', attribute: [intAttr('group', 2)] },
    ],
    inputs: [valueInfo('x', 1, ['N', 4, 5, 5])],
    outputs: [valueInfo('y', 1, ['N', 6, 12, 12])],
    initializers: [floatInit('W1', [4, 6, 3, 3], w1), floatInit('b1', [6], randoms(6, 12)), floatInit('W2', [6, 3, 2, 2], randoms(72, 13)), floatInit('b2', [6], randoms(6, 14))],
  });
}

const rowsCsv = (features: number, rows: number, seed: number) => {
  const v = randoms(features * rows, seed);
  const header = Array.from({ length: features }, (_, i) => `f${i}`).join(',');
  return `${header}\n${Array.from({ length: rows }, (_, r) => Array.from(v.subarray(r * features, (r + 1) * features)).join(',')).join('\n')}\n`;
};

describe('quantize: ConvTranspose', function () {
  this.timeout(120000);
  let scratch: Scratch;
  let data: string;
  before(() => {
    scratch = new Scratch();
    data = scratch.write('x100.csv', rowsCsv(100, 120, 17));
  });
  after(() => scratch.dispose());

  for (const perChannel of [false, true]) {
    it(`static${perChannel ? ', per channel (axis 1)' : ''}: QDQ weights and bias, onnxruntime runs it, outputs close`, async () => {
      const model = scratch.write(`decoder-${perChannel}.onnx`, decoderModel());
      const r = await quantize({ model, mode: 'static', data, label: null, settings: { per_channel: perChannel }, latency: false });
      const feed = { x: { data: randoms(3 * 100, 19), dims: [3, 4, 5, 5] } };
      const ref = (await runModel(model, feed)).y!.data as Float32Array;
      const got = (await runModel(r.output, feed)).y!.data as Float32Array;
      const e = relError(got, ref);
      assert.ok(e < 0.05, `relative error ${e.toFixed(4)}`);

      for (const name of ['up', 'up_grouped']) {
        const n = r.nodes.find((x) => x.name === name)!;
        assert.deepEqual([n.op_type, n.status, n.precision], ['ConvTranspose', 'quantized', 'int8'], name);
        assert.ok(n.weight_sqnr_db! > 30 && n.activation_sqnr_db! > 25, `${name}: weight ${n.weight_sqnr_db}, activation ${n.activation_sqnr_db}`);
      }
      assert.ok(r.weight_bytes_after / r.weight_bytes_before < 0.4, `${r.weight_bytes_after} / ${r.weight_bytes_before}`);

      const q = await openModel(r.output);
      try {
        const g = q.proto.graph!;
        const init = (name: string) => g.initializer!.find((t) => t.name === name);
        const dqOf = (name: string) => g.node!.find((n) => n.opType === 'DequantizeLinear' && n.input![0] === name)!;
        assert.equal(init('W1_quantized')!.dataType, DataType.INT8);
        assert.ok(!init('W1') && !init('W2'), 'the float weights are gone');
        const axis = dqOf('W1_quantized').attribute?.find((a) => a.name === 'axis');
        assert.equal(axis ? longToNumber(axis.i) : undefined, perChannel ? 1 : undefined, 'per channel: DequantizeLinear axis 1 (C_out)');
        assert.deepEqual(init(dqOf('W1_quantized').input![1]!)!.dims!.map(longToNumber), perChannel ? [6] : []);
        assert.deepEqual(init(dqOf('W2_quantized').input![1]!)!.dims!.map(longToNumber), perChannel ? [3] : [], 'grouped: C_out / group scales');
        assert.equal(init('b1_quantized')!.dataType, DataType.INT32, 'bias is int32');
        // Grouped with per-channel weights: 3 scales cannot serve 6 bias values one to one, so b2 stays float.
        assert.equal(init('b2')?.dataType, perChannel ? DataType.FLOAT : undefined);
        assert.equal(init('b2_quantized')?.dataType, perChannel ? undefined : DataType.INT32);
      } finally {
        await q.close();
      }
    });
  }

  it('per channel is more accurate than per tensor on channels of different scales (weight SQNR)', async () => {
    const sqnr = async (perChannel: boolean) => {
      const model = scratch.write(`decoder-sqnr-${perChannel}.onnx`, decoderModel());
      const r = await quantize({ model, mode: 'static', calibration: data, settings: { per_channel: perChannel }, latency: false, sqnrRows: 0 });
      return r.nodes.find((x) => x.name === 'up')!.weight_sqnr_db!;
    };
    const [tensor, channel] = [await sqnr(false), await sqnr(true)];
    assert.ok(channel > tensor + 3, `per channel ${channel} dB vs per tensor ${tensor} dB`);
  });

  it('dynamic leaves ConvTranspose in float and says why; a model of ConvTransposes only is refused with that reason', async () => {
    const model = scratch.write(
      'decoder-head.onnx',
      encodeModel({
        nodes: [
          { opType: 'ConvTranspose', input: ['x', 'W1', 'b1'], output: ['u'], name: 'up', attribute: [ints('strides', [2, 2])] },
          { opType: 'Flatten', input: ['u'], output: ['f'], name: 'flatten' },
          { opType: 'MatMul', input: ['f', 'W'], output: ['y'], name: 'head' },
        ],
        inputs: [valueInfo('x', 1, ['N', 4, 5, 5])],
        outputs: [valueInfo('y', 1, ['N', 3])],
        initializers: [floatInit('W1', [4, 6, 3, 3], randoms(216, 11)), floatInit('b1', [6], randoms(6, 12)), floatInit('W', [726, 3], randoms(726 * 3, 15))],
      }),
    );
    const r = await quantize({ model, mode: 'dynamic', latency: false });
    assert.deepEqual(r.nodes.map((n) => n.name), ['head']);
    const skip = r.skipped.find((s) => s.node === 'up')!;
    assert.match(skip.reason, /no integer ConvTranspose.*use static mode/);
    const feed = { x: { data: randoms(2 * 100, 23), dims: [2, 4, 5, 5] } };
    const e = relError((await runModel(r.output, feed)).y!.data as Float32Array, (await runModel(model, feed)).y!.data as Float32Array);
    assert.ok(e < 0.05, `relative error ${e.toFixed(4)}`);

    const only = scratch.write('decoder-only.onnx', decoderModel());
    await assert.rejects(quantize({ model: only, mode: 'dynamic', latency: false }), (err: Error) => /no quantizable ops.*up \(dynamic quantization has no integer ConvTranspose/.test(err.message));
  });
});
