import assert from 'node:assert/strict';
import { L, FLOAT, TempDir, assertAllVerified, assertSameOutputs, node, optimize, rawFloat, tensorInfo, values, writeSpec } from './helpers';

describe('optimize: eliminate-identity, eliminate-dropout, eliminate-deadend, eliminate-unused-initializer', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  it('removes Identity and Dropout, renaming the producer when an Identity feeds a graph output', async () => {
    const file = writeSpec(tmp, 'id.onnx', {
      nodes: [
        node('Identity', ['X'], ['I1']),
        node('Relu', ['I1'], ['R']),
        node('Dropout', ['R', 'ratio'], ['D']),
        node('Identity', ['D'], ['Y']),
      ],
      inputs: [tensorInfo('X', FLOAT, ['N', 4])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 4])],
      initializers: [rawFloat('ratio', [], [0.3])],
      graphExtra: { valueInfo: [tensorInfo('R', FLOAT, ['N', 4]), tensorInfo('D', FLOAT, ['N', 4])] },
    });
    const { result, model, ops } = await optimize(file, tmp.path('id.opt.onnx'), { passes: ['eliminate-identity', 'eliminate-dropout'] });
    try {
      assert.deepEqual(ops, ['Relu']);
      const relu = model.proto.graph!.node![0]!;
      assert.deepEqual(relu.input, ['X']);
      assert.deepEqual(relu.output, ['Y'], 'the graph output keeps its name');
      assert.deepEqual(model.proto.graph!.output!.map((o) => o.name), ['Y']);
      assert.ok(!(model.proto.graph!.valueInfo ?? []).some((v) => v.name === 'D'), 'stale value_info dropped');
      assert.equal(result.passes.find((p) => p.name === 'eliminate-identity')!.changes, 2);
      assert.equal(result.passes.find((p) => p.name === 'eliminate-dropout')!.changes, 1);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('id.opt.onnx'));
  });

  it('keeps an Identity from a graph input straight to a graph output, and a Dropout whose mask is read', async () => {
    const file = writeSpec(tmp, 'id_keep.onnx', {
      nodes: [node('Identity', ['X'], ['Y']), node('Dropout', ['X'], ['D', 'M']), node('Cast', ['M'], ['Z'], { attribute: [{ name: 'to', type: 2, i: L(1) }] })],
      inputs: [tensorInfo('X', FLOAT, [2, 4])],
      outputs: [tensorInfo('Y', FLOAT, [2, 4]), tensorInfo('Z', FLOAT, [2, 4])],
    });
    const { model, ops } = await optimize(file, tmp.path('id_keep.opt.onnx'), { passes: ['eliminate-identity', 'eliminate-dropout'] });
    await model.close();
    assert.deepEqual(ops, ['Identity', 'Dropout', 'Cast']);
    await assertSameOutputs(file, tmp.path('id_keep.opt.onnx'));
  });

  it('removes dead-end nodes and the initializers (and initializer inputs) only they read', async () => {
    const file = writeSpec(tmp, 'dead.onnx', {
      nodes: [node('Relu', ['X'], ['Y']), node('Mul', ['X', 'W'], ['M']), node('Sigmoid', ['M'], ['S'])],
      inputs: [tensorInfo('X', FLOAT, ['N', 3]), tensorInfo('U', FLOAT, [3])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3])],
      initializers: [rawFloat('W', [3], values(3)), rawFloat('U', [3], values(3, 2)), rawFloat('V', [2], [1, 2])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('dead.opt.onnx'), { passes: ['eliminate-deadend', 'eliminate-unused-initializer'] });
    try {
      assert.deepEqual(ops, ['Relu']);
      assert.deepEqual(model.proto.graph!.initializer, []);
      assert.deepEqual(model.proto.graph!.input!.map((i) => i.name), ['X'], 'the unused initializer input U is gone, X stays');
      assert.equal(result.passes[0]!.changes, 2);
      assert.equal(result.passes[1]!.changes, 3);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('dead.opt.onnx'));
  });

  it('keeps what a subgraph reads from the outer graph', async () => {
    const thenBranch = { name: 'then', node: [node('Add', ['P', 'W'], ['T'])], output: [tensorInfo('T', FLOAT, [3])] };
    const elseBranch = { name: 'else', node: [node('Identity', ['P'], ['E'])], output: [tensorInfo('E', FLOAT, [3])] };
    const file = writeSpec(tmp, 'sub.onnx', {
      nodes: [
        node('Identity', ['X'], ['P']),
        node('If', ['C'], ['Y'], { attribute: [{ name: 'then_branch', type: 5, g: thenBranch }, { name: 'else_branch', type: 5, g: elseBranch }] }),
      ],
      inputs: [tensorInfo('X', FLOAT, [3]), tensorInfo('C', 9, [])],
      outputs: [tensorInfo('Y', FLOAT, [3])],
      initializers: [rawFloat('W', [3], [1, 2, 3])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('sub.opt.onnx'));
    await model.close();
    assert.deepEqual(ops, ['Identity', 'If'], 'the Identity feeding the subgraphs stays (subgraphs are not rewritten)');
    assert.equal(model.proto.graph!.initializer!.length, 1, 'W is read inside the then-branch');
    assertAllVerified(result);
  });
});
