/**
 * Structured pruning, less common graph shapes: an excluded residual partner, a constant shared by two groups,
 * scalar Constant nodes on the way, nodes listed out of topological order, a tensor read inside an If branch, and
 * weights that are also graph inputs (IR < 4 style).
 */
import assert from 'node:assert/strict';
import { openModel } from '../../../../src/core';
import { onnx } from '../../../../src/core/proto/onnx';
import { PruneError } from '../../../../src/pipeline/prune-graph/errors';
import { listPrunable, type PruneGraphSettings } from '../../../../src/pipeline/prune-graph/prune-graph';
import { L, Scratch, build, channelL1, edited, encodeModel, firstOutput, maxAbsDiff, pruneFile, randoms, settings, smallest, valueInfo, zeroAlong, type Built } from './helpers';

const S = (over: Partial<PruneGraphSettings>) => settings({ method: 'structured', sparsity: 0.5, ...over });
const r = (n: number, seed: number) => Array.from(randoms(n, seed));
const pads = { name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1].map(L) };

/** conv1 → BN(ones, …) → Relu → Mul(Constant 0.5) → conv2 → BN(ones, …) → Relu → conv3 → y; `ones` is shared by both BNs. */
function chain(): Built {
  const half: onnx.TensorProto.$Properties = { dims: [], dataType: 1, floatData: [0.5] };
  return build(
    {
      nodes: [
        { opType: 'Conv', input: ['x', 'W1'], output: ['c1'], name: 'conv1', attribute: [pads] },
        { opType: 'BatchNormalization', input: ['c1', 'ones', 'b1', 'zeros', 'ones'], output: ['n1'], name: 'bn1' },
        { opType: 'Relu', input: ['n1'], output: ['r1'], name: 'relu1' },
        { opType: 'Constant', input: [], output: ['k'], name: 'half', attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: half }] },
        { opType: 'Mul', input: ['r1', 'k'], output: ['m1'], name: 'scale' },
        { opType: 'Conv', input: ['m1', 'W2'], output: ['c2'], name: 'conv2', attribute: [pads] },
        { opType: 'BatchNormalization', input: ['c2', 'ones', 'b2', 'zeros', 'ones'], output: ['n2'], name: 'bn2' },
        { opType: 'Relu', input: ['n2'], output: ['r2'], name: 'relu2' },
        { opType: 'Conv', input: ['r2', 'W3'], output: ['y'], name: 'conv3' },
      ],
      inputs: [valueInfo('x', 1, [1, 3, 6, 6])],
      outputs: [valueInfo('y', 1, [1, 2, 6, 6])],
    },
    {
      W1: [[8, 3, 3, 3], r(216, 1)],
      W2: [[8, 8, 3, 3], r(576, 2)],
      W3: [[2, 8, 1, 1], r(16, 3)],
      ones: [[8], new Array(8).fill(1)],
      zeros: [[8], new Array(8).fill(0)],
      b1: [[8], r(8, 4)],
      b2: [[8], r(8, 5)],
    },
  );
}

describe('prune: structured, edge cases', () => {
  let scratch: Scratch;
  before(() => (scratch = new Scratch()));
  after(() => scratch.dispose());
  const x = { x: { data: randoms(108, 7), dims: [1, 3, 6, 6] } };

  async function equivalent(b: Built, s: PruneGraphSettings, zero: (b: Built) => Built, name: string) {
    const res = await pruneFile(scratch, b, s, name);
    const ref = scratch.write(`${name}.zeroed.onnx`, encodeModel(zero(b).spec));
    const diff = maxAbsDiff(await firstOutput(res.output, x), await firstOutput(ref, x));
    assert.ok(diff < 1e-5, `${name}: max diff ${diff}`);
    return res;
  }

  it('a constant shared by two groups gets a sliced copy per group; a scalar Constant node does not block', async () => {
    const b = chain();
    const w1 = b.weights.get('W1')!;
    const w2 = b.weights.get('W2')!;
    const g1 = smallest(channelL1(w1.values, w1.dims, 0), 4);
    const g2 = smallest(channelL1(w2.values, w2.dims, 0), 4);
    const res = await equivalent(
      b,
      S({}),
      (m) => edited(edited(m, 'W2', (v, d) => zeroAlong(v, d, 1, g1)), 'W3', (v, d) => zeroAlong(v, d, 1, g2)),
      'shared',
    );
    const m = await openModel(res.output);
    try {
      const bn1 = m.proto.graph!.node!.find((n) => n.name === 'bn1')!;
      const bn2 = m.proto.graph!.node!.find((n) => n.name === 'bn2')!;
      const dims = (name: string) => m.proto.graph!.initializer!.find((t) => t.name === name)!.dims!.map(Number);
      for (const n of [bn1, bn2]) for (const k of [1, 2, 3, 4]) assert.deepEqual(dims(n.input![k]!), [4], `${n.name} input ${k}`);
      assert.notEqual(bn1.input![1], bn2.input![1]);
      assert.ok(!m.proto.graph!.initializer!.some((t) => t.name === 'ones' && Number(t.dims![0]) === 8), 'the unread original is dropped');
    } finally {
      await m.close();
    }
  });

  it('nodes listed out of topological order are still followed', async () => {
    const b = chain();
    const nodes = [...b.spec.nodes].reverse();
    const w1 = b.weights.get('W1')!;
    const w2 = b.weights.get('W2')!;
    const g1 = smallest(channelL1(w1.values, w1.dims, 0), 4);
    const g2 = smallest(channelL1(w2.values, w2.dims, 0), 4);
    const shuffled: Built = { spec: { ...b.spec, nodes }, weights: b.weights };
    await equivalent(shuffled, S({}), (m) => edited(edited(m, 'W2', (v, d) => zeroAlong(v, d, 1, g1)), 'W3', (v, d) => zeroAlong(v, d, 1, g2)), 'unsorted');
  });

  it('an excluded producer blocks the residual partner it is joined with, naming it', async () => {
    const b = build(
      {
        nodes: [
          { opType: 'Conv', input: ['x', 'W1'], output: ['a'], name: 'left', attribute: [pads] },
          { opType: 'Conv', input: ['x', 'W2'], output: ['bb'], name: 'right', attribute: [pads] },
          { opType: 'Add', input: ['a', 'bb'], output: ['s'], name: 'sum' },
          { opType: 'Relu', input: ['s'], output: ['t'], name: 'relu' },
          { opType: 'Conv', input: ['t', 'W3'], output: ['y'], name: 'head' },
        ],
        inputs: [valueInfo('x', 1, [1, 3, 6, 6])],
        outputs: [valueInfo('y', 1, [1, 2, 6, 6])],
      },
      { W1: [[4, 3, 3, 3], r(108, 11)], W2: [[4, 3, 3, 3], r(108, 12)], W3: [[2, 4, 1, 1], r(8, 13)] },
    );
    await assert.rejects(pruneFile(scratch, b, S({ exclude: ['right'], layers: ['left'] }), 'ex'), (e: unknown) => {
      assert.ok(e instanceof PruneError && e.reason === 'not-prunable');
      assert.match(e.message, /its channels feed a residual Add 'sum' with 'bb', whose channels come from 'right', which is excluded/);
      return true;
    });
    // Not excluded: both branches are one group and lose the same channels.
    const w1 = b.weights.get('W1')!;
    const w2 = b.weights.get('W2')!;
    const l1 = channelL1(w1.values, w1.dims, 0);
    const l2 = channelL1(w2.values, w2.dims, 0);
    const gone = smallest(l1.map((v, i) => v + l2[i]!), 2);
    const res = await equivalent(b, S({}), (m) => edited(m, 'W3', (v, d) => zeroAlong(v, d, 1, gone)), 'both');
    assert.deepEqual(res.outcome.layers.filter((l) => l.status === 'pruned').map((l) => [l.name, l.group]), [['left', 1], ['right', 1]]);
  });

  it('a tensor read inside an If branch blocks its group', async () => {
    const branch = (name: string): onnx.GraphProto.$Properties => ({
      name,
      node: [{ opType: 'Identity', input: ['r'], output: [`${name}_out`], name: `${name}_id` }],
      output: [valueInfo(`${name}_out`, 1, [1, 4, 6, 6])],
    });
    const b = build(
      {
        nodes: [
          { opType: 'Conv', input: ['x', 'W1'], output: ['c'], name: 'conv1', attribute: [pads] },
          { opType: 'Relu', input: ['c'], output: ['r'], name: 'relu' },
          {
            opType: 'If',
            input: ['cond'],
            output: ['z'],
            name: 'branch',
            attribute: [
              { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('then') },
              { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('else') },
            ],
          },
          { opType: 'Conv', input: ['z', 'W2'], output: ['y'], name: 'conv2' },
        ],
        inputs: [valueInfo('x', 1, [1, 3, 6, 6]), valueInfo('cond', 9, [])],
        outputs: [valueInfo('y', 1, [1, 2, 6, 6])],
      },
      { W1: [[4, 3, 3, 3], r(108, 21)], W2: [[2, 4, 1, 1], r(8, 22)] },
    );
    await assert.rejects(
      pruneFile(scratch, b, S({ layers: ['conv1'] }), 'if'),
      (e: unknown) => e instanceof PruneError && /its output 'r' is read inside a subgraph/.test(e.message),
    );
  });

  it('a PyTorch-style view(x.size(0), -1) (Shape → Gather → Unsqueeze → Concat → Reshape) is followed; listPrunable agrees', async () => {
    const i64 = (name: string, dims: number[], v: number[]): onnx.NodeProto.$Properties => ({
      opType: 'Constant',
      input: [],
      output: [name],
      name: `const_${name}`,
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: dims.map(L), dataType: 7, int64Data: v.map(L) } }],
    });
    const b = build(
      {
        nodes: [
          { opType: 'Conv', input: ['x', 'W1'], output: ['c'], name: 'conv', attribute: [pads] },
          { opType: 'Relu', input: ['c'], output: ['r'], name: 'relu' },
          { opType: 'Shape', input: ['r'], output: ['sh'], name: 'shape' },
          i64('zero', [], [0]),
          { opType: 'Gather', input: ['sh', 'zero'], output: ['n'], name: 'gather' },
          i64('axes', [1], [0]),
          { opType: 'Unsqueeze', input: ['n', 'axes'], output: ['n1'], name: 'unsq' },
          i64('minus', [1], [-1]),
          { opType: 'Concat', input: ['n1', 'minus'], output: ['target'], name: 'cat', attribute: [{ name: 'axis', type: 2, i: L(0) }] },
          { opType: 'Reshape', input: ['r', 'target'], output: ['f'], name: 'view' },
          { opType: 'Gemm', input: ['f', 'W2'], output: ['y'], name: 'fc' },
        ],
        inputs: [valueInfo('x', 1, ['N', 3, 6, 6])],
        outputs: [valueInfo('y', 1, ['N', 2])],
      },
      { W1: [[4, 3, 3, 3], r(108, 41)], W2: [[144, 2], r(288, 42)] },
    );
    const w1 = b.weights.get('W1')!;
    const gone = smallest(channelL1(w1.values, w1.dims, 0), 2);
    const res = await equivalent(b, S({}), (m) => edited(m, 'W2', (v, d) => zeroAlong(v, d, 0, gone, 36)), 'view');
    assert.equal(res.outcome.layers.find((l) => l.name === 'conv')?.channels_after, 2);
    const m = await openModel(res.source);
    try {
      assert.deepEqual(listPrunable(m, 'structured').layers.map((l) => l.name), ['conv']);
    } finally {
      await m.close();
    }
  });

  it('a weight that is also a graph input (IR < 4 style) is skipped with the reason', async () => {
    const b = build(
      {
        nodes: [
          { opType: 'Gemm', input: ['x', 'W1'], output: ['h'], name: 'fc1' },
          { opType: 'Relu', input: ['h'], output: ['r'], name: 'relu' },
          { opType: 'Gemm', input: ['r', 'W2'], output: ['y'], name: 'fc2' },
        ],
        inputs: [valueInfo('x', 1, [2, 4]), valueInfo('W1', 1, [4, 6])],
        outputs: [valueInfo('y', 1, [2, 3])],
      },
      { W1: [[4, 6], r(24, 31)], W2: [[6, 3], r(18, 32)] },
    );
    await assert.rejects(pruneFile(scratch, b, S({ layers: ['fc1'] }), 'ir3'), (e: unknown) => e instanceof PruneError && /also a graph input/.test(e.message));
    const mag = await pruneFile(scratch, b, settings({}), 'ir3m');
    assert.deepEqual(mag.outcome.layers.map((l) => l.name), ['fc2']);
    assert.match(mag.outcome.skipped.find((s) => s.node === 'fc1')!.reason, /also a graph input/);
  });
});
