import assert from 'node:assert/strict';
import { FLOAT, TempDir, assertAllVerified, assertSameOutputs, flt, initValues, int, node, optimize, positive, rawFloat, tensorInfo, values, writeSpec } from './helpers';

describe('optimize: fuse-bn and fuse-matmul-add-bias-into-gemm', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  const gamma = positive(3, 11);
  const beta = values(3, 12);
  const mean = values(3, 13);
  const variance = positive(3, 14, 0.1);
  const bnInits = () => [rawFloat('g', [3], gamma), rawFloat('b', [3], beta), rawFloat('m', [3], mean), rawFloat('v', [3], variance)];
  const eps = 1e-3;
  const bn = (x: string, y: string) => node('BatchNormalization', [x, 'g', 'b', 'm', 'v'], [y], { attribute: [flt('epsilon', eps)] });
  /** Hand computation: s = γ/√(var+ε), t = β − mean·s. */
  const s = gamma.map((g, c) => g / Math.sqrt(variance[c]! + eps));
  const t = beta.map((b, c) => b - mean[c]! * s[c]!);
  const f32 = (v: number) => Math.fround(v);

  it('folds BatchNormalization into the Conv before it (weights checked by hand)', async () => {
    const w = values(3 * 2 * 3 * 3, 1);
    const b = values(3, 2);
    const file = writeSpec(tmp, 'conv_bn.onnx', {
      nodes: [node('Conv', ['X', 'W', 'B'], ['C'], { attribute: [] }), bn('C', 'Y'), node('Relu', ['Y'], ['Z'])],
      inputs: [tensorInfo('X', FLOAT, ['N', 2, 5, 5])],
      outputs: [tensorInfo('Z', FLOAT, ['N', 3, 3, 3])],
      initializers: [rawFloat('W', [3, 2, 3, 3], w), rawFloat('B', [3], b), ...bnInits()],
    });
    const { result, model, ops } = await optimize(file, tmp.path('conv_bn.opt.onnx'), { passes: ['fuse-bn'] });
    try {
      assert.deepEqual(ops, ['Conv', 'Relu']);
      assert.equal(result.passes[0]!.changes, 1);
      assertAllVerified(result);
      const conv = model.proto.graph!.node![0]!;
      assert.equal(conv.output![0], 'Y');
      const w2 = await initValues(model, conv.input![1]!);
      const b2 = await initValues(model, conv.input![2]!);
      w.forEach((v, i) => assert.ok(Math.abs(w2[i]! - f32(v * s[Math.floor(i / 18)]!)) < 1e-6, `W'[${i}]`));
      b.forEach((v, c) => assert.ok(Math.abs(b2[c]! - f32(v * s[c]! + t[c]!)) < 1e-6, `B'[${c}]`));
      assert.ok(result.max_abs_diff !== null && result.max_abs_diff < 1e-4);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('conv_bn.opt.onnx'));
  });

  it('folds into a Conv without bias; with all passes the replaced weights are then dropped as unused', async () => {
    const file = writeSpec(tmp, 'conv_nobias_bn.onnx', {
      nodes: [node('Conv', ['X', 'W'], ['C'], { attribute: [] }), bn('C', 'Y')],
      inputs: [tensorInfo('X', FLOAT, [1, 2, 4, 4])],
      outputs: [tensorInfo('Y', FLOAT, [1, 3, 2, 2])],
      initializers: [rawFloat('W', [3, 2, 3, 3], values(54, 3)), ...bnInits()],
    });
    const { result, model, ops } = await optimize(file, tmp.path('conv_nobias_bn.opt.onnx'));
    try {
      assert.deepEqual(ops, ['Conv']);
      assertAllVerified(result);
      const b2 = await initValues(model, model.proto.graph!.node![0]!.input![2]!);
      t.forEach((v, c) => assert.ok(Math.abs(b2[c]! - v) < 1e-6));
      assert.equal(model.proto.graph!.initializer!.length, 2, 'only W′ and B′ remain');
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('conv_nobias_bn.opt.onnx'));
  });

  it('folds BatchNormalization into Gemm (transB, bias) and into a 2-D MatMul (→ Gemm)', async () => {
    const gemmFile = writeSpec(tmp, 'gemm_bn.onnx', {
      nodes: [node('Gemm', ['X', 'W', 'C'], ['H'], { attribute: [int('transB', 1), flt('beta', 0.5), flt('alpha', 2)] }), bn('H', 'Y')],
      inputs: [tensorInfo('X', FLOAT, ['N', 4])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3])],
      initializers: [rawFloat('W', [3, 4], values(12, 4)), rawFloat('C', [3], values(3, 5)), ...bnInits()],
    });
    const g = await optimize(gemmFile, tmp.path('gemm_bn.opt.onnx'), { passes: ['fuse-bn'] });
    await g.model.close();
    assert.deepEqual(g.ops, ['Gemm']);
    assertAllVerified(g.result);
    await assertSameOutputs(gemmFile, tmp.path('gemm_bn.opt.onnx'));

    const mmFile = writeSpec(tmp, 'matmul_bn.onnx', {
      nodes: [node('MatMul', ['X', 'W'], ['H']), bn('H', 'Y')],
      inputs: [tensorInfo('X', FLOAT, ['N', 4])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3])],
      initializers: [rawFloat('W', [4, 3], values(12, 6)), ...bnInits()],
    });
    const m = await optimize(mmFile, tmp.path('matmul_bn.opt.onnx'), { passes: ['fuse-bn'] });
    await m.model.close();
    assert.deepEqual(m.ops, ['Gemm']);
    await assertSameOutputs(mmFile, tmp.path('matmul_bn.opt.onnx'));
  });

  it('leaves a BatchNormalization whose input is read elsewhere, or a 3-D MatMul, alone', async () => {
    const file = writeSpec(tmp, 'bn_shared.onnx', {
      nodes: [node('Conv', ['X', 'W'], ['C'], { attribute: [] }), bn('C', 'Y'), node('MatMul', ['X3', 'W2'], ['H']), bn('H', 'Y2')],
      inputs: [tensorInfo('X', FLOAT, [1, 2, 3, 3]), tensorInfo('X3', FLOAT, [2, 3, 4])],
      outputs: [tensorInfo('Y', FLOAT, [1, 3, 3, 3]), tensorInfo('C', FLOAT, [1, 3, 3, 3]), tensorInfo('Y2', FLOAT, [2, 3, 3])],
      initializers: [rawFloat('W', [3, 2, 1, 1], values(6, 7)), rawFloat('W2', [4, 3], values(12, 8)), ...bnInits()],
    });
    const { result, model, ops } = await optimize(file, tmp.path('bn_shared.opt.onnx'), { passes: ['fuse-bn'] });
    await model.close();
    assert.deepEqual(ops, ['Conv', 'BatchNormalization', 'MatMul', 'BatchNormalization']);
    assert.equal(result.passes[0]!.changes, 0);
  });

  it('fuses MatMul + Add of a bias into Gemm for 2-D inputs only', async () => {
    const file = writeSpec(tmp, 'mm_add.onnx', {
      nodes: [node('MatMul', ['X', 'W'], ['H']), node('Add', ['B', 'H'], ['Y']), node('MatMul', ['X3', 'W'], ['H3']), node('Add', ['H3', 'B'], ['Y3'])],
      inputs: [tensorInfo('X', FLOAT, ['N', 4]), tensorInfo('X3', FLOAT, [2, 'N', 4])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3]), tensorInfo('Y3', FLOAT, [2, 'N', 3])],
      initializers: [rawFloat('W', [4, 3], values(12, 9)), rawFloat('B', [1, 3], values(3, 10))],
    });
    const { result, model, ops } = await optimize(file, tmp.path('mm_add.opt.onnx'), { passes: ['fuse_matmul_add_bias_into_gemm'] });
    try {
      assert.deepEqual(ops, ['Gemm', 'MatMul', 'Add']);
      const gemm = model.proto.graph!.node![0]!;
      assert.deepEqual(gemm.input, ['X', 'W', 'B']);
      assert.deepEqual(gemm.output, ['Y']);
      assert.equal(result.passes[0]!.changes, 1);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('mm_add.opt.onnx'));
  });

  it('does not fuse when the bias would broadcast the result to a larger shape', async () => {
    const file = writeSpec(tmp, 'mm_add_grow.onnx', {
      nodes: [node('MatMul', ['X', 'W'], ['H']), node('Add', ['H', 'B'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, [1, 4])],
      outputs: [tensorInfo('Y', FLOAT, [5, 3])],
      initializers: [rawFloat('W', [4, 3], values(12, 9)), rawFloat('B', [5, 3], values(15, 10))],
    });
    const { model, ops } = await optimize(file, tmp.path('mm_add_grow.opt.onnx'), { passes: ['fuse-matmul-add-bias-into-gemm'] });
    await model.close();
    assert.deepEqual(ops, ['MatMul', 'Add']);
  });
});
