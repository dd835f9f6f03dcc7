import assert from 'node:assert/strict';
import { FLOAT, INT64, TempDir, assertAllVerified, assertSameOutputs, int, ints, node, optimize, rawInt64, tensorInfo, writeSpec } from './helpers';
import { intsAttr } from '../../../../src/pipeline/shared/nodes';

describe('optimize: fuse-consecutive-transposes and fuse-consecutive-reshapes', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  it('composes two Transposes into one (q[j] = p1[p2[j]])', async () => {
    const file = writeSpec(tmp, 'tt.onnx', {
      nodes: [node('Transpose', ['X'], ['T1'], { attribute: [ints('perm', [1, 0, 2])] }), node('Transpose', ['T1'], ['Y'], { attribute: [ints('perm', [2, 0, 1])] })],
      inputs: [tensorInfo('X', FLOAT, [2, 3, 4])],
      outputs: [tensorInfo('Y', FLOAT, [4, 3, 2])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('tt.opt.onnx'), { passes: ['fuse-consecutive-transposes'] });
    try {
      assert.deepEqual(ops, ['Transpose']);
      const t = model.proto.graph!.node![0]!;
      assert.deepEqual(t.input, ['X']);
      assert.deepEqual(intsAttr(t, 'perm'), [2, 1, 0]);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('tt.opt.onnx'));
  });

  it('drops Transposes whose perms cancel (default perm = reversed axes), keeping the output name', async () => {
    const file = writeSpec(tmp, 'tt_id.onnx', {
      nodes: [node('Relu', ['X'], ['R']), node('Transpose', ['R'], ['T1']), node('Transpose', ['T1'], ['Y'], { attribute: [ints('perm', [2, 1, 0])] })],
      inputs: [tensorInfo('X', FLOAT, [2, 3, 4])],
      outputs: [tensorInfo('Y', FLOAT, [2, 3, 4])],
    });
    const { model, ops } = await optimize(file, tmp.path('tt_id.opt.onnx'), { passes: ['fuse-consecutive-transposes'] });
    try {
      assert.deepEqual(ops, ['Relu']);
      assert.deepEqual(model.proto.graph!.node![0]!.output, ['Y']);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('tt_id.opt.onnx'));
  });

  it('keeps the first Transpose when something else reads it', async () => {
    const file = writeSpec(tmp, 'tt_shared.onnx', {
      nodes: [node('Transpose', ['X'], ['T1'], { attribute: [ints('perm', [1, 0])] }), node('Transpose', ['T1'], ['Y'], { attribute: [ints('perm', [1, 0])] }), node('Relu', ['T1'], ['Z'])],
      inputs: [tensorInfo('X', FLOAT, [2, 3])],
      outputs: [tensorInfo('Y', FLOAT, [2, 3]), tensorInfo('Z', FLOAT, [3, 2])],
    });
    const { model, ops } = await optimize(file, tmp.path('tt_shared.opt.onnx'));
    await model.close();
    // Y = X exactly: an Identity from the graph input to the output is what remains of the second Transpose.
    assert.deepEqual(ops.sort(), ['Identity', 'Relu', 'Transpose']);
    await assertSameOutputs(file, tmp.path('tt_shared.opt.onnx'));
  });

  it('merges Reshape → Reshape into one Reshape to the second shape', async () => {
    const file = writeSpec(tmp, 'rr.onnx', {
      nodes: [node('Reshape', ['X', 's1'], ['R1']), node('Reshape', ['R1', 's2'], ['R2']), node('Relu', ['R2'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, [2, 3, 4])],
      outputs: [tensorInfo('Y', FLOAT, [4, 6])],
      initializers: [rawInt64('s1', [2], [6, 4]), rawInt64('s2', [2], [4, -1])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('rr.opt.onnx'), { passes: ['fuse-consecutive-reshapes'] });
    try {
      assert.deepEqual(ops, ['Reshape', 'Relu']);
      assert.deepEqual(model.proto.graph!.node![0]!.input, ['X', 's2']);
      assertAllVerified(result);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('rr.opt.onnx'));
  });

  it('resolves 0 (copy a dim) in the second shape from the intermediate shape, and merges Flatten → Reshape', async () => {
    const file = writeSpec(tmp, 'rr0.onnx', {
      nodes: [
        node('Reshape', ['X', 's1'], ['R1']),
        node('Reshape', ['R1', 's2'], ['R2']),
        node('Flatten', ['R2'], ['F'], { attribute: [int('axis', 2)] }),
        node('Reshape', ['F', 's3'], ['Y']),
      ],
      inputs: [tensorInfo('X', FLOAT, [2, 3, 4])],
      outputs: [tensorInfo('Y', FLOAT, [24])],
      initializers: [rawInt64('s1', [2], [6, 4]), rawInt64('s2', [3], [0, 2, 2]), rawInt64('s3', [1], [-1])],
    });
    const { result, model, ops } = await optimize(file, tmp.path('rr0.opt.onnx'));
    try {
      assert.deepEqual(ops, ['Reshape']);
      const r = model.proto.graph!.node![0]!;
      assert.deepEqual(r.input, ['X', 's3']);
      assert.deepEqual(r.output, ['Y']);
      assert.ok(result.passes.find((p) => p.name === 'fuse-consecutive-reshapes')!.changes >= 2);
      assertAllVerified(result);
      assert.equal(model.proto.graph!.initializer!.length, 1, 'shapes no longer read are removed');
      assert.equal(model.proto.graph!.initializer![0]!.dataType, INT64);
    } finally {
      await model.close();
    }
    await assertSameOutputs(file, tmp.path('rr0.opt.onnx'));
  });

  it('leaves a Reshape whose shape is computed at run time alone', async () => {
    const file = writeSpec(tmp, 'rr_dyn.onnx', {
      nodes: [node('Reshape', ['X', 's1'], ['R1']), node('Reshape', ['R1', 'S'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, [2, 3, 4]), tensorInfo('S', INT64, [2])],
      outputs: [tensorInfo('Y', FLOAT, null)],
      initializers: [rawInt64('s1', [2], [6, 4])],
    });
    const { model, ops } = await optimize(file, tmp.path('rr_dyn.opt.onnx'), { passes: ['fuse-consecutive-reshapes'], symbolicDimValue: 1 });
    await model.close();
    assert.deepEqual(ops, ['Reshape', 'Reshape']);
  });
});
