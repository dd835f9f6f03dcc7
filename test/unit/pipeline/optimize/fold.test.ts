import assert from 'node:assert/strict';
import { FLOAT, INT64, TempDir, assertAllVerified, assertSameOutputs, initValues, int, node, optimize, rawFloat, rawInt64, tensorAttr, tensorInfo, writeSpec } from './helpers';

describe('optimize: fold-constants', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  it('folds Add of two initializers feeding a Mul into one initializer', async () => {
    const file = writeSpec(tmp, 'fold_add.onnx', {
      nodes: [node('Add', ['A', 'B'], ['C']), node('Mul', ['X', 'C'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, ['N', 3])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3])],
      initializers: [rawFloat('A', [3], [1, 2, 3]), rawFloat('B', [3], [0.5, -4, 10])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('fold_add.opt.onnx'), { passes: ['fold-constants', 'eliminate-unused-initializer'] });
    try {
      assert.deepEqual(ops, ['Mul']);
      assert.deepEqual(await initValues(model, 'C'), [1.5, -2, 13]);
      assert.deepEqual(model.proto.graph!.initializer!.map((t) => t.name), ['C']);
      assert.equal(result.passes[0]!.changes, 1);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('fold_add.opt.onnx'));
  });

  it('folds a Constant node chain (Constant → Neg → Unsqueeze) and a constant shape for Reshape', async () => {
    const file = writeSpec(tmp, 'fold_const.onnx', {
      nodes: [
        node('Constant', [], ['K'], { attribute: [tensorAttr('value', rawFloat('', [3], [1, -2, 3]))] }),
        node('Neg', ['K'], ['NK']),
        node('Constant', [], ['AX'], { attribute: [tensorAttr('value', rawInt64('', [1], [0]))] }),
        node('Unsqueeze', ['NK', 'AX'], ['UK']),
        node('Add', ['X', 'UK'], ['S']),
        node('Constant', [], ['SHAPE'], { attribute: [tensorAttr('value', rawInt64('', [1], [-1]))] }),
        node('Reshape', ['S', 'SHAPE'], ['Y']),
      ],
      inputs: [tensorInfo('X', FLOAT, [2, 3])],
      outputs: [tensorInfo('Y', FLOAT, [6])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('fold_const.opt.onnx'), { passes: ['fold-constants'] });
    try {
      assert.deepEqual(ops, ['Add', 'Reshape']);
      assert.deepEqual(await initValues(model, 'UK'), [-1, 2, -3]);
      assert.deepEqual(model.proto.graph!.initializer!.find((t) => t.name === 'UK')!.dims!.map(Number), [1, 3]);
      assert.equal(model.proto.graph!.initializer!.find((t) => t.name === 'SHAPE')!.dataType, INT64);
      assert.equal(result.passes[0]!.changes, 5);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('fold_const.opt.onnx'));
  });

  it('does not fold overridable initializers (IR ≥ 4 graph inputs) or graph outputs; folds a chain to its small result', async () => {
    const file = writeSpec(tmp, 'fold_keep.onnx', {
      nodes: [
        node('Add', ['A', 'D'], ['C']),
        node('Mul', ['X', 'C'], ['Y']),
        node('Neg', ['A'], ['Z']),
        node('ConstantOfShape', ['BIG'], ['O']),
        node('ReduceSum', ['O'], ['R'], { attribute: [int('keepdims', 0)] }),
        node('Add', ['X', 'R'], ['W']),
      ],
      inputs: [tensorInfo('X', FLOAT, ['N', 3]), tensorInfo('D', FLOAT, [3])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3]), tensorInfo('Z', FLOAT, [3]), tensorInfo('W', FLOAT, ['N', 3])],
      initializers: [rawFloat('A', [3], [1, 2, 3]), rawFloat('D', [3], [1, 1, 1]), rawInt64('BIG', [2], [1024, 1024])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('fold_keep.opt.onnx'), { passes: ['fold-constants'] });
    await model.close();
    assert.deepEqual(ops, ['Add', 'Mul', 'Neg', 'Add'], 'ConstantOfShape → ReduceSum folds to a scalar; the rest stays');
    assert.equal(result.passes[0]!.changes, 2);
    assertAllVerified(result);
    await assertSameOutputs(file, tmp.path('fold_keep.opt.onnx'));
  });

  it('does not materialize a constant much larger than what it is computed from (ConstantOfShape)', async () => {
    const file = writeSpec(tmp, 'fold_big.onnx', {
      nodes: [node('ConstantOfShape', ['BIG'], ['O']), node('Add', ['X', 'O'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, [512, 1024])],
      outputs: [tensorInfo('Y', FLOAT, [512, 1024])],
      initializers: [rawInt64('BIG', [2], [512, 1024])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('fold_big.opt.onnx'), { passes: ['fold-constants'] });
    await model.close();
    assert.deepEqual(ops, ['ConstantOfShape', 'Add']);
    assert.equal(result.passes[0]!.changes, 0);
    assert.ok(result.size_bytes_after < 10000);
  });
});
