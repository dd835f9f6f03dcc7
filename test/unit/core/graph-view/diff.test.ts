import assert from 'node:assert/strict';
import { parseModel } from '../../../../src/core';
import { graphDiff } from '../../../../src/core/graph-view';
import { encode, rawFloat, type ModelSpec } from '../build';
import { T, attr, node, tensorInfo } from './helpers';

const F = T.FLOAT;

function base(): ModelSpec {
  return {
    nodes: [
      node('Conv', ['x', 'w'], ['c'], { name: 'conv', attribute: [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [1, 1])] }),
      node('Relu', ['c'], ['r'], { name: 'relu' }),
      node('Flatten', ['r'], ['f'], { name: '' }),
      node('Gemm', ['f', 'fc', 'fcb'], ['y'], { name: 'fc', attribute: [attr.int('transB', 1)] }),
    ],
    inputs: [tensorInfo('x', F, ['N', 3, 8, 8])],
    outputs: [tensorInfo('y', F, null)],
    initializers: [
      rawFloat('w', [8, 3, 3, 3], new Array(216).fill(0.1)),
      rawFloat('fc', [10, 512], new Array(5120).fill(0)),
      rawFloat('fcb', [10], new Array(10).fill(0)),
    ],
  };
}

describe('graph diff', () => {
  it('reports a changed attribute, an added node and a reshaped initializer', async () => {
    const a = base();
    const b = base();
    b.nodes[0] = node('Conv', ['x', 'w'], ['c'], { name: 'conv', attribute: [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])] });
    b.nodes.splice(2, 0, node('Dropout', ['r'], ['r2'], { name: 'drop' }));
    b.nodes[3] = node('Flatten', ['r2'], ['f'], { name: '' });
    b.initializers![1] = rawFloat('fc', [10, 128], new Array(1280).fill(0));
    const d = graphDiff(await parseModel(encode(a)), await parseModel(encode(b)));
    assert.deepEqual(d.added, ['drop']);
    assert.deepEqual(d.removed, []);
    assert.deepEqual(d.changed, [
      { node: 'conv', changes: ['attribute strides: [1, 1] → [2, 2]'] },
      { node: 'fc', changes: ['input 1 (fc): FLOAT[10,512] → FLOAT[10,128]'] },
    ]);
    assert.equal(d.pairs.length, 4);
    assert.ok(d.pairs.some((p) => p.a === 2 && p.b === 3), 'the unnamed Flatten is matched by op type and position');
  });

  it('reports removed nodes, op type changes, added/removed attributes and dtype changes', async () => {
    const a = base();
    const b = base();
    b.nodes[1] = node('Sigmoid', ['c'], ['r'], { name: 'relu' });
    b.nodes[3] = node('Gemm', ['f', 'fc', 'fcb'], ['y'], { name: 'fc', attribute: [attr.float('alpha', 2)] });
    b.initializers![2] = { name: 'fcb', dims: [], dataType: T.DOUBLE, doubleData: [0] };
    b.nodes.splice(0, 1, node('Identity', ['x'], ['c'], { name: 'id' }));
    const d = graphDiff(await parseModel(encode(a)), await parseModel(encode(b)));
    assert.deepEqual(d.removed, ['conv']);
    assert.deepEqual(d.added, ['id']);
    assert.deepEqual(d.changed, [
      { node: 'relu', changes: ['op type: Relu → Sigmoid'] },
      { node: 'fc', changes: ['attribute transB removed (was 1)', 'attribute alpha added: 2.0', 'input 2 (fcb): FLOAT[10] → DOUBLE[]'] },
    ]);
  });

  it('finds nothing between a model and itself, and notices tensor attribute values that changed', async () => {
    const mk = (v: number): ModelSpec => ({
      nodes: [node('Constant', [], ['k'], { name: 'k', attribute: [attr.tensor('value', rawFloat('', [4], [1, 2, 3, v]))] })],
      inputs: [],
      outputs: [tensorInfo('k', F, null)],
    });
    const same = graphDiff(await parseModel(encode(mk(4))), await parseModel(encode(mk(4))));
    assert.deepEqual({ ...same, pairs: [] }, { added: [], removed: [], changed: [], pairs: [] });
    const big = (v: number): ModelSpec => ({ ...mk(v), nodes: [node('Constant', [], ['k'], { name: 'k', attribute: [attr.tensor('value', rawFloat('', [20], [...new Array(19).fill(0), v]))] })] });
    const d = graphDiff(await parseModel(encode(big(1))), await parseModel(encode(big(2))));
    assert.deepEqual(d.changed, [{ node: 'k', changes: ['attribute value: value changed (tensor FLOAT[20])'] }]);
  });
});
