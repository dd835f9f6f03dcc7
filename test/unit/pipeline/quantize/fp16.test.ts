/** float16 conversion: bit-exact rounding and clamping, the block list, Cast / Constant / Resize handling. */
import assert from 'node:assert/strict';
import { openModel } from '../../../../src/core';
import { longToNumber } from '../../../../src/core/long';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { DEFAULT_FP16_BLOCK_LIST, quantize } from '../../../../src/pipeline/quantize';
import { toFloat16 } from '../../../../src/pipeline/quantize/fp16';
import { numberToFloat16Bits } from '../../../../src/pipeline/runtime';
import { L, Scratch, encodeModel, floatInit, intAttr, maxAbsDiff, randoms, runModel, valueInfo } from './helpers';

const hex = (b: Uint16Array) => [...b].map((x) => x.toString(16).padStart(4, '0')).join(' ');

describe('quantize: fp16', function () {
  this.timeout(120000);
  let scratch: Scratch;
  before(() => {
    scratch = new Scratch();
  });
  after(() => scratch.dispose());

  it('rounds to nearest even, clamps beyond ±65504, raises non-zero values below 2^-24, keeps ±Inf / NaN', () => {
    const stats = { clamped: 0, underflowed: 0 };
    const { bits } = toFloat16(Float32Array.from([0, -0, 1, 0.1, 1 / 3, 2049, 2051, 65504, 65505, -1e6, 1e-8, 2 ** -24, Infinity, NaN]), stats);
    assert.equal(hex(bits), '0000 8000 3c00 2e66 3555 6800 6802 7bff 7bff fbff 0001 0001 7c00 7e00');
    assert.deepEqual(stats, { clamped: 2, underflowed: 1 });
  });

  it('matches the reference conversion on 100,000 random bit patterns', () => {
    const u = new Uint32Array(100000);
    let x = 12345;
    for (let i = 0; i < u.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      u[i] = x >>> 0;
    }
    const f = new Float32Array(u.buffer);
    const { bits } = toFloat16(f, { clamped: 0, underflowed: 0 });
    for (let i = 0; i < f.length; i++) {
      const v = f[i]!;
      if (Number.isNaN(v)) continue;
      const a = Math.abs(v);
      const clampedV = a > 65504 && a !== Infinity ? Math.sign(v) * 65504 : a !== 0 && a < 2 ** -24 ? Math.sign(v) * 2 ** -24 : v;
      assert.equal(bits[i], numberToFloat16Bits(clampedV), `${v}`);
    }
  });

  it('block list: a TopK between converted ops stays float32 with Casts; Constant, Cast(to=FLOAT) and Resize scales handled', async () => {
    const model = scratch.write(
      'mixed.onnx',
      encodeModel({
        nodes: [
          { opType: 'MatMul', input: ['x', 'W'], output: ['h'], name: 'mm' },
          { opType: 'TopK', input: ['h', 'k'], output: ['top', 'idx'], name: 'topk', attribute: [intAttr('axis', 1)] },
          { opType: 'Cast', input: ['idx'], output: ['idxf'], name: 'cast', attribute: [intAttr('to', DataType.FLOAT)] },
          { opType: 'Constant', input: [], output: ['c'], name: 'const', attribute: [{ name: 'value', type: 4, t: floatInit('', [1], [1e6]) }] },
          { opType: 'Add', input: ['top', 'idxf'], output: ['s'], name: 'add' },
          { opType: 'Min', input: ['s', 'c'], output: ['m'], name: 'min' },
          { opType: 'Reshape', input: ['m', 'shape'], output: ['m4'], name: 'reshape' },
          { opType: 'Resize', input: ['m4', '', 'scales'], output: ['y'], name: 'resize', attribute: [{ name: 'mode', type: 3, s: Buffer.from('nearest') }] },
        ],
        inputs: [valueInfo('x', 1, [2, 8])],
        outputs: [valueInfo('y', 1, [1, 1, 4, 6])],
        initializers: [
          floatInit('W', [8, 6], randoms(48, 4)),
          { name: 'k', dims: [L(1)], dataType: DataType.INT64, rawData: new Uint8Array(BigInt64Array.of(3n).buffer) },
          { name: 'shape', dims: [L(4)], dataType: DataType.INT64, rawData: new Uint8Array(BigInt64Array.of(1n, 1n, 2n, 3n).buffer) },
          floatInit('scales', [4], [1, 1, 2, 2]),
        ],
      }),
    );
    const r = await quantize({ model, mode: 'fp16', latency: false });
    assert.ok(DEFAULT_FP16_BLOCK_LIST.includes('TopK') && DEFAULT_FP16_BLOCK_LIST.includes('Min') && DEFAULT_FP16_BLOCK_LIST.includes('Resize'));
    assert.deepEqual(r.skipped.map((s) => s.node).sort(), ['min', 'resize', 'topk']);
    assert.equal(r.fp16!.blocked_nodes, 3);
    assert.equal(r.fp16!.clamped, 1, 'the Constant 1e6 is clamped');
    const feeds = { x: { data: randoms(16, 9), dims: [2, 8] } };
    const ref = (await runModel(model, feeds)).y!.data as Float32Array;
    const got = (await runModel(r.output, feeds)).y!.data as Float32Array;
    assert.ok(maxAbsDiff(got, ref) < 1e-2, String(maxAbsDiff(got, ref)));
    const q = await openModel(r.output);
    try {
      const g = q.proto.graph!;
      const cast = g.node!.find((n) => n.name === 'cast')!;
      assert.equal(longToNumber(cast.attribute![0]!.i), DataType.FLOAT16, 'Cast(to=FLOAT) in the converted part casts to FLOAT16');
      assert.equal(g.initializer!.find((t) => t.name === 'scales')!.dataType, DataType.FLOAT, 'Resize scales stay float32');
      assert.equal(g.initializer!.find((t) => t.name === 'W')!.dataType, DataType.FLOAT16);
      const topk = g.node!.find((n) => n.name === 'topk')!;
      assert.match(topk.input![0]!, /_fp32$/, 'the blocked TopK reads a float32 Cast of h');
    } finally {
      await q.close();
    }
  });

  it('a custom block list and op_types narrow what converts', async () => {
    const model = scratch.write(
      'two.onnx',
      encodeModel({
        nodes: [
          { opType: 'MatMul', input: ['x', 'W'], output: ['h'], name: 'mm' },
          { opType: 'Relu', input: ['h'], output: ['y'], name: 'relu' },
        ],
        inputs: [valueInfo('x', 1, ['N', 4])],
        outputs: [valueInfo('y', 1, ['N', 3])],
        initializers: [floatInit('W', [4, 3], randoms(12, 2))],
      }),
    );
    const blocked = await quantize({ model, mode: 'fp16', settings: { fp16_block_list: ['Relu'] }, latency: false });
    assert.deepEqual(blocked.nodes.map((n) => [n.name, n.status]), [['mm', 'converted']]);
    const only = await quantize({ model, mode: 'fp16', settings: { op_types: ['Relu'] }, latency: false });
    assert.deepEqual(only.nodes.map((n) => n.name), ['relu']);
    assert.ok(only.skipped.some((s) => s.node === 'mm' && /op_types/.test(s.reason)));
  });
});
