import assert from 'node:assert/strict';
import { parseModel } from '../../../../src/core';
import { buildGraphView, graphDiff, graphSearch, nodeDetail } from '../../../../src/core/graph-view';
import { inferShapes } from '../../../../src/core/shape-inference';
import { encode, type ModelSpec } from '../build';
import { L, T, attr, int64, node, tensorInfo } from './helpers';

const F = T.FLOAT;

describe('graph view and shape inference: malformed models do not throw', () => {
  it('nodes referring to missing tensors, cycles, self-loops, duplicate producers, empty names', async () => {
    const spec: ModelSpec = {
      nodes: [
        node('Add', ['ghost', 'x'], ['a'], { name: 'a/b/c' }),
        node('Relu', ['c'], ['b'], { name: 'cyc1' }),
        node('Relu', ['b'], ['c'], { name: 'cyc2' }),
        node('Neg', ['self'], ['self'], { name: '' }),
        node('Relu', ['x'], ['a'], { name: 'dup' }),
        node('', [], [], { name: '//' }),
        node('Conv', ['x'], ['cv']),
        node('Reshape', ['x', 'bad'], ['rs']),
        node('Gemm', ['x'], ['gm']),
        node('Transpose', ['x'], ['tp'], { attribute: [attr.ints('perm', [5, 9])] }),
        node('Split', ['x'], ['s1', 's2'], { attribute: [attr.int('axis', 7)] }),
        node('Slice', ['x', 'bad', 'bad'], ['sl']),
        node('Concat', ['x', 'rs'], ['cc'], { attribute: [attr.int('axis', 9)] }),
        node('If', ['x'], ['if'], { attribute: [{ name: 'then_branch', type: 5 }] }),
        node('MaxPool', ['x'], ['mp'], { attribute: [attr.ints('kernel_shape', [100, 100])] }),
      ],
      inputs: [tensorInfo('x', F, [2, 3])],
      outputs: [tensorInfo('a', F, null), tensorInfo('missing_out', F, null)],
      initializers: [int64('bad', [2], [-7, -9])],
    };
    const m = await parseModel(encode(spec));
    const v = buildGraphView(m);
    assert.equal(v.nodes.length, spec.nodes.length);
    const ghost = v.tensors.find((t) => t.name === 'ghost')!;
    assert.equal(ghost.producer, -1);
    assert.equal(ghost.kind, 'intermediate');
    assert.equal(v.tensors.find((t) => t.name === 'missing_out')!.producer, -1);
    assert.equal(v.tensors.find((t) => t.name === 'a')!.producer, 0, 'the first producer wins');
    for (const t of v.tensors) if (t.shape) for (const d of t.shape) assert.ok(d === null || typeof d === 'string' || (Number.isInteger(d) && d >= 0), `${t.name}: ${String(d)}`);
    assert.deepEqual(graphSearch(v, '[2,3]').tensors.map((i) => v.tensors[i]!.name).slice(0, 1), ['x']);
    for (let i = 0; i < v.nodes.length; i++) nodeDetail(m, 'main', i);
    graphDiff(m, m);
  });

  it('graphs with no nodes, no names, no types', async () => {
    const m = await parseModel(encode({ nodes: [], inputs: [{ name: 'x' }, {}], outputs: [{}] }));
    const v = buildGraphView(m);
    assert.equal(v.nodes.length, 0);
    assert.deepEqual(v.tensors.map((t) => [t.name, t.shape, t.shapeSource]), [['x', null, null]]);
    assert.deepEqual(inferShapes({}, []).size, 0);
  });

  it('non-tensor declared types are described, not inferred', async () => {
    const seq = { name: 's', type: { sequenceType: { elemType: tensorInfo('', F, [3]).type } } };
    const m = await parseModel(encode({ nodes: [node('Identity', ['s'], ['o'])], inputs: [seq], outputs: [] }));
    const v = buildGraphView(m);
    const s = v.tensors.find((t) => t.name === 's')!;
    assert.equal(s.elemType, 'seq(float[3])');
    assert.equal(s.shape, null);
    assert.equal(s.shapeSource, 'declared');
  });

  it('deeply nested If subgraphs (200 levels) neither overflow nor take long', async () => {
    let g: { name: string; node: ReturnType<typeof node>[]; output: ReturnType<typeof tensorInfo>[] } = { name: 'leaf', node: [node('Relu', ['x'], ['y'])], output: [tensorInfo('y', F, null)] };
    for (let i = 0; i < 200; i++) {
      g = { name: `l${i}`, node: [node('If', ['c'], ['y'], { name: `if${i}`, attribute: [attr.graph('then_branch', g), attr.graph('else_branch', g)] })], output: [tensorInfo('y', F, null)] };
    }
    // protobufjs refuses > 100 nested messages when decoding, so work on the proto in memory.
    const proto = { irVersion: L(8), opsetImport: [{ domain: '', version: L(17) }], graph: { ...g, input: [tensorInfo('x', F, [1]), tensorInfo('c', T.BOOL, [])] } };
    const t0 = performance.now();
    const types = inferShapes(proto.graph, proto.opsetImport);
    assert.ok(performance.now() - t0 < 500);
    assert.ok(types.has('y'));
  });
});
