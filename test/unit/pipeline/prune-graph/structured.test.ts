/**
 * Structured pruning on small known graphs: the pruned model's onnxruntime outputs must equal the original model's
 * outputs with the removed channels zeroed on the consumers' input side (a reference model built here, the removed
 * channels chosen here from the weights' L1 norms), tensors must really shrink, and unsafe layers are refused with
 * a reason.
 */
import assert from 'node:assert/strict';
import { openModel } from '../../../../src/core';
import { dimsOf } from '../../../../src/pipeline/shared/graph-editor';
import { PruneError } from '../../../../src/pipeline/prune-graph/errors';
import { listPrunable, pruneGraph } from '../../../../src/pipeline/prune-graph/prune-graph';
import type { PruneGraphSettings } from '../../../../src/pipeline/prune-graph/prune-graph';
import { onnx } from '../../../../src/core/proto/onnx';
import {
  L, Scratch, build, channelL1, edited, encodeModel, firstOutput, intAttr, maxAbsDiff, pruneFile, randoms, settings, smallest, valueInfo, zeroAlong,
  type Built,
} from './helpers';

const ints = (name: string, v: number[]): onnx.AttributeProto.$Properties => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v.map(L) });
const PAD1 = ints('pads', [1, 1, 1, 1]);
const r = (n: number, seed: number, scale = 1) => Array.from(randoms(n, seed), (v) => v * scale);
const S = (over: Partial<PruneGraphSettings>) => settings({ method: 'structured', sparsity: 0.5, ...over });

/** Dims of an initializer of a model file. */
async function initDims(file: string, name: string): Promise<number[]> {
  const m = await openModel(file);
  try {
    const t = m.proto.graph!.initializer!.find((x) => x.name === name);
    assert.ok(t, `initializer ${name} in ${file}`);
    return dimsOf(t);
  } finally {
    await m.close();
  }
}

/** Prunes `b`, builds the zeroed reference, and compares both models' outputs on `input`. */
async function checkEquivalent(
  scratch: Scratch,
  b: Built,
  s: PruneGraphSettings,
  zero: (b: Built) => Built,
  input: Record<string, { data: Float32Array; dims: number[] }>,
  name: string,
) {
  const res = await pruneFile(scratch, b, s, name);
  const refFile = scratch.write(`${name}.zeroed.onnx`, encodeModel(zero(b).spec));
  const want = await firstOutput(refFile, input);
  const got = await firstOutput(res.output, input);
  assert.equal(got.length, want.length);
  const diff = maxAbsDiff(got, want);
  assert.ok(diff < 1e-5, `${name}: max |pruned − zeroed reference| = ${diff}`);
  // The pruning really changes the function (otherwise the comparison would prove nothing).
  const orig = await firstOutput(res.source, input);
  assert.ok(maxAbsDiff(orig, want) > 1e-4, `${name}: removing channels should change the output`);
  return res;
}

/** x[1,3,8,8] → conv1 → BN → Relu → Mul(per-channel constant) → conv2 → y. */
function convBnRelu(): Built {
  return build(
    {
      nodes: [
        { opType: 'Conv', input: ['x', 'W1', 'B1'], output: ['c1'], name: 'conv1', attribute: [PAD1] },
        { opType: 'BatchNormalization', input: ['c1', 'bs', 'bb', 'bm', 'bv'], output: ['n1'], name: 'bn1' },
        { opType: 'Relu', input: ['n1'], output: ['r1'], name: 'relu1' },
        { opType: 'Mul', input: ['r1', 'k'], output: ['m1'], name: 'scale' },
        { opType: 'Conv', input: ['m1', 'W2', 'B2'], output: ['y'], name: 'conv2', attribute: [PAD1] },
      ],
      inputs: [valueInfo('x', 1, [1, 3, 8, 8])],
      outputs: [valueInfo('y', 1, [1, 4, 8, 8])],
    },
    {
      W1: [[8, 3, 3, 3], r(216, 1).map((v, i) => v * (1 + (Math.floor(i / 27) % 3)))],
      B1: [[8], r(8, 2)],
      bs: [[8], r(8, 3).map((v) => 1 + 0.3 * v)],
      bb: [[8], r(8, 4)],
      bm: [[8], r(8, 5, 0.1)],
      bv: [[8], r(8, 6).map((v) => 1 + 0.5 * Math.abs(v))],
      k: [[1, 8, 1, 1], r(8, 7).map((v) => 1 + v)],
      W2: [[4, 8, 3, 3], r(288, 8)],
      B2: [[4], r(4, 9)],
    },
  );
}

/** x[N,6] → fc1 (Gemm) → Relu → fc2 (Gemm, transB) → PRelu → fc3 (MatMul) → Add const → y. */
function gemmChain(): Built {
  return build(
    {
      nodes: [
        { opType: 'Gemm', input: ['x', 'W1', 'C1'], output: ['h1'], name: 'fc1' },
        { opType: 'Relu', input: ['h1'], output: ['r1'], name: 'relu' },
        { opType: 'Gemm', input: ['r1', 'W2', 'C2'], output: ['h2'], name: 'fc2', attribute: [intAttr('transB', 1)] },
        { opType: 'PRelu', input: ['h2', 'slope'], output: ['p2'], name: 'prelu' },
        { opType: 'MatMul', input: ['p2', 'W3'], output: ['h3'], name: 'fc3' },
        { opType: 'Add', input: ['h3', 'b3'], output: ['y'], name: 'bias3' },
      ],
      inputs: [valueInfo('x', 1, ['N', 6])],
      outputs: [valueInfo('y', 1, ['N', 5])],
    },
    {
      W1: [[6, 10], r(60, 11)],
      C1: [[10], r(10, 12)],
      W2: [[8, 10], r(80, 13)],
      C2: [[8], r(8, 14)],
      slope: [[8], r(8, 15, 0.3)],
      W3: [[8, 5], r(40, 16)],
      b3: [[5], r(5, 17)],
    },
  );
}

/** stem → Relu → conv1 → BN → Relu → conv2 → BN → Add(skip from the stem) → Relu → conv3 → y. */
function residual(): Built {
  const bn = (p: string) => ({
    [`${p}s`]: [[8], r(8, p.length + 20).map((v) => 1 + 0.2 * v)] as [number[], number[]],
    [`${p}b`]: [[8], r(8, p.length + 21, 0.5)] as [number[], number[]],
    [`${p}m`]: [[8], r(8, p.length + 22, 0.1)] as [number[], number[]],
    [`${p}v`]: [[8], r(8, p.length + 23).map((v) => 1 + Math.abs(v))] as [number[], number[]],
  });
  return build(
    {
      nodes: [
        { opType: 'Conv', input: ['x', 'Ws', 'Bs'], output: ['s'], name: 'stem', attribute: [PAD1] },
        { opType: 'Relu', input: ['s'], output: ['r0'], name: 'relu0' },
        { opType: 'Conv', input: ['r0', 'W1'], output: ['c1'], name: 'conv1', attribute: [PAD1] },
        { opType: 'BatchNormalization', input: ['c1', 'p1s', 'p1b', 'p1m', 'p1v'], output: ['n1'], name: 'bn1' },
        { opType: 'Relu', input: ['n1'], output: ['r1'], name: 'relu1' },
        { opType: 'Conv', input: ['r1', 'W2'], output: ['c2'], name: 'conv2', attribute: [PAD1] },
        { opType: 'BatchNormalization', input: ['c2', 'p22s', 'p22b', 'p22m', 'p22v'], output: ['n2'], name: 'bn2' },
        { opType: 'Add', input: ['n2', 'r0'], output: ['a'], name: 'add' },
        { opType: 'Relu', input: ['a'], output: ['r2'], name: 'relu2' },
        { opType: 'Conv', input: ['r2', 'W3', 'B3'], output: ['y'], name: 'conv3' },
      ],
      inputs: [valueInfo('x', 1, [1, 3, 6, 6])],
      outputs: [valueInfo('y', 1, [1, 4, 6, 6])],
    },
    {
      Ws: [[8, 3, 3, 3], r(216, 31)],
      Bs: [[8], r(8, 32)],
      W1: [[8, 8, 3, 3], r(576, 33)],
      ...bn('p1'),
      W2: [[8, 8, 3, 3], r(576, 34)],
      ...bn('p22'),
      W3: [[4, 8, 1, 1], r(32, 35)],
      B3: [[4], r(4, 36)],
    },
  );
}

/** conv → Relu → MaxPool → Flatten (or Reshape to `shape`) → fc (Gemm) → y. */
function convPoolFlatten(shape?: number[]): Built {
  const flat = shape
    ? { opType: 'Reshape', input: ['p', 'shape'], output: ['f'], name: 'reshape' }
    : { opType: 'Flatten', input: ['p'], output: ['f'], name: 'flatten' };
  return build(
    {
      nodes: [
        { opType: 'Conv', input: ['x', 'W1', 'B1'], output: ['c'], name: 'conv', attribute: [PAD1] },
        { opType: 'Relu', input: ['c'], output: ['r'], name: 'relu' },
        { opType: 'MaxPool', input: ['r'], output: ['p'], name: 'pool', attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
        flat,
        { opType: 'Gemm', input: ['f', 'W2', 'C2'], output: ['y'], name: 'fc' },
      ],
      inputs: [valueInfo('x', 1, [1, 2, 6, 6])],
      outputs: [valueInfo('y', 1, [1, 5])],
    },
    { W1: [[6, 2, 3, 3], r(108, 41)], B1: [[6], r(6, 42)], W2: [[54, 5], r(270, 43)], C2: [[5], r(5, 44)] },
    shape ? [{ name: 'shape', dims: [L(2)], dataType: onnx.TensorProto.DataType.INT64, int64Data: shape.map(L) }] : [],
  );
}

/** conv1 → depthwise Conv (group 6, bias) → Relu → conv2 → y. */
function depthwise(): Built {
  return build(
    {
      nodes: [
        { opType: 'Conv', input: ['x', 'W1'], output: ['c1'], name: 'conv1' },
        { opType: 'Conv', input: ['c1', 'Wd', 'Bd'], output: ['d'], name: 'dw', attribute: [intAttr('group', 6), PAD1] },
        { opType: 'Relu', input: ['d'], output: ['r'], name: 'relu' },
        { opType: 'Conv', input: ['r', 'W2'], output: ['y'], name: 'conv2' },
      ],
      inputs: [valueInfo('x', 1, [1, 3, 5, 5])],
      outputs: [valueInfo('y', 1, [1, 4, 5, 5])],
    },
    { W1: [[6, 3, 1, 1], r(18, 51)], Wd: [[6, 1, 3, 3], r(54, 52)], Bd: [[6], r(6, 53)], W2: [[4, 6, 1, 1], r(24, 54)] },
  );
}

describe('prune: structured channel removal', () => {
  let scratch: Scratch;
  before(() => (scratch = new Scratch()));
  after(() => scratch.dispose());

  const image = (dims: number[], seed: number) => ({ x: { data: randoms(dims.reduce((a, b) => a * b, 1), seed), dims } });

  it('Conv → BN → Relu → Mul(const) → Conv: removes the 4 weakest of 8 channels, outputs equal the zeroed reference', async () => {
    const b = convBnRelu();
    const w1 = b.weights.get('W1')!;
    const removed = smallest(channelL1(w1.values, w1.dims, 0), 4);
    const res = await checkEquivalent(scratch, b, S({}), (m) => edited(m, 'W2', (v, d) => zeroAlong(v, d, 1, removed)), image([1, 3, 8, 8], 1), 'cbr');
    assert.deepEqual(await initDims(res.output, 'W1'), [4, 3, 3, 3]);
    assert.deepEqual(await initDims(res.output, 'B1'), [4]);
    assert.deepEqual(await initDims(res.output, 'bv'), [4]);
    assert.deepEqual(await initDims(res.output, 'k'), [1, 4, 1, 1]);
    assert.deepEqual(await initDims(res.output, 'W2'), [4, 4, 3, 3]);
    const conv1 = res.outcome.layers.find((l) => l.name === 'conv1')!;
    assert.equal(conv1.status, 'pruned');
    assert.equal(conv1.channels_before, 8);
    assert.equal(conv1.channels_after, 4);
    assert.equal(conv1.params_before, 216 + 8);
    assert.equal(conv1.params_after, 108 + 4);
    const conv2 = res.outcome.layers.find((l) => l.name === 'conv2')!;
    assert.equal(conv2.status, 'shrunk');
    assert.equal(conv2.params_after, 144 + 4);
    assert.ok(Math.abs(res.outcome.achievedWeightSparsity - (108 + 144) / (216 + 288)) < 1e-12);
  });

  it('Gemm → Relu → Gemm(transB) → PRelu → MatMul: two groups, a weight sliced on both axes, outputs equal the reference', async () => {
    const b = gemmChain();
    const w1 = b.weights.get('W1')!;
    const w2 = b.weights.get('W2')!;
    const gone1 = smallest(channelL1(w1.values, w1.dims, 1), 3);
    const gone2 = smallest(channelL1(w2.values, w2.dims, 0), 2);
    const x = { x: { data: randoms(4 * 6, 3), dims: [4, 6] } };
    const res = await checkEquivalent(
      scratch,
      b,
      S({ sparsity: 0.3 }),
      (m) => edited(edited(m, 'W2', (v, d) => zeroAlong(v, d, 1, gone1)), 'W3', (v, d) => zeroAlong(v, d, 0, gone2)),
      x,
      'gemm',
    );
    assert.deepEqual(await initDims(res.output, 'W1'), [6, 7]);
    assert.deepEqual(await initDims(res.output, 'C1'), [7]);
    assert.deepEqual(await initDims(res.output, 'W2'), [6, 7]);
    assert.deepEqual(await initDims(res.output, 'slope'), [6]);
    assert.deepEqual(await initDims(res.output, 'W3'), [6, 5]);
    const fc3 = res.outcome.skipped.find((s) => s.node === 'fc3');
    assert.match(fc3?.reason ?? '', /graph output 'y'/);
  });

  it('residual block: the stem and conv2 (joined by the Add) lose the same channels; outputs equal the reference', async () => {
    const b = residual();
    const ws = b.weights.get('Ws')!;
    const w1 = b.weights.get('W1')!;
    const w2 = b.weights.get('W2')!;
    const l1s = channelL1(ws.values, ws.dims, 0);
    const l12 = channelL1(w2.values, w2.dims, 0);
    const goneA = smallest(l1s.map((v, i) => v + l12[i]!), 2);
    const goneB = smallest(channelL1(w1.values, w1.dims, 0), 2);
    const zero = (m: Built) =>
      edited(
        edited(edited(m, 'W1', (v, d) => zeroAlong(v, d, 1, goneA)), 'W3', (v, d) => zeroAlong(v, d, 1, goneA)),
        'W2',
        (v, d) => zeroAlong(v, d, 1, goneB),
      );
    const res = await checkEquivalent(scratch, b, S({ sparsity: 0.25 }), zero, image([1, 3, 6, 6], 2), 'res');
    const stem = res.outcome.layers.find((l) => l.name === 'stem')!;
    const conv2 = res.outcome.layers.find((l) => l.name === 'conv2')!;
    const conv1 = res.outcome.layers.find((l) => l.name === 'conv1')!;
    assert.equal(stem.group, conv2.group);
    assert.notEqual(stem.group, conv1.group);
    assert.equal(stem.channels_after, 6);
    assert.deepEqual(await initDims(res.output, 'W2'), [6, 6, 3, 3]);
    assert.deepEqual(await initDims(res.output, 'W3'), [4, 6, 1, 1]);
    assert.match(res.outcome.skipped.find((s) => s.node === 'conv3')?.reason ?? '', /graph output 'y'/);
  });

  it('residual block: asking for the output layer names the reason and the layers that can be pruned', async () => {
    await assert.rejects(
      pruneFile(scratch, residual(), S({ layers: ['conv3'] }), 'res-refuse'),
      (e: unknown) =>
        e instanceof PruneError &&
        e.reason === 'not-prunable' &&
        /'conv3' cannot be pruned structurally: its output reaches the graph output 'y'\. Layers that can: stem \(with conv2: residual\), conv1/.test(e.message),
    );
  });

  it('layers: only the named group is pruned (a residual partner comes along)', async () => {
    const res = await pruneFile(scratch, residual(), S({ layers: ['conv2'], sparsity: 0.25 }), 'res-one');
    assert.deepEqual(res.outcome.layers.filter((l) => l.status === 'pruned').map((l) => l.name).sort(), ['conv2', 'stem']);
    assert.deepEqual(await initDims(res.output, 'W1'), [8, 6, 3, 3]);
  });

  const flattens: [string, number[] | undefined][] = [['Flatten', undefined], ['Reshape [0, -1]', [0, -1]], ['Reshape [-1, 54]', [-1, 54]], ['Reshape [1, -1]', [1, -1]]];
  for (const [variant, shape] of flattens) {
    it(`Conv → Relu → MaxPool → ${variant} → Gemm: the Gemm rows shrink in blocks of H·W`, async () => {
      const b = convPoolFlatten(shape);
      const w1 = b.weights.get('W1')!;
      const removed = smallest(channelL1(w1.values, w1.dims, 0), 3);
      const res = await checkEquivalent(scratch, b, S({}), (m) => edited(m, 'W2', (v, d) => zeroAlong(v, d, 0, removed, 9)), image([1, 2, 6, 6], 3), `flat${String(shape)}`);
      assert.deepEqual(await initDims(res.output, 'W2'), [27, 5]);
    });
  }

  it('depthwise Conv between producer and consumer: its weight, bias and group follow the kept channels', async () => {
    const b = depthwise();
    const w1 = b.weights.get('W1')!;
    const removed = smallest(channelL1(w1.values, w1.dims, 0), 3);
    const res = await checkEquivalent(scratch, b, S({}), (m) => edited(m, 'W2', (v, d) => zeroAlong(v, d, 1, removed)), image([1, 3, 5, 5], 4), 'dw');
    assert.deepEqual(await initDims(res.output, 'Wd'), [3, 1, 3, 3]);
    assert.deepEqual(await initDims(res.output, 'Bd'), [3]);
    const m = await openModel(res.output);
    const g = m.proto.graph!.node!.find((n) => n.name === 'dw')!.attribute!.find((a) => a.name === 'group')!;
    assert.equal(Number(g.i), 3);
    await m.close();
    assert.equal(res.outcome.layers.find((l) => l.name === 'dw')?.status, 'shrunk');
  });

  it('round_to rounds the kept channels up; L2 criterion; value_info of shrunk tensors is updated', async () => {
    const b = convBnRelu();
    const { nodes, inputs, outputs, initializers } = b.spec;
    const valueInfos = [valueInfo('r1', 1, [1, 8, 8, 8]), valueInfo('y', 1, [1, 4, 8, 8])];
    const graph = { name: 'g', node: nodes, input: inputs, output: outputs, initializer: initializers ?? [], valueInfo: valueInfos };
    const bytes = onnx.ModelProto.encode({ irVersion: L(8), opsetImport: [{ domain: '', version: L(17) }], graph }).finish();
    const res = await pruneFile(scratch, b, S({ sparsity: 0.7, round_to: 4, criterion: 'l2' }), 'round');
    assert.equal(res.outcome.layers.find((l) => l.name === 'conv1')?.channels_after, 4); // 8 − floor(5.6) = 3 → 4
    const src = scratch.write('vi.onnx', bytes);
    const m = await openModel(src);
    try {
      const out = await pruneGraph(m, S({}));
      const vi = out.proto.graph!.valueInfo!.find((v) => v.name === 'r1')!;
      assert.deepEqual(vi.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue)), [1, 4, 8, 8]);
    } finally {
      await m.close();
    }
  });

  it('refuses a residual Add with the graph input, a Concat, an unprovable Reshape and a non-prunable node, naming the reason', async () => {
    const res = build(
      {
        nodes: [
          { opType: 'Conv', input: ['x', 'W1'], output: ['c'], name: 'conv1', attribute: [PAD1] },
          { opType: 'Relu', input: ['c'], output: ['r'], name: 'relu' },
          { opType: 'Add', input: ['r', 'x'], output: ['a'], name: 'skip' },
          { opType: 'Conv', input: ['a', 'W2'], output: ['y'], name: 'conv2' },
        ],
        inputs: [valueInfo('x', 1, [1, 4, 5, 5])],
        outputs: [valueInfo('y', 1, [1, 2, 5, 5])],
      },
      { W1: [[4, 4, 3, 3], r(144, 61)], W2: [[2, 4, 1, 1], r(8, 62)] },
    );
    await assert.rejects(pruneFile(scratch, res, S({ layers: ['conv1'] }), 'skipx'), (e: unknown) => {
      assert.ok(e instanceof PruneError && e.reason === 'not-prunable');
      assert.match(e.message, /'conv1' cannot be pruned structurally: its channels feed a residual Add 'skip' with 'x', whose channels come from the graph input 'x'/);
      assert.match(e.message, /Layers that can: none/);
      return true;
    });
    await assert.rejects(pruneFile(scratch, res, S({}), 'skipx2'), (e: unknown) => e instanceof PruneError && e.reason === 'nothing-to-prune');
    await assert.rejects(
      pruneFile(scratch, res, S({ layers: ['relu'] }), 'skipx3'),
      (e: unknown) => e instanceof PruneError && e.reason === 'not-prunable' && /it is a Relu node/.test(e.message),
    );
    await assert.rejects(
      pruneFile(scratch, res, S({ layers: ['nope'] }), 'skipx4'),
      (e: unknown) => e instanceof PruneError && e.reason === 'bad-setting' && /no node named 'nope'/.test(e.message),
    );

    const cat = build(
      {
        nodes: [
          { opType: 'Conv', input: ['x', 'W1'], output: ['c'], name: 'conv1' },
          { opType: 'Concat', input: ['c', 'x'], output: ['k'], name: 'cat', attribute: [intAttr('axis', 1)] },
          { opType: 'Conv', input: ['k', 'W2'], output: ['y'], name: 'conv2' },
        ],
        inputs: [valueInfo('x', 1, [1, 4, 5, 5])],
        outputs: [valueInfo('y', 1, [1, 2, 5, 5])],
      },
      { W1: [[4, 4, 1, 1], r(16, 63)], W2: [[2, 8, 1, 1], r(16, 64)] },
    );
    await assert.rejects(
      pruneFile(scratch, cat, S({ layers: ['conv1'] }), 'cat'),
      (e: unknown) => e instanceof PruneError && /its channels reach Concat 'cat', which pruning cannot follow/.test(e.message),
    );
    await assert.rejects(
      pruneFile(scratch, convPoolFlatten([2, 27]), S({ layers: ['conv'] }), 'reshape-2-27'),
      (e: unknown) => e instanceof PruneError && /its channels reach Reshape 'reshape', which pruning cannot prove to be a flatten to \[N, -1\]/.test(e.message),
    );
    const src = scratch.write('cat-list.onnx', encodeModel(cat.spec));
    const m = await openModel(src);
    const listed = listPrunable(m, 'structured');
    await m.close();
    assert.deepEqual(listed.layers, []);
    assert.ok(listed.skipped.some((s) => s.node === 'conv1' && /Concat 'cat'/.test(s.reason)));
  });

  it('refuses sparsity outside (0, 1) and bad N:M / round_to', async () => {
    for (const sparsity of [0, 1, 1.5, -0.1, Number.NaN]) {
      await assert.rejects(pruneFile(scratch, depthwise(), S({ sparsity }), 'bad'), (e: unknown) => {
        assert.ok(e instanceof PruneError && e.reason === 'bad-setting');
        assert.match(e.message, /sparsity must be between 0 and 1 \(exclusive\); got /);
        return true;
      });
    }
    await assert.rejects(pruneFile(scratch, depthwise(), S({ sparsity: 1.5 }), 'bad'), /got 1\.5/);
    await assert.rejects(pruneFile(scratch, depthwise(), S({ layer_sparsity: { conv1: 1 } }), 'bad'), /layer_sparsity of 'conv1' must be between 0 and 1/);
    await assert.rejects(pruneFile(scratch, depthwise(), S({ method: 'nm', n: 4, m: 4 }), 'bad'), /0 < N < M/);
    await assert.rejects(pruneFile(scratch, depthwise(), S({ round_to: 0 }), 'bad'), /round_to/);
  });
});
