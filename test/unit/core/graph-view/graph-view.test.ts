import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openModel, parseModel } from '../../../../src/core';
import {
  GraphPathError,
  buildHierarchy,
  buildGraphView,
  graphSearch,
  loadGraphView,
  parseShapeQuery,
} from '../../../../src/core/graph-view';
import { walkGraphs } from '../../../../src/core/graph-walk';
import { encode, rawFloat, type ModelSpec } from '../build';
import { T, attr, constInt, int64, node, tensorInfo } from './helpers';
import { REPO_ROOT } from '../../../helpers/paths';

const F = T.FLOAT;
const ROOT = REPO_ROOT;

function scoped(name: string, op: string, input: string[], output: string[]): ReturnType<typeof node> {
  return node(op, input, output, { name });
}

describe('graph view: structure', () => {
  it('the exported digits CNN: every edge has a shape, tensors know producers and consumers', async () => {
    const m = await openModel(join(ROOT, 'examples/digits/digits_cnn.onnx'));
    try {
      const v = await loadGraphView(m);
      assert.equal(v.path, 'main');
      assert.ok(v.nodes.length >= 5);
      for (const t of v.tensors) {
        assert.ok(t.shape, `tensor ${t.name} has no shape`);
        assert.ok(t.elemType, `tensor ${t.name} has no type`);
        assert.ok(t.shapeSource);
      }
      const conv = v.nodes.find((n) => n.opType === 'Conv')!;
      assert.equal(conv.category, 'conv');
      const out = v.tensors[conv.outputs[0]!]!;
      assert.equal(out.producer, conv.id);
      assert.equal(out.shapeSource, 'inferred');
      assert.equal(out.kind, 'intermediate');
      assert.ok(out.consumers.length > 0);
      const w = v.tensors[conv.inputs[1]!]!;
      assert.equal(w.kind, 'initializer');
      assert.equal(w.producer, -1);
      assert.deepEqual(w.consumers, [conv.id]);
      assert.deepEqual(v.inputs.map((i) => v.tensors[i]!.kind), ['input']);
      assert.deepEqual(v.outputs.map((i) => v.tensors[i]!.kind), ['output']);
      assert.deepEqual(v.breadcrumb, [{ path: 'main', label: v.name }]);
    } finally {
      await m.close();
    }
  });

  it('folds shape chains through lazily held INT64 initializers (loadGraphView) and marks declared vs inferred', async () => {
    const spec: ModelSpec = {
      nodes: [node('Shape', ['x'], ['s']), node('Gather', ['s', 'zero'], ['b']), node('Unsqueeze', ['b', 'ax'], ['b1']), node('Concat', ['b1', 'rest'], ['tgt'], { attribute: [attr.int('axis', 0)] }), node('Reshape', ['x', 'tgt'], ['y'])],
      inputs: [tensorInfo('x', F, ['N', 12, 64])],
      outputs: [tensorInfo('y', F, null)],
      initializers: [int64('zero', [], [0]), int64('ax', [1], [0]), int64('rest', [1], [768])],
    };
    const m = await parseModel(encode(spec));
    assert.equal(m.proto.graph!.initializer![0]!.rawData?.length ?? 0, 0, 'data stays lazy');
    const lazy = buildGraphView(m);
    const y0 = lazy.tensors.find((t) => t.name === 'y')!;
    assert.equal(y0.shape, null, 'without the constants only the rank of nothing is known');
    const v = await loadGraphView(m);
    const y = v.tensors.find((t) => t.name === 'y')!;
    assert.deepEqual(y.shape, ['N', 768]);
    assert.equal(y.shapeSource, 'inferred');
    assert.equal(y.kind, 'output');
    const x = v.tensors.find((t) => t.name === 'x')!;
    assert.equal(x.shapeSource, 'declared');
    assert.equal(x.elemType, 'FLOAT');
  });

  it('groups nodes by PyTorch and TF name scopes', async () => {
    const spec: ModelSpec = {
      nodes: [
        scoped('/embeddings/Gather', 'Gather', ['emb', 'ids'], ['e']),
        scoped('/encoder/layer.0/attention/self/MatMul', 'MatMul', ['e', 'e'], ['a']),
        scoped('/encoder/layer.0/attention/self/Softmax', 'Softmax', ['a'], ['b']),
        scoped('/encoder/layer.0/output/Add', 'Add', ['b', 'e'], ['c']),
        scoped('/encoder/layer.1/output/Add', 'Add', ['c', 'e'], ['d']),
        scoped('model/dense_1/MatMul', 'MatMul', ['d', 'w'], ['f']),
        scoped('Relu_top', 'Relu', ['f'], ['g']),
        scoped('/Identity', 'Identity', ['g'], ['h']),
      ],
      inputs: [tensorInfo('emb', F, [100, 8]), tensorInfo('ids', T.INT64, [4]), tensorInfo('w', F, [8, 8])],
      outputs: [tensorInfo('h', F, null)],
    };
    const v = buildGraphView(await parseModel(encode(spec)));
    const byPath = new Map(v.groups.map((g) => [g.path, g]));
    assert.deepEqual([...byPath.keys()], [
      '/embeddings', '/encoder', '/encoder/layer.0', '/encoder/layer.0/attention', '/encoder/layer.0/attention/self',
      '/encoder/layer.0/output', '/encoder/layer.1', '/encoder/layer.1/output', 'model', 'model/dense_1',
    ]);
    const enc = byPath.get('/encoder')!;
    assert.equal(enc.label, 'encoder');
    assert.equal(enc.parent, -1);
    assert.equal(enc.totalNodes, 4);
    assert.deepEqual(enc.nodes, []);
    assert.deepEqual(enc.children.map((c) => v.groups[c]!.label), ['layer.0', 'layer.1']);
    const self = byPath.get('/encoder/layer.0/attention/self')!;
    assert.deepEqual(self.nodes, [1, 2]);
    assert.equal(v.groups[self.parent]!.path, '/encoder/layer.0/attention');
    assert.equal(v.nodes[1]!.group, self.id);
    assert.equal(byPath.get('model/dense_1')!.totalNodes, 1);
    assert.deepEqual(v.rootNodes, [6, 7]);
    assert.deepEqual(v.rootGroups.map((g) => v.groups[g]!.path), ['/embeddings', '/encoder', 'model']);
    assert.equal(v.nodes[6]!.group, -1);
    for (const g of v.groups) for (const c of g.children) assert.ok(c > g.id, 'parents come before children');
  });

  it('splits a scope with more than 1,000 children into artificial groups of ≤ 1,000, in order', async () => {
    const nodes = [];
    for (let i = 0; i < 2500; i++) nodes.push(scoped(`/big/Relu_${i}`, 'Relu', [i === 0 ? 'x' : `t${i - 1}`], [`t${i}`]));
    const v = buildGraphView(await parseModel(encode({ nodes, inputs: [tensorInfo('x', F, [1])], outputs: [] })));
    const big = v.groups.find((g) => g.path === '/big')!;
    assert.equal(big.totalNodes, 2500);
    assert.deepEqual(big.nodes, []);
    const parts = big.children.map((c) => v.groups[c]!);
    assert.deepEqual(parts.map((p) => p.label), ['nodes 1–1000', 'nodes 1001–2000', 'nodes 2001–2500']);
    assert.ok(parts.every((p) => p.artificial === true && p.parent === big.id));
    assert.deepEqual(parts.map((p) => p.nodes.length), [1000, 1000, 500]);
    assert.equal(parts[1]!.nodes[0], 1000);
    assert.equal(v.nodes[2499]!.group, parts[2]!.id);
    assert.equal(big.artificial, undefined);
  });

  it('orders the artificial chunks of a split scope by graph order (direct nodes and sub-groups interleaved)', () => {
    // /big holds 1,200 direct nodes with a sub-scope /big/sub (3 nodes) starting at node 600.
    const names: string[] = [];
    for (let i = 0; i < 1203; i++) names.push(i >= 600 && i < 603 ? `/big/sub/Relu_${i}` : `/big/Relu_${i}`);
    const h = buildHierarchy(names, 1000);
    const big = h.groups.find((g) => g.path === '/big')!;
    const chunks = big.children.map((c) => h.groups[c]!);
    assert.ok(chunks.every((c) => c.artificial === true));
    const firstNode = (id: number): number => {
      const g = h.groups[id]!;
      return Math.min(...g.nodes, ...g.children.map(firstNode));
    };
    const firsts = chunks.map((c) => firstNode(c.id));
    assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), 'chunks in graph order');
    // The sub-group sits in the first chunk, between nodes 599 and 603, not after all direct nodes.
    const sub = h.groups.find((g) => g.path === '/big/sub')!;
    assert.equal(sub.parent, chunks[0]!.id);
    assert.ok(chunks[0]!.nodes.includes(599) && chunks[0]!.nodes.includes(603));
    assert.equal(firstNode(chunks[1]!.id), 1002);
  });

  it('splits the top level too when more than 1,000 nodes have no scope', async () => {
    const nodes = [];
    for (let i = 0; i < 1500; i++) nodes.push(node('Relu', ['x'], [`t${i}`], { name: `r${i}` }));
    const v = buildGraphView(await parseModel(encode({ nodes, inputs: [tensorInfo('x', F, [1])], outputs: [] })));
    assert.deepEqual(v.rootNodes, []);
    assert.deepEqual(v.rootGroups.map((g) => v.groups[g]!.label), ['nodes 1–1000', 'nodes 1001–1500']);
  });

  it('a 100k-node scoped model → buildGraphView (with inferShapes): structure and shapes hold (time printed; speed belongs to npm run bench)', async () => {
    const n = 100_000;
    const nodes = [];
    let prev = 'x';
    for (let i = 0; i < n; i++) {
      const layer = Math.floor(i / 20);
      const out = `/model/layers.${layer}/${i % 4 === 0 ? 'mlp' : 'attn'}/Op_${i}_output_0`;
      const op = i % 4 === 0 ? 'MatMul' : i % 4 === 1 ? 'Add' : i % 4 === 2 ? 'Relu' : 'Transpose';
      const inputs = op === 'MatMul' ? [prev, 'w'] : op === 'Add' ? [prev, 'b'] : [prev];
      const attrs = op === 'Transpose' ? [attr.ints('perm', [0, 2, 1])] : [];
      nodes.push(node(op, inputs, [out], { name: `/model/layers.${layer}/${i % 4 === 0 ? 'mlp' : 'attn'}/Op_${i}`, attribute: attrs }));
      prev = out;
    }
    const spec: ModelSpec = {
      nodes,
      inputs: [tensorInfo('x', F, ['N', 16, 16])],
      outputs: [tensorInfo(prev, F, null)],
      initializers: [rawFloat('w', [16, 16], new Array(256).fill(0.5)), rawFloat('b', [16], new Array(16).fill(0))],
    };
    const m = await parseModel(encode(spec));
    const t0 = performance.now();
    const v = buildGraphView(m);
    const ms = performance.now() - t0;
    console.log(`      buildGraphView of ${n.toLocaleString('en-US')} nodes: ${ms.toFixed(0)} ms (${v.groups.length} groups)`);
    assert.equal(v.nodes.length, n);
    assert.deepEqual(v.tensors[v.outputs[0]!]!.shape, ['N', 16, 16]);
    assert.equal(v.groups.find((g) => g.path === '/model')!.totalNodes, n);
  });
});

describe('graph view: subgraphs and functions', () => {
  function ifModel(): ModelSpec {
    const thenG = { name: 'then', node: [node('Relu', ['x'], ['ty'], { name: 'then_relu' })], output: [tensorInfo('ty', F, null)] };
    const inner = { name: 'inner', node: [node('Neg', ['ey'], ['iy'])], output: [tensorInfo('iy', F, null)] };
    const elseG = {
      name: 'else',
      node: [
        node('Concat', ['x', 'x'], ['ey'], { attribute: [attr.int('axis', 1)] }),
        node('Loop', ['', 'c'], [], { name: '', attribute: [attr.graph('body', inner)] }),
      ],
      output: [tensorInfo('ey', F, null)],
    };
    return {
      nodes: [
        node('Relu', ['x0'], ['x'], { name: 'pre' }),
        node('If', ['cond'], ['y'], { name: 'branch', attribute: [attr.graph('then_branch', thenG), attr.graph('else_branch', elseG)] }),
        node('Block', ['y'], ['z'], { name: 'call', domain: 'local' }),
      ],
      inputs: [tensorInfo('x0', F, ['N', 3]), tensorInfo('cond', T.BOOL, [])],
      outputs: [tensorInfo('z', F, null)],
      opsets: [{ domain: '', version: 17 }, { domain: 'local', version: 1 }],
      extra: { functions: [{ name: 'Block', domain: 'local', input: ['a'], output: ['b'], node: [node('Transpose', ['a'], ['t'], { name: 'fn_t' }), node('Sigmoid', ['t'], ['b'])] }] },
    };
  }

  it('lists subgraph paths per node (as walkGraphs writes them) and opens them with a breadcrumb and outer tensors', async () => {
    const m = await parseModel(encode(ifModel()));
    const v = buildGraphView(m);
    const ifNode = v.nodes[1]!;
    assert.equal(ifNode.category, 'control');
    assert.deepEqual(ifNode.subgraphs, [
      { attr: 'then_branch', path: 'main/branch:then_branch' },
      { attr: 'else_branch', path: 'main/branch:else_branch' },
    ]);
    const walked = [...walkGraphs(m.proto.graph!)].map((w) => w.path);
    for (const s of ifNode.subgraphs!) assert.ok(walked.includes(s.path), s.path);
    assert.deepEqual(v.tensors.find((t) => t.name === 'y')!.shape, ['N', null]);

    const thenV = buildGraphView(m, 'main/branch:then_branch');
    assert.deepEqual(thenV.breadcrumb.map((b) => b.path), ['main', 'main/branch:then_branch']);
    assert.equal(thenV.name, 'branch:then_branch');
    const x = thenV.tensors.find((t) => t.name === 'x')!;
    assert.equal(x.kind, 'outer');
    assert.deepEqual(x.shape, ['N', 3]);
    assert.deepEqual(thenV.tensors.find((t) => t.name === 'ty')!.shape, ['N', 3]);

    const elseV = buildGraphView(m, 'main/branch:else_branch');
    assert.deepEqual(elseV.tensors.find((t) => t.name === 'ey')!.shape, ['N', 6]);
    const loop = elseV.nodes[1]!;
    assert.deepEqual(loop.subgraphs, [{ attr: 'body', path: 'main/branch:else_branch/Loop_1:body' }]);
    assert.ok(walked.includes('main/branch:else_branch/Loop_1:body'));
    const inner = buildGraphView(m, 'main/branch:else_branch/Loop_1:body');
    assert.equal(inner.breadcrumb.length, 3);
    const ey = inner.tensors.find((t) => t.name === 'ey')!;
    assert.equal(ey.kind, 'outer');
    assert.deepEqual(ey.shape, ['N', 6]);
    assert.deepEqual(inner.tensors.find((t) => t.name === 'iy')!.shape, ['N', 6]);
  });

  it('links calls of model-local functions and opens function bodies typed from their first call', async () => {
    const m = await parseModel(encode(ifModel()));
    const v = buildGraphView(m);
    const call = v.nodes[2]!;
    assert.equal(call.functionPath, 'function:local/Block');
    assert.equal(call.category, 'custom');
    assert.equal(call.domain, 'local');
    assert.deepEqual(v.functions, [{ path: 'function:local/Block', label: 'local.Block' }]);
    assert.deepEqual(v.tensors.find((t) => t.name === 'z')!.shape, [null, 'N']);
    const f = buildGraphView(m, 'function:local/Block');
    assert.deepEqual(f.breadcrumb, [{ path: 'main', label: 'g' }, { path: 'function:local/Block', label: 'function Block' }]);
    assert.deepEqual(f.nodes.map((n) => n.opType), ['Transpose', 'Sigmoid']);
    assert.deepEqual(f.tensors.find((t) => t.name === 't')!.shape, [null, 'N']);
    assert.equal(f.tensors.find((t) => t.name === 'a')!.kind, 'input');
  });

  it('rejects paths that name no graph with GraphPathError', async () => {
    const m = await parseModel(encode(ifModel()));
    for (const p of ['', 'main/nope:body', 'main/branch:nope', 'function:local/Nope', 'other']) {
      assert.throws(() => buildGraphView(m, p), GraphPathError, p);
    }
  });
});

describe('graph view: search', () => {
  async function view(): Promise<ReturnType<typeof buildGraphView>> {
    const spec: ModelSpec = {
      nodes: [
        node('Conv', ['img', 'w'], ['c'], { name: '/backbone/conv1/Conv' }),
        node('Relu', ['c'], ['r'], { name: '/backbone/relu/Relu' }),
        node('Flatten', ['r'], ['f'], { name: 'flatten' }),
        constInt('k', [1]),
      ],
      inputs: [tensorInfo('img', F, ['N', 3, 8, 8])],
      outputs: [tensorInfo('f', F, null)],
      initializers: [rawFloat('w', [4, 3, 3, 3], new Array(108).fill(0.1))],
    };
    return buildGraphView(await parseModel(encode(spec)));
  }

  it('finds nodes by name and op type, any case', async () => {
    const v = await view();
    assert.deepEqual(graphSearch(v, 'conv').nodes, [0]);
    assert.deepEqual(graphSearch(v, 'RELU').nodes, [1]);
    assert.deepEqual(graphSearch(v, 'backbone').nodes, [0, 1]);
    assert.deepEqual(graphSearch(v, '  ').nodes, []);
  });

  it('finds tensors by name and by shape (`1,3,…`, `[…]`, `N`/`?` for symbolic dims)', async () => {
    const v = await view();
    const names = (q: string): string[] => graphSearch(v, q).tensors.map((i) => v.tensors[i]!.name);
    assert.deepEqual(names('img'), ['img']);
    assert.deepEqual(names('4,3,3,3'), ['w']);
    assert.deepEqual(names('[4, 3, 3, 3]'), ['w']);
    assert.deepEqual(names('N,4,6,6'), ['c', 'r']);
    assert.deepEqual(names('?,3,8,8'), ['img']);
    assert.deepEqual(names('[?,144]'), ['f']);
    assert.deepEqual(names('1,3,8,8'), [], 'numbers match fixed dims only');
    assert.deepEqual(names('[1]'), ['k']);
    assert.deepEqual(parseShapeQuery('1x3x224x224'), [1, 3, 224, 224]);
    assert.equal(parseShapeQuery('conv'), undefined);
  });
});
