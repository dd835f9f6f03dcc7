import assert from 'node:assert/strict';
import { inferShapes } from '../../../../src/core/shape-inference';
import { T, attr, constInt, floats, infer, int64, node, shapeOf, tensorInfo, L } from './helpers';

const F = T.FLOAT;

describe('shape inference: element-wise and broadcasting', () => {
  it('broadcasts numbers and symbolic dims (N with 1 → N)', () => {
    const t = infer({
      nodes: [node('Add', ['a', 'b'], ['y']), node('Mul', ['y', 'c'], ['z']), node('Where', ['m', 'z', 'a'], ['w'])],
      inputs: [['a', F, ['N', 1, 4]], ['b', F, [3, 1]], ['c', F, [1]], ['m', T.BOOL, [1, 3, 1]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['N', 3, 4]);
    assert.deepEqual(shapeOf(t, 'z'), ['N', 3, 4]);
    assert.deepEqual(shapeOf(t, 'w'), ['N', 3, 4]);
    assert.equal(t.get('w')!.elemType, F);
  });

  it('keeps a symbolic dim next to 1, takes the number next to an unknown, and leaves two different symbols unknown', () => {
    const t = infer({
      nodes: [node('Sub', ['a', 'b'], ['y'])],
      inputs: [['a', F, ['N', null, 'S', 1]], ['b', F, [1, 5, 'T', 'K']]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['N', 5, null, 'K']);
  });

  it('comparisons give BOOL; logical ops, Not, IsNaN too', () => {
    const t = infer({
      nodes: [node('Less', ['a', 'b'], ['l']), node('And', ['l', 'l'], ['x']), node('Not', ['x'], ['n']), node('IsNaN', ['a'], ['q'])],
      inputs: [['a', F, [2, 3]], ['b', F, [3]]],
    });
    for (const name of ['l', 'x', 'n', 'q']) {
      assert.equal(t.get(name)!.elemType, T.BOOL, name);
      assert.deepEqual(shapeOf(t, name), [2, 3]);
    }
  });

  it('unary ops, activations, normalizations keep type and shape; Cast/CastLike change the type; Dropout has a BOOL mask', () => {
    const unary = ['Relu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'Erf', 'Gelu', 'LeakyRelu', 'Elu', 'Selu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Clip', 'Identity', 'Softmax', 'LogSoftmax', 'InstanceNormalization'];
    const nodes = unary.map((op) => node(op, ['x'], [`y_${op}`]));
    nodes.push(node('Cast', ['x'], ['c'], { attribute: [attr.int('to', T.FLOAT16)] }));
    nodes.push(node('CastLike', ['x', 'i'], ['cl']));
    nodes.push(node('Dropout', ['x'], ['d', 'mask']));
    nodes.push(node('LayerNormalization', ['x', 's', 'b'], ['ln', 'mean', 'inv'], { attribute: [attr.int('axis', -1)] }));
    nodes.push(node('BatchNormalization', ['x', 's', 'b', 's', 's'], ['bn']));
    nodes.push(node('PRelu', ['x', 'slope'], ['pr']));
    const t = infer({ nodes, inputs: [['x', F, ['N', 8, 5]], ['i', T.INT32, [1]], ['s', F, [8]], ['b', F, [8]], ['slope', F, [8, 1]]] });
    for (const op of unary) assert.deepEqual(t.get(`y_${op}`), { elemType: F, shape: ['N', 8, 5] }, op);
    assert.deepEqual(t.get('c'), { elemType: T.FLOAT16, shape: ['N', 8, 5] });
    assert.deepEqual(t.get('cl'), { elemType: T.INT32, shape: ['N', 8, 5] });
    assert.deepEqual(t.get('mask'), { elemType: T.BOOL, shape: ['N', 8, 5] });
    assert.deepEqual(t.get('ln')!.shape, ['N', 8, 5]);
    assert.deepEqual(t.get('mean')!.shape, ['N', 8, 1]);
    assert.deepEqual(t.get('bn')!.shape, ['N', 8, 5]);
    assert.deepEqual(t.get('pr')!.shape, ['N', 8, 5]);
  });

  it('QuantizeLinear takes the zero point type (UINT8 by default); DequantizeLinear the scale type', () => {
    const t = infer({
      nodes: [
        node('QuantizeLinear', ['x', 'sc', 'zp'], ['q']),
        node('QuantizeLinear', ['x', 'sc'], ['q8']),
        node('DequantizeLinear', ['q', 'sc', 'zp'], ['dq']),
      ],
      inputs: [['x', F, [1, 3]], ['sc', F, []], ['zp', T.INT8, []]],
    });
    assert.deepEqual(t.get('q'), { elemType: T.INT8, shape: [1, 3] });
    assert.deepEqual(t.get('q8'), { elemType: T.UINT8, shape: [1, 3] });
    assert.deepEqual(t.get('dq'), { elemType: F, shape: [1, 3] });
  });
});

describe('shape inference: convolution and pooling', () => {
  it('Conv with pads, strides, dilations', () => {
    const t = infer({
      nodes: [
        node('Conv', ['x', 'w'], ['y'], { attribute: [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])] }),
        node('Conv', ['x', 'w'], ['d'], { attribute: [attr.ints('dilations', [2, 2])] }),
        node('Conv', ['x', 'w'], ['s'], { attribute: [attr.str('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])] }),
        node('Conv', ['x', 'w'], ['v'], { attribute: [attr.str('auto_pad', 'VALID'), attr.ints('strides', [2, 2])] }),
        node('Conv', ['x', 'wg'], ['g'], { attribute: [attr.int('group', 3), attr.ints('pads', [0, 1, 0, 1])] }),
      ],
      inputs: [['x', F, ['N', 3, 224, 225]], ['w', F, [64, 3, 3, 3]], ['wg', F, [12, 1, 3, 3]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['N', 64, 112, 113]);
    assert.deepEqual(shapeOf(t, 'd'), ['N', 64, 220, 221]);
    assert.deepEqual(shapeOf(t, 's'), ['N', 64, 112, 113]);
    assert.deepEqual(shapeOf(t, 'v'), ['N', 64, 111, 112]);
    assert.deepEqual(shapeOf(t, 'g'), ['N', 12, 222, 225]);
  });

  it('ConvTranspose with strides, pads, output_padding, output_shape and group', () => {
    const t = infer({
      nodes: [
        node('ConvTranspose', ['x', 'w'], ['y'], { attribute: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('output_padding', [1, 1])] }),
        node('ConvTranspose', ['x', 'w'], ['o'], { attribute: [attr.ints('strides', [3, 2]), attr.ints('output_shape', [10, 8])] }),
        node('ConvTranspose', ['x', 'w'], ['g'], { attribute: [attr.int('group', 2)] }),
        node('ConvTranspose', ['x', 'w'], ['s'], { attribute: [attr.str('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])] }),
      ],
      inputs: [['x', F, [1, 4, 5, 5]], ['w', F, [4, 6, 3, 3]]],
    });
    // 2*(5-1) + 1 + 3 - 2 = 10
    assert.deepEqual(shapeOf(t, 'y'), [1, 6, 10, 10]);
    assert.deepEqual(shapeOf(t, 'o'), [1, 6, 10, 8]);
    assert.deepEqual(shapeOf(t, 'g'), [1, 12, 7, 7]);
    assert.deepEqual(shapeOf(t, 's'), [1, 6, 10, 10]);
  });

  it('pooling: floor vs ceil_mode, auto_pad, global pools, MaxPool indices', () => {
    const k = [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2])];
    const t = infer({
      nodes: [
        node('MaxPool', ['x'], ['f', 'idx'], { attribute: k }),
        node('MaxPool', ['x'], ['c'], { attribute: [...k, attr.int('ceil_mode', 1)] }),
        node('AveragePool', ['x'], ['a'], { attribute: [...k, attr.str('auto_pad', 'SAME_UPPER')] }),
        node('AveragePool', ['x'], ['p'], { attribute: [...k, attr.ints('pads', [1, 1, 1, 1]), attr.int('ceil_mode', 1)] }),
        node('MaxPool', ['small'], ['r'], { attribute: [attr.ints('kernel_shape', [1, 1]), attr.ints('strides', [2, 2]), attr.int('ceil_mode', 1)] }),
        node('GlobalAveragePool', ['x'], ['gap']),
        node('GlobalMaxPool', ['x'], ['gmp']),
      ],
      inputs: [['x', F, ['N', 16, 32, 32]], ['small', F, [1, 1, 2, 2]]],
    });
    assert.deepEqual(shapeOf(t, 'f'), ['N', 16, 15, 15]);
    assert.deepEqual(t.get('idx'), { elemType: T.INT64, shape: ['N', 16, 15, 15] });
    assert.deepEqual(shapeOf(t, 'c'), ['N', 16, 16, 16]);
    assert.deepEqual(shapeOf(t, 'a'), ['N', 16, 16, 16]);
    // (32 + 2 - 3) / 2 = 15.5 → ceil 16 + 1 = 17 (the 17th window starts inside the input).
    assert.deepEqual(shapeOf(t, 'p'), ['N', 16, 17, 17]);
    // (2 - 1) / 2 → ceil 1 + 1 = 2, but the 2nd window would start past the input → 1 (onnx test_maxpool_2d_ceil_output_size_reduce_by_one).
    assert.deepEqual(shapeOf(t, 'r'), [1, 1, 1, 1]);
    assert.deepEqual(shapeOf(t, 'gap'), ['N', 16, 1, 1]);
    assert.deepEqual(shapeOf(t, 'gmp'), ['N', 16, 1, 1]);
  });
});

describe('shape inference: matrix products', () => {
  it('Gemm with transA/transB', () => {
    const t = infer({
      nodes: [
        node('Gemm', ['a', 'b'], ['y'], { attribute: [attr.int('transB', 1)] }),
        node('Gemm', ['at', 'b2'], ['z'], { attribute: [attr.int('transA', 1)] }),
      ],
      inputs: [['a', F, ['N', 128]], ['b', F, [10, 128]], ['at', F, [128, 'M']], ['b2', F, [128, 7]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['N', 10]);
    assert.deepEqual(shapeOf(t, 'z'), ['M', 7]);
  });

  it('MatMul: batch broadcasting and the 1-D cases', () => {
    const t = infer({
      nodes: [
        node('MatMul', ['a', 'b'], ['y']),
        node('MatMul', ['v', 'b'], ['vy']),
        node('MatMul', ['a', 'v2'], ['yv']),
        node('MatMul', ['v', 'v'], ['dot']),
        node('MatMul', ['c', 'd'], ['bc']),
      ],
      inputs: [['a', F, ['B', 12, 'S', 64]], ['b', F, [64, 'S2']], ['v', F, [64]], ['v2', F, [64]], ['c', F, [2, 1, 3, 4]], ['d', F, [5, 4, 6]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['B', 12, 'S', 'S2']);
    assert.deepEqual(shapeOf(t, 'vy'), ['S2']);
    assert.deepEqual(shapeOf(t, 'yv'), ['B', 12, 'S']);
    assert.deepEqual(shapeOf(t, 'dot'), []);
    assert.deepEqual(shapeOf(t, 'bc'), [2, 5, 3, 6]);
  });

  it('Einsum with explicit and implicit outputs and ellipsis', () => {
    const t = infer({
      nodes: [
        node('Einsum', ['a', 'b'], ['y'], { attribute: [attr.str('equation', 'bij,bjk->bik')] }),
        node('Einsum', ['a', 'b'], ['imp'], { attribute: [attr.str('equation', 'bij,bjk')] }),
        node('Einsum', ['a'], ['e'], { attribute: [attr.str('equation', '...ij->...ji')] }),
      ],
      inputs: [['a', F, ['B', 3, 4]], ['b', F, ['B', 4, 5]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['B', 3, 5]);
    assert.deepEqual(shapeOf(t, 'imp'), [3, 5]);
    assert.deepEqual(shapeOf(t, 'e'), ['B', 4, 3]);
  });

  it('LSTM outputs', () => {
    const t = infer({
      nodes: [node('LSTM', ['x', 'w', 'r'], ['y', 'yh', 'yc'], { attribute: [attr.int('hidden_size', 20), attr.str('direction', 'bidirectional')] })],
      inputs: [['x', F, ['S', 'B', 10]], ['w', F, [2, 80, 10]], ['r', F, [2, 80, 20]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['S', 2, 'B', 20]);
    assert.deepEqual(shapeOf(t, 'yh'), [2, 'B', 20]);
    assert.deepEqual(shapeOf(t, 'yc'), [2, 'B', 20]);
  });
});

describe('shape inference: shape manipulation', () => {
  it('Reshape with a constant shape: 0 copies, -1 is inferred, allowzero keeps 0', () => {
    const t = infer({
      nodes: [
        node('Reshape', ['x', 's1'], ['a']),
        node('Reshape', ['x', 's2'], ['b']),
        node('Reshape', ['e', 's3'], ['c'], { attribute: [attr.int('allowzero', 1)] }),
        node('Reshape', ['x', 's4'], ['d']),
      ],
      inputs: [['x', F, [2, 3, 4]], ['e', F, [0, 3]]],
      initializers: [int64('s1', [3], [0, -1, 2]), int64('s2', [2], [-1, 4]), int64('s3', [2], [3, 0]), int64('s4', [1], [-1])],
    });
    assert.deepEqual(shapeOf(t, 'a'), [2, 6, 2]);
    assert.deepEqual(shapeOf(t, 'b'), [6, 4]);
    assert.deepEqual(shapeOf(t, 'c'), [3, 0]);
    assert.deepEqual(shapeOf(t, 'd'), [24]);
  });

  it('Reshape -1 cancels symbolic dims; a non-constant shape gives the rank only', () => {
    const t = infer({
      nodes: [node('Reshape', ['x', 's'], ['y']), node('Reshape', ['x', 'dyn'], ['z'])],
      inputs: [['x', F, ['N', 12, 64]], ['dyn', T.INT64, [3]]],
      initializers: [int64('s', [2], [0, -1])],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['N', 768]);
    assert.deepEqual(shapeOf(t, 'z'), [null, null, null]);
  });

  it('Flatten, Transpose (perm and default), Squeeze/Unsqueeze with axes attributes (opset 11) and inputs (opset 13)', () => {
    const old = infer({
      opset: 11,
      nodes: [
        node('Flatten', ['x'], ['f'], { attribute: [attr.int('axis', 2)] }),
        node('Flatten', ['x'], ['f0'], { attribute: [attr.int('axis', 0)] }),
        node('Transpose', ['x'], ['t'], { attribute: [attr.ints('perm', [0, 3, 1, 2])] }),
        node('Transpose', ['x'], ['r']),
        node('Squeeze', ['s'], ['sq'], { attribute: [attr.ints('axes', [0, -1])] }),
        node('Squeeze', ['s'], ['sqa']),
        node('Unsqueeze', ['u'], ['us'], { attribute: [attr.ints('axes', [0, 3])] }),
      ],
      inputs: [['x', F, ['N', 3, 4, 5]], ['s', F, [1, 7, 1]], ['u', F, [2, 3]]],
    });
    assert.deepEqual(shapeOf(old, 'f'), [null, 20]);
    assert.deepEqual(shapeOf(old, 'f0'), [1, null]);
    assert.deepEqual(shapeOf(old, 't'), ['N', 5, 3, 4]);
    assert.deepEqual(shapeOf(old, 'r'), [5, 4, 3, 'N']);
    assert.deepEqual(shapeOf(old, 'sq'), [7]);
    assert.deepEqual(shapeOf(old, 'sqa'), [7]);
    assert.deepEqual(shapeOf(old, 'us'), [1, 2, 3, 1]);
    const v13 = infer({
      opset: 13,
      nodes: [constInt('ax', [1, -1]), node('Unsqueeze', ['u', 'ax'], ['us']), node('Squeeze', ['us', 'ax'], ['sq'])],
      inputs: [['u', F, [2, 3]]],
    });
    assert.deepEqual(shapeOf(v13, 'us'), [2, 1, 3, 1]);
    assert.deepEqual(shapeOf(v13, 'sq'), [2, 3]);
  });

  it('Concat sums the axis; Split by attribute, by input, and evenly / by num_outputs', () => {
    const t = infer({
      opset: 18,
      nodes: [
        node('Concat', ['a', 'b'], ['c'], { attribute: [attr.int('axis', -1)] }),
        node('Concat', ['a', 'n'], ['cn'], { attribute: [attr.int('axis', 0)] }),
        node('Split', ['c', 'sp'], ['s1', 's2'], { attribute: [attr.int('axis', 2)] }),
        node('Split', ['c'], ['e1', 'e2', 'e3'], { attribute: [attr.int('axis', 2), attr.int('num_outputs', 3)] }),
      ],
      inputs: [['a', F, ['N', 2, 3]], ['b', F, ['N', 2, 5]], ['n', F, ['M', 2, 3]]],
      initializers: [int64('sp', [2], [6, 2])],
    });
    assert.deepEqual(shapeOf(t, 'c'), ['N', 2, 8]);
    assert.deepEqual(shapeOf(t, 'cn'), [null, 2, 3]);
    assert.deepEqual(shapeOf(t, 's1'), ['N', 2, 6]);
    assert.deepEqual(shapeOf(t, 's2'), ['N', 2, 2]);
    assert.deepEqual([shapeOf(t, 'e1'), shapeOf(t, 'e2'), shapeOf(t, 'e3')], [['N', 2, 3], ['N', 2, 3], ['N', 2, 2]]);
    const old = infer({
      opset: 11,
      nodes: [node('Split', ['x'], ['a', 'b'], { attribute: [attr.ints('split', [1, 3])] }), node('Split', ['x'], ['h1', 'h2'])],
      inputs: [['x', F, [4, 'K']]],
    });
    assert.deepEqual([shapeOf(old, 'a'), shapeOf(old, 'b')], [[1, 'K'], [3, 'K']]);
    assert.deepEqual([shapeOf(old, 'h1'), shapeOf(old, 'h2')], [[2, 'K'], [2, 'K']]);
  });

  it('Slice with negative indices, negative steps, clamping and INT64 max ends', () => {
    const big = 9223372036854775807n;
    const t = infer({
      nodes: [
        node('Slice', ['x', 'st1', 'en1', 'ax1'], ['a']),
        node('Slice', ['x', 'st2', 'en2', 'ax2', 'sp2'], ['b']),
        node('Slice', ['x', 'st3', 'en3'], ['c']),
        node('Slice', ['x', 'st4', 'en4', 'ax4', 'sp4'], ['d']),
      ],
      inputs: [['x', F, [10, 'N', 8]]],
      initializers: [
        int64('st1', [1], [-3]), int64('en1', [1], [big]), int64('ax1', [1], [0]),
        int64('st2', [1], [-1]), int64('en2', [1], [-big]), int64('ax2', [1], [2]), int64('sp2', [1], [-2]),
        int64('st3', [2], [2, 0]), int64('en3', [2], [100, big]),
        int64('st4', [1], [1]), int64('en4', [1], [-1]), int64('ax4', [1], [-1]), int64('sp4', [1], [3]),
      ],
    });
    assert.deepEqual(shapeOf(t, 'a'), [3, 'N', 8]);
    assert.deepEqual(shapeOf(t, 'b'), [10, 'N', 4]);
    assert.deepEqual(shapeOf(t, 'c'), [8, 'N', 8]);
    assert.deepEqual(shapeOf(t, 'd'), [10, 'N', 2]);
  });

  it('Slice with attributes (opset 9)', () => {
    const t = infer({
      opset: 9,
      nodes: [node('Slice', ['x'], ['y'], { attribute: [attr.ints('starts', [1, 0]), attr.ints('ends', [3, -1]), attr.ints('axes', [0, 1])] })],
      inputs: [['x', F, [5, 6]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), [2, 5]);
  });

  it('Gather along an axis with scalar and tensor indices; GatherElements; GatherND', () => {
    const t = infer({
      nodes: [
        node('Gather', ['x', 'i'], ['a'], { attribute: [attr.int('axis', 1)] }),
        node('Gather', ['x', 's'], ['b'], { attribute: [attr.int('axis', -1)] }),
        node('Gather', ['emb', 'ids'], ['e']),
        node('GatherElements', ['x', 'ge'], ['g']),
        node('GatherND', ['x', 'nd'], ['n']),
      ],
      inputs: [['x', F, ['N', 5, 6]], ['i', T.INT64, [2, 3]], ['s', T.INT64, []], ['emb', F, [30522, 768]], ['ids', T.INT64, ['B', 'S']], ['ge', T.INT64, ['N', 2, 6]], ['nd', T.INT64, [4, 2]]],
    });
    assert.deepEqual(shapeOf(t, 'a'), ['N', 2, 3, 6]);
    assert.deepEqual(shapeOf(t, 'b'), ['N', 5]);
    assert.deepEqual(shapeOf(t, 'e'), ['B', 'S', 768]);
    assert.deepEqual(shapeOf(t, 'g'), ['N', 2, 6]);
    assert.deepEqual(shapeOf(t, 'n'), [4, 6]);
  });

  it('Expand, Tile, Pad (opset 11 input and opset 2 attribute), Resize by scales and sizes', () => {
    const t = infer({
      nodes: [
        node('Expand', ['x', 'es'], ['ex']),
        node('Tile', ['x', 'rep'], ['ti']),
        node('Pad', ['img', 'pads'], ['pa']),
        node('Resize', ['img', '', 'scales'], ['rs']),
        node('Resize', ['img', '', '', 'sizes'], ['rz']),
      ],
      inputs: [['x', F, [3, 1]], ['img', F, ['N', 3, 10, 20]]],
      initializers: [
        int64('es', [3], [2, 1, 6]), int64('rep', [2], [2, 3]), int64('pads', [8], [0, 0, 1, 2, 0, 0, 3, 4]),
        floats('scales', [4], [1, 1, 2, 0.5]), int64('sizes', [4], [1, 3, 64, 64]),
      ],
    });
    assert.deepEqual(shapeOf(t, 'ex'), [2, 3, 6]);
    assert.deepEqual(shapeOf(t, 'ti'), [6, 3]);
    assert.deepEqual(shapeOf(t, 'pa'), ['N', 3, 14, 26]);
    assert.deepEqual(shapeOf(t, 'rs'), ['N', 3, 20, 10]);
    assert.deepEqual(shapeOf(t, 'rz'), [1, 3, 64, 64]);
    const old = infer({ opset: 2, nodes: [node('Pad', ['x'], ['y'], { attribute: [attr.ints('pads', [1, 0, 1, 2])] })], inputs: [['x', F, [3, 4]]] });
    assert.deepEqual(shapeOf(old, 'y'), [5, 6]);
  });

  it('Reduce* with keepdims, axes attribute (opset 13) or input (opset 18), noop_with_empty_axes; ArgMax', () => {
    const t13 = infer({
      opset: 13,
      nodes: [
        node('ReduceMean', ['x'], ['m'], { attribute: [attr.ints('axes', [-1])] }),
        node('ReduceMax', ['x'], ['k0'], { attribute: [attr.ints('axes', [1]), attr.int('keepdims', 0)] }),
        node('ReduceSum', ['x', 'ax'], ['s']),
        node('ReduceProd', ['x'], ['all']),
        node('ArgMax', ['x'], ['am'], { attribute: [attr.int('axis', 2), attr.int('keepdims', 0)] }),
      ],
      inputs: [['x', F, ['N', 4, 6]]],
      initializers: [int64('ax', [1], [1])],
    });
    assert.deepEqual(shapeOf(t13, 'm'), ['N', 4, 1]);
    assert.deepEqual(shapeOf(t13, 'k0'), ['N', 6]);
    assert.deepEqual(shapeOf(t13, 's'), ['N', 1, 6]);
    assert.deepEqual(shapeOf(t13, 'all'), [1, 1, 1]);
    assert.deepEqual(t13.get('am'), { elemType: T.INT64, shape: ['N', 4] });
    const t18 = infer({
      opset: 18,
      nodes: [
        node('ReduceMean', ['x', 'ax'], ['m'], { attribute: [attr.int('keepdims', 0)] }),
        node('ReduceMean', ['x'], ['noop'], { attribute: [attr.int('noop_with_empty_axes', 1)] }),
      ],
      inputs: [['x', F, ['N', 4, 6]]],
      initializers: [int64('ax', [2], [0, 2])],
    });
    assert.deepEqual(shapeOf(t18, 'm'), [4]);
    assert.deepEqual(shapeOf(t18, 'noop'), ['N', 4, 6]);
  });

  it('TopK, NonZero, Range, ConstantOfShape, OneHot, Size', () => {
    const t = infer({
      nodes: [
        node('TopK', ['x', 'k'], ['v', 'i'], { attribute: [attr.int('axis', 1)] }),
        node('NonZero', ['x'], ['nz']),
        node('Range', ['r0', 'r1', 'r2'], ['rg']),
        node('ConstantOfShape', ['cs'], ['zeros']),
        node('OneHot', ['ids', 'depth', 'vals'], ['oh']),
        node('Size', ['x'], ['sz']),
      ],
      inputs: [['x', F, ['N', 100]], ['ids', T.INT64, ['B', 7]], ['vals', F, [2]]],
      initializers: [int64('k', [1], [5]), int64('r0', [], [2]), int64('r1', [], [11]), int64('r2', [], [3]), int64('cs', [2], [4, 2]), int64('depth', [], [10])],
    });
    assert.deepEqual(shapeOf(t, 'v'), ['N', 5]);
    assert.deepEqual(t.get('i'), { elemType: T.INT64, shape: ['N', 5] });
    assert.deepEqual(t.get('nz'), { elemType: T.INT64, shape: [2, null] });
    assert.deepEqual(t.get('rg'), { elemType: T.INT64, shape: [3] });
    assert.deepEqual(t.get('zeros'), { elemType: T.FLOAT, shape: [4, 2] });
    assert.deepEqual(t.get('oh'), { elemType: F, shape: ['B', 7, 10] });
    assert.deepEqual(t.get('sz'), { elemType: T.INT64, shape: [] });
  });
});

describe('shape inference: constant folding of shape chains', () => {
  it('Shape → Gather → Unsqueeze → Concat → Reshape (PyTorch export) gives [N, 768] for a symbolic batch', () => {
    const t = infer({
      opset: 13,
      nodes: [
        node('Shape', ['x'], ['shape']),
        constInt('zero', [0], []),
        node('Gather', ['shape', 'zero'], ['batch'], { attribute: [attr.int('axis', 0)] }),
        constInt('ax0', [0]),
        node('Unsqueeze', ['batch', 'ax0'], ['batch1']),
        constInt('hidden', [768]),
        node('Concat', ['batch1', 'hidden'], ['target'], { attribute: [attr.int('axis', 0)] }),
        node('Reshape', ['x', 'target'], ['y']),
        constInt('minus1', [-1]),
        node('Concat', ['batch1', 'minus1'], ['target2'], { attribute: [attr.int('axis', 0)] }),
        node('Reshape', ['x', 'target2'], ['y2']),
      ],
      inputs: [['x', F, ['N', 12, 64]]],
    });
    assert.deepEqual(t.get('shape'), { elemType: T.INT64, shape: [3] });
    assert.deepEqual(shapeOf(t, 'batch'), []);
    assert.deepEqual(shapeOf(t, 'target'), [2]);
    assert.deepEqual(shapeOf(t, 'y'), ['N', 768]);
    assert.deepEqual(shapeOf(t, 'y2'), ['N', 768]);
  });

  it('folds Shape → Slice → Cast → Mul/Div → Concat → Expand with static shapes, and Shape start/end', () => {
    const t = infer({
      opset: 15,
      nodes: [
        node('Shape', ['x'], ['hw'], { attribute: [attr.int('start', 2)] }),
        node('Shape', ['x'], ['full']),
        constInt('s0', [0]), constInt('s1', [2]),
        node('Slice', ['full', 's0', 's1'], ['nc']),
        node('Cast', ['hw'], ['hwf'], { attribute: [attr.int('to', T.FLOAT)] }),
        node('Constant', [], ['two'], { attribute: [attr.tensor('value', floats('', [], [2]))] }),
        node('Mul', ['hwf', 'two'], ['hw2f']),
        node('Cast', ['hw2f'], ['hw2'], { attribute: [attr.int('to', T.INT64)] }),
        node('Concat', ['nc', 'hw2'], ['sz'], { attribute: [attr.int('axis', 0)] }),
        node('Resize', ['x', '', '', 'sz'], ['up']),
        node('Expand', ['b', 'sz'], ['bx']),
      ],
      inputs: [['x', F, [1, 3, 16, 24]], ['b', F, [1, 1, 1, 1]]],
    });
    assert.deepEqual(shapeOf(t, 'hw'), [2]);
    assert.deepEqual(shapeOf(t, 'up'), [1, 3, 32, 48]);
    assert.deepEqual(shapeOf(t, 'bx'), [1, 3, 32, 48]);
  });

  it('folds ConstantOfShape / Equal / Where (the PyTorch "expand with -1" pattern)', () => {
    const t = infer({
      nodes: [
        constInt('target', [2, -1, 4]),
        constInt('len', [3]),
        node('ConstantOfShape', ['len'], ['ones'], { attribute: [attr.tensor('value', { ...int64('', [1], [1]) })] }),
        constInt('neg', [-1]),
        node('Mul', ['ones', 'neg'], ['negs']),
        node('Equal', ['target', 'negs'], ['isneg']),
        node('Where', ['isneg', 'ones', 'target'], ['fixed']),
        node('Expand', ['x', 'fixed'], ['y']),
      ],
      inputs: [['x', F, [3, 1]]],
    });
    assert.deepEqual(shapeOf(t, 'y'), [2, 3, 4]);
  });

  it('declared value_info and output dims win; unknown declared dims are filled by inference', () => {
    const graph = {
      name: 'g',
      node: [node('Relu', ['x'], ['y']), node('Relu', ['y'], ['z'])],
      input: [tensorInfo('x', F, ['N', 4])],
      valueInfo: [tensorInfo('y', F, ['batch', null])],
      output: [tensorInfo('z', F, null)],
    };
    const t = inferShapes(graph, [{ domain: '', version: L(17) }]);
    assert.deepEqual(t.get('y')!.shape, ['batch', 4]);
    assert.deepEqual(t.get('z')!.shape, ['batch', 4]);
  });

  it('infers If branches (agreeing dims kept) and Loop outputs', () => {
    const thenG = { name: 't', node: [node('Relu', ['x'], ['ty'])], output: [tensorInfo('ty', F, null)] };
    const elseG = { name: 'e', node: [node('Concat', ['x', 'x'], ['ey'], { attribute: [attr.int('axis', 1)] })], output: [tensorInfo('ey', F, null)] };
    const body = {
      name: 'body',
      node: [node('Identity', ['c_in'], ['c_out']), node('Add', ['acc_in', 'x'], ['acc_out']), node('Relu', ['acc_out'], ['scan'])],
      input: [tensorInfo('i', T.INT64, []), tensorInfo('c_in', T.BOOL, []), { name: 'acc_in' }],
      output: [{ name: 'c_out' }, { name: 'acc_out' }, { name: 'scan' }],
    };
    const t = infer({
      nodes: [
        node('If', ['cond'], ['y'], { attribute: [attr.graph('then_branch', thenG), attr.graph('else_branch', elseG)] }),
        node('Loop', ['M', '', 'acc0'], ['acc', 'scans'], { attribute: [attr.graph('body', body)] }),
      ],
      inputs: [['cond', T.BOOL, []], ['x', F, ['N', 3]], ['acc0', F, ['N', 3]]],
      initializers: [int64('M', [], [5])],
    });
    assert.deepEqual(shapeOf(t, 'y'), ['N', null]);
    assert.deepEqual(shapeOf(t, 'acc'), ['N', 3]);
    assert.deepEqual(shapeOf(t, 'scans'), [5, 'N', 3]);
  });

  it('infers calls of model-local functions through their bodies', () => {
    const fn = { name: 'Block', domain: 'local', input: ['a'], output: ['b'], node: [node('Transpose', ['a'], ['t']), node('Relu', ['t'], ['b'])] };
    const graph = { name: 'g', node: [node('Block', ['x'], ['y'], { domain: 'local' })], input: [tensorInfo('x', F, ['N', 5])], output: [] };
    const t = inferShapes(graph, [{ domain: '', version: L(17) }, { domain: 'local', version: L(1) }], undefined, { functions: [fn] });
    assert.deepEqual(t.get('y'), { elemType: F, shape: [5, 'N'] });
  });

  it('uses outer-scope types for subgraphs', () => {
    const g = { name: 'sub', node: [node('Relu', ['outer_x'], ['y'])], output: [] };
    const t = inferShapes(g, [], new Map([['outer_x', { elemType: F, shape: [2, 'K'] }]]));
    assert.deepEqual(t.get('y'), { elemType: F, shape: [2, 'K'] });
  });

  it('handles nodes listed out of topological order', () => {
    const t = infer({ nodes: [node('Relu', ['h'], ['y']), node('Transpose', ['x'], ['h'])], inputs: [['x', F, [2, 3]]] });
    assert.deepEqual(shapeOf(t, 'y'), [3, 2]);
  });
});
