/**
 * Op patterns beyond the digits models: Gemm with transB / α / β, shared weights, an intermediate tensor that is
 * also a graph output, grouped Conv without bias, Gemm with transA (skipped), and Debian's libonnx-testdata
 * PyTorch exports (opset 6, weights listed as graph inputs). Every output is run by onnxruntime and compared with
 * the float model's outputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openModel, readTensorProtoFile } from '../../../../src/core';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { quantize } from '../../../../src/pipeline/quantize';
import type { QuantizeMode } from '../../../../src/protocol/quantize';
import { L, Scratch, testData, encodeModel, floatAttr, floatInit, intAttr, randoms, runModel, valueInfo } from './helpers';

/** ‖a − b‖ / ‖b‖. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  let d = 0;
  for (let i = 0; i < b.length; i++) {
    n += (a[i]! - b[i]!) ** 2;
    d += b[i]! ** 2;
  }
  return Math.sqrt(n / d);
}

const TOLERANCE: Record<QuantizeMode, number> = { dynamic: 0.05, static: 0.08, fp16: 0.005, int4: 0.25 };

/**
 * x[N,8] → MatMul W1 → h1 (also a graph output) → Gemm(W2ᵀ, C2; α 0.5, β 2) → h2 → Relu → Gemm(W3) → y;
 * x → MatMul W1 (the same weight) → y2; with `transA`, also T → Gemm with transA → y3 (skipped by dynamic / int4).
 */
function patternsModel(transA: boolean): Uint8Array {
  return encodeModel({
    nodes: [
      { opType: 'MatMul', input: ['x', 'W1'], output: ['h1'], name: 'mm1' },
      { opType: 'Gemm', input: ['h1', 'W2', 'C2'], output: ['h2'], name: 'gemm_tb', attribute: [intAttr('transB', 1), floatAttr('alpha', 0.5), floatAttr('beta', 2)] },
      { opType: 'Relu', input: ['h2'], output: ['r2'], name: 'relu' },
      { opType: 'Gemm', input: ['r2', 'W3'], output: ['y'], name: 'gemm_plain' },
      { opType: 'MatMul', input: ['x', 'W1'], output: ['y2'], name: 'mm_shared' },
      ...(transA ? [{ opType: 'Gemm', input: ['T', 'W4'], output: ['y3'], name: 'gemm_ta', attribute: [intAttr('transA', 1)] }] : []),
    ],
    inputs: [valueInfo('x', 1, ['N', 8]), ...(transA ? [valueInfo('T', 1, [6, 2])] : [])],
    outputs: [valueInfo('y', 1, ['N', 4]), valueInfo('h1', 1, ['N', 16]), valueInfo('y2', 1, ['N', 16]), ...(transA ? [valueInfo('y3', 1, [2, 3])] : [])],
    initializers: [
      floatInit('W1', [8, 16], randoms(128, 1)),
      floatInit('W2', [6, 16], randoms(96, 2)),
      floatInit('C2', [6], randoms(6, 3)),
      floatInit('W3', [6, 4], randoms(24, 4)),
      floatInit('W4', [6, 3], randoms(18, 5)),
    ],
  });
}

/** Depthwise Conv without bias (group 4) → Relu → Conv with bias. */
function convModel(): Uint8Array {
  return encodeModel({
    nodes: [
      { opType: 'Conv', input: ['x', 'Wd'], output: ['d'], name: 'depthwise', attribute: [intAttr('group', 4), { name: 'pads', type: 7, ints: [1, 1, 1, 1].map(L) }] },
      { opType: 'Relu', input: ['d'], output: ['r'], name: 'relu' },
      { opType: 'Conv', input: ['r', 'Wp', 'bp'], output: ['y'], name: 'pointwise' },
    ],
    inputs: [valueInfo('x', 1, ['N', 4, 6, 6])],
    outputs: [valueInfo('y', 1, ['N', 5, 6, 6])],
    initializers: [floatInit('Wd', [4, 1, 3, 3], randoms(36, 8)), floatInit('Wp', [5, 4, 1, 1], randoms(20, 9)), floatInit('bp', [5], randoms(5, 10))],
  });
}

describe('quantize: op patterns and other models', function () {
  this.timeout(120000);
  let scratch: Scratch;
  before(() => {
    scratch = new Scratch();
  });
  after(() => scratch.dispose());

  const rowsCsv = (features: number, rows: number, seed: number) => {
    const v = randoms(features * rows, seed);
    const header = Array.from({ length: features }, (_, i) => `f${i}`).join(',');
    return `${header}\n${Array.from({ length: rows }, (_, r) => Array.from(v.subarray(r * features, (r + 1) * features)).join(',')).join('\n')}\n`;
  };

  for (const mode of ['dynamic', 'static', 'fp16', 'int4'] as const) {
    it(`${mode}: Gemm transB/α/β, shared weight, intermediate graph output${mode === 'static' ? '' : ', Gemm transA'}`, async () => {
      // Static calibrates from one CSV, which feeds one input: its model has no second (transA) branch.
      const transA = mode !== 'static';
      const model = scratch.write(`patterns-${mode}.onnx`, patternsModel(transA));
      const data = scratch.write('x8.csv', rowsCsv(8, 200, 21));
      const r = await quantize({ model, mode, calibration: mode === 'static' ? data : undefined, latency: false });
      const feeds = { x: { data: randoms(5 * 8, 99), dims: [5, 8] }, ...(transA ? { T: { data: randoms(12, 98), dims: [6, 2] } } : {}) };
      const ref = await runModel(model, feeds);
      const got = await runModel(r.output, feeds);
      for (const name of ['y', 'h1', 'y2', ...(transA ? ['y3'] : [])]) {
        const e = relError(got[name]!.data as Float32Array, ref[name]!.data as Float32Array);
        assert.ok(e < TOLERANCE[mode], `${mode} ${name}: relative error ${e.toFixed(4)}`);
        assert.equal(got[name]!.type, 'float32', `${name} stays float32`);
      }
      if (mode === 'dynamic' || mode === 'int4') {
        assert.ok(r.skipped.some((s) => s.node === 'gemm_ta' && /transA/.test(s.reason)), JSON.stringify(r.skipped));
        assert.equal(r.nodes.filter((n) => n.weight === 'W1').length, 2, 'both readers of W1 quantized');
      }
    });
  }

  it('static, per channel: Gemm with α/β ≠ 1 keeps its float C, its weight is replaced', async () => {
    const model = scratch.write(
      'single.onnx',
      encodeModel({
        nodes: [
          { opType: 'MatMul', input: ['x', 'W1'], output: ['h1'], name: 'mm1' },
          { opType: 'Gemm', input: ['h1', 'W2', 'C2'], output: ['y'], name: 'gemm_tb', attribute: [intAttr('transB', 1), floatAttr('alpha', 0.5), floatAttr('beta', 2)] },
        ],
        inputs: [valueInfo('x', 1, ['N', 8])],
        outputs: [valueInfo('y', 1, ['N', 6]), valueInfo('h1', 1, ['N', 16])],
        initializers: [floatInit('W1', [8, 16], randoms(128, 1)), floatInit('W2', [6, 16], randoms(96, 2)), floatInit('C2', [6], randoms(6, 3))],
      }),
    );
    const data = scratch.write('x8b.csv', rowsCsv(8, 200, 22));
    const r = await quantize({ model, mode: 'static', calibration: data, settings: { per_channel: true }, latency: false });
    const feeds = { x: { data: randoms(5 * 8, 97), dims: [5, 8] } };
    const ref = await runModel(model, feeds);
    const got = await runModel(r.output, feeds);
    for (const name of ['y', 'h1']) assert.ok(relError(got[name]!.data as Float32Array, ref[name]!.data as Float32Array) < TOLERANCE.static, name);
    // α ≠ 1 and β ≠ 1: the Gemm keeps its float C (no int32 bias).
    const q = await openModel(r.output);
    try {
      assert.ok(q.proto.graph!.initializer!.some((t) => t.name === 'C2' && t.dataType === DataType.FLOAT));
      assert.ok(!q.proto.graph!.initializer!.some((t) => t.name === 'W2'));
    } finally {
      await q.close();
    }
  });

  for (const mode of ['dynamic', 'static', 'fp16'] as const) {
    it(`${mode}: depthwise Conv without bias, per-channel`, async () => {
      const model = scratch.write(`conv-${mode}.onnx`, convModel());
      const data = scratch.write('conv.csv', rowsCsv(144, 100, 31));
      const r = await quantize({ model, mode, calibration: mode === 'static' ? data : undefined, settings: { per_channel: true }, latency: false });
      const feeds = { x: { data: randoms(2 * 144, 77), dims: [2, 4, 6, 6] } };
      const ref = (await runModel(model, feeds)).y!.data as Float32Array;
      const got = (await runModel(r.output, feeds)).y!.data as Float32Array;
      assert.ok(relError(got, ref) < TOLERANCE[mode], `${mode}: ${relError(got, ref)}`);
      assert.ok(r.nodes.filter((n) => n.op_type === 'Conv').length === 2);
    });
  }

  it('libonnx-testdata (opset 6, weights also graph inputs): fp16 converts the compute and matches the reference output', async () => {
    for (const name of ['pytorch-converted/test_Conv2d', 'pytorch-converted/test_Conv2d_groups', 'pytorch-converted/test_Conv2d_depthwise', 'pytorch-operator/test_operator_conv']) {
      const dir = testData(name);
      const model = scratch.copy(join(dir, 'model.onnx'), `${name.replace('/', '_')}.onnx`);
      const r = await quantize({ model, mode: 'fp16', latency: false });
      const input = await readTensorProtoFile(join(dir, 'test_data_set_0/input_0.pb'));
      const expected = await readTensorProtoFile(join(dir, 'test_data_set_0/output_0.pb'));
      const q = await openModel(r.output);
      const [inName, outName] = [q.proto.graph!.input![0]!.name!, q.proto.graph!.output![0]!.name!];
      await q.close();
      const got = (await runModel(r.output, { [inName]: { data: input.values as Float32Array, dims: [...input.dims] } }))[outName]!.data as Float32Array;
      assert.ok(relError(got, expected.values as Float32Array) < 0.005, `${name}: ${relError(got, expected.values as Float32Array)}`);
    }
  });

  it('libonnx-testdata: int8/int4 explain why weights that are graph inputs are not quantized', async () => {
    const model = scratch.copy(testData('pytorch-converted/test_Linear/model.onnx'), 'linear6.onnx');
    await assert.rejects(quantize({ model, mode: 'int4', latency: false }), (e: Error) => /weight is also a graph input.*remove initializers from the graph inputs/.test(e.message));
    assert.ok(readFileSync(model).length > 0);
  });
});
