import assert from 'node:assert/strict';
import { parseModel } from '../../../../src/core';
import { TensorNotFoundError, formatFloat32, nodeDetail, tensorDetail } from '../../../../src/core/graph-view';
import { encode, rawFloat, type ModelSpec } from '../build';
import { A, L, T, attr, floats, int64, node, tensorInfo } from './helpers';

const F = T.FLOAT;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function detailModel(): ModelSpec {
  const sub = { name: 'body_graph', node: [node('Identity', ['x'], ['y'])], output: [tensorInfo('y', F, null)] };
  return {
    nodes: [
      node('Custom', ['x'], ['y'], {
        name: 'everything',
        domain: 'test',
        docString: 'a node with every attribute type',
        attribute: [
          attr.float('alpha', 0.1),
          attr.float('one', 1),
          attr.int('axis', -1),
          { name: 'big', type: A.INT, i: L(2 ** 53 + 2) },
          attr.str('mode', 'NOTSET'),
          attr.floats('scales', [1, 0.5, 2.25]),
          attr.ints('pads', [1, 1, 1, 1]),
          attr.strs('names', ['a', 'b "q"']),
          attr.tensor('weight', rawFloat('wt', [64, 3, 3, 3], new Array(64 * 27).fill(0))),
          attr.tensor('small', int64('', [2], [7, 8])),
          { name: 'list', type: A.TENSORS, tensors: [floats('', [3], [1, 2, 3]), floats('', [1], [4])] },
          attr.graph('body', sub),
          { name: 'bodies', type: A.GRAPHS, graphs: [sub, sub] },
          { name: 'tp', type: A.TYPE_PROTO, tp: tensorInfo('', F, ['N', 3]).type },
          { name: 'sp', type: A.SPARSE_TENSOR, sparseTensor: { dims: [L(3), L(4)], values: floats('', [2], [5, 6]), indices: int64('', [2, 2], [0, 1, 2, 3]) } },
          { name: 'untyped', f: 2.5 },
          { name: 'ref', type: A.FLOAT, refAttrName: 'outer_alpha' },
        ],
      }),
    ],
    inputs: [tensorInfo('x', F, [1])],
    outputs: [tensorInfo('y', F, null)],
    opsets: [{ domain: '', version: 17 }, { domain: 'test', version: 1 }],
  };
}

describe('node detail', () => {
  it('formats every attribute type', async () => {
    const m = await parseModel(encode(detailModel()));
    const d = nodeDetail(m, 'main', 0);
    assert.equal(d.name, 'everything');
    assert.equal(d.opType, 'Custom');
    assert.equal(d.domain, 'test');
    assert.equal(d.docString, 'a node with every attribute type');
    const by = new Map(d.attributes.map((a) => [a.name, a]));
    const text = (n: string): string => by.get(n)!.text;
    assert.equal(text('alpha'), '0.1');
    assert.equal(by.get('alpha')!.type, 'FLOAT');
    assert.equal(text('one'), '1.0');
    assert.equal(text('axis'), '-1');
    assert.equal(text('big'), '9007199254740994');
    assert.equal(text('mode'), '"NOTSET"');
    assert.equal(text('scales'), '[1.0, 0.5, 2.25]');
    assert.equal(text('pads'), '[1, 1, 1, 1]');
    assert.equal(by.get('pads')!.type, 'INTS');
    assert.equal(text('names'), '["a", "b \\"q\\""]');
    assert.equal(text('weight'), 'tensor FLOAT[64,3,3,3]');
    assert.equal(by.get('weight')!.tensorRef, '@0:weight');
    assert.equal(text('small'), 'tensor INT64[2] = [7, 8]');
    assert.equal(text('list'), '[tensor FLOAT[3] = [1.0, 2.0, 3.0], tensor FLOAT[1] = [4.0]]');
    assert.equal(by.get('list')!.tensorRef, '@0:list:0');
    assert.equal(text('body'), 'graph "body_graph" (1 nodes)');
    assert.deepEqual(by.get('body')!.graphs, ['main/everything:body']);
    assert.deepEqual(by.get('bodies')!.graphs, ['main/everything:bodies', 'main/everything:bodies#1']);
    assert.equal(by.get('bodies')!.type, 'GRAPHS');
    assert.equal(text('tp'), 'float[N,3]');
    assert.equal(text('sp'), 'sparse tensor FLOAT[3,4] (2 values)');
    assert.equal(by.get('sp')!.tensorRef, '@0:sp');
    assert.equal(text('untyped'), '2.5');
    assert.equal(by.get('untyped')!.type, 'FLOAT');
    assert.equal(text('ref'), '→ outer_alpha (function attribute)');
  });

  it('cuts long lists and rejects unknown nodes', async () => {
    const spec: ModelSpec = {
      nodes: [node('X', [], ['y'], { attribute: [attr.ints('many', Array.from({ length: 100 }, (_, i) => i))] })],
      inputs: [],
      outputs: [],
    };
    const m = await parseModel(encode(spec));
    assert.match(nodeDetail(m, 'main', 0).attributes[0]!.text, /^\[0, 1, 2, .*, 63, … \(100 values\)\]$/);
    assert.throws(() => nodeDetail(m, 'main', 5), RangeError);
  });

  it('formats float32 values by their shortest round-trip text', () => {
    assert.equal(formatFloat32(Math.fround(0.1)), '0.1');
    assert.equal(formatFloat32(3), '3.0');
    assert.equal(formatFloat32(1e-7), '1e-7');
    assert.equal(formatFloat32(-Infinity), '-Infinity');
    assert.equal(formatFloat32(NaN), 'NaN');
  });
});

describe('tensor detail', () => {
  function spec(): ModelSpec {
    const values = [0, 0, 1, 2, 3, 4, 5, 6, 7, NaN];
    return {
      nodes: [
        node('Add', ['x', 'w'], ['y']),
        node('Constant', [], ['c'], { attribute: [attr.tensor('value', int64('', [3], [10, -20, 30]))] }),
        node('Custom', [], ['s'], { domain: 'test', attribute: [attr.tensor('t', { name: '', dims: [L(2)], dataType: T.STRING, stringData: [enc('hi'), enc('"x"')] }), { name: 'sp', type: A.SPARSE_TENSOR, sparseTensor: { dims: [L(2), L(3)], values: floats('', [2], [5, 6]), indices: int64('', [2, 2], [0, 1, 1, 2]) } }] }),
      ],
      inputs: [tensorInfo('x', F, [10])],
      outputs: [tensorInfo('y', F, null)],
      initializers: [rawFloat('w', [2, 5], values), rawFloat('big', [100, 100], new Array(10_000).fill(1))],
      opsets: [{ domain: '', version: 17 }, { domain: 'test', version: 1 }],
    };
  }

  it('computes stats, sparsity, NaN count, a 32-bin histogram and a preview of an initializer', async () => {
    const m = await parseModel(encode(spec()));
    const d = await tensorDetail(m, 'main', 'w', { maxElements: 1000 });
    assert.equal(d.name, 'w');
    assert.equal(d.elemType, 'FLOAT');
    assert.deepEqual(d.shape, [2, 5]);
    assert.equal(d.size, 10);
    const s = d.stats!;
    assert.equal(s.min, 0);
    assert.equal(s.max, 7);
    assert.ok(Math.abs(s.mean! - 28 / 9) < 1e-9);
    const mean = 28 / 9;
    const std = Math.sqrt([0, 0, 1, 2, 3, 4, 5, 6, 7].reduce((a, x) => a + (x - mean) ** 2, 0) / 9);
    assert.ok(Math.abs(s.std! - std) < 1e-9);
    assert.equal(s.sparsity, 0.2);
    assert.equal(s.nan, 1);
    const h = d.histogram!;
    assert.equal(h.counts.length, 32);
    assert.equal(h.min, 0);
    assert.equal(h.max, 7);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 9);
    assert.equal(h.counts[0], 2);
    assert.equal(h.counts[Math.floor(1 / (7 / 32))], 1);
    assert.equal(h.counts[31], 1);
    assert.deepEqual(d.preview, ['0.0', '0.0', '1.0', '2.0', '3.0', '4.0', '5.0', '6.0', '7.0', 'NaN']);
    assert.equal(d.note, undefined);
  });

  it('skips values over maxElements with a note', async () => {
    const m = await parseModel(encode(spec()));
    const d = await tensorDetail(m, 'main', 'big', { maxElements: 1000 });
    assert.equal(d.stats, null);
    assert.equal(d.histogram, null);
    assert.deepEqual(d.preview, []);
    assert.match(d.note!, /10,000 elements exceed the limit of 1,000/);
  });

  it('reads Constant outputs, attribute tensors by reference, sparse tensors densified, string tensors as preview only', async () => {
    const m = await parseModel(encode(spec()));
    const c = await tensorDetail(m, 'main', 'c', { maxElements: 1000 });
    assert.equal(c.elemType, 'INT64');
    assert.deepEqual(c.preview, ['10', '-20', '30']);
    assert.equal(c.stats!.min, -20);
    assert.equal(c.stats!.sparsity, 0);
    const str = await tensorDetail(m, 'main', '@2:t', { maxElements: 1000 });
    assert.equal(str.stats, null);
    assert.equal(str.histogram, null);
    assert.deepEqual(str.preview, ['"hi"', '"\\"x\\""']);
    const sp = await tensorDetail(m, 'main', '@2:sp', { maxElements: 1000 });
    assert.deepEqual(sp.shape, [2, 3]);
    assert.deepEqual(sp.preview, ['0.0', '5.0', '0.0', '0.0', '0.0', '6.0']);
    assert.ok(Math.abs(sp.stats!.sparsity! - 4 / 6) < 1e-12);
    await assert.rejects(tensorDetail(m, 'main', 'x', { maxElements: 10 }), TensorNotFoundError);
    await assert.rejects(tensorDetail(m, 'main', '@9:t', { maxElements: 10 }), TensorNotFoundError);
  });
});
