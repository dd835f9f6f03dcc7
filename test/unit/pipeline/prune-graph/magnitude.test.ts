/**
 * Magnitude pruning: the selection primitive against a sort, exact zero counts per layer and globally, one global
 * threshold (every removed |w| ≤ every kept |w| across layers), biases / excluded / unselected layers untouched,
 * the source file unchanged, and onnxruntime running the result.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openModel } from '../../../../src/core';
import { applyThreshold, countBelow, pruneSmallest, selectKth } from '../../../../src/pipeline/prune-graph/magnitude';
import { PruneError } from '../../../../src/pipeline/prune-graph/errors';
import { listPrunable } from '../../../../src/pipeline/prune-graph/prune-graph';
import { Scratch, build, encodeModel, firstOutput, intAttr, pruneFile, randoms, settings, valueInfo, type Built } from './helpers';

/** x[N,8] → fc1 (MatMul, |w| ~ 1) → Relu → fc2 (Gemm + bias, |w| ~ 0.1) → Relu → fc3 (Gemm transB, |w| ~ 3) → y. */
function mlp(): Built {
  return build(
    {
      nodes: [
        { opType: 'MatMul', input: ['x', 'W1'], output: ['h1'], name: 'fc1' },
        { opType: 'Relu', input: ['h1'], output: ['r1'], name: 'relu1' },
        { opType: 'Gemm', input: ['r1', 'W2', 'C2'], output: ['h2'], name: 'fc2' },
        { opType: 'Relu', input: ['h2'], output: ['r2'], name: 'relu2' },
        { opType: 'Gemm', input: ['r2', 'W3'], output: ['y'], name: 'fc3', attribute: [intAttr('transB', 1)] },
      ],
      inputs: [valueInfo('x', 1, ['N', 8])],
      outputs: [valueInfo('y', 1, ['N', 6])],
    },
    {
      W1: [[8, 16], randoms(128, 1)],
      W2: [[16, 12], randoms(192, 2).map((v) => v * 0.1)],
      C2: [[12], randoms(12, 3)],
      W3: [[6, 12], randoms(72, 4).map((v) => v * 3)],
    },
  );
}

/** The pruned weights of a model file, by name. */
async function weightsOf(file: string): Promise<Map<string, Float32Array>> {
  const m = await openModel(file);
  try {
    const out = new Map<string, Float32Array>();
    for (const t of m.proto.graph!.initializer!) out.set(t.name!, (await m.readTensor(t)).values as Float32Array);
    return out;
  } finally {
    await m.close();
  }
}

const zeros = (w: Float32Array) => w.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

/** Largest |w| that was zeroed and smallest |w| that was kept. */
function split(orig: Float32Array[], pruned: Float32Array[]): { maxGone: number; minKept: number } {
  let maxGone = 0;
  let minKept = Infinity;
  orig.forEach((o, k) => {
    for (let i = 0; i < o.length; i++) {
      if (pruned[k]![i] === 0) maxGone = Math.max(maxGone, Math.abs(o[i]!));
      else {
        assert.equal(pruned[k]![i], o[i], 'kept weights are unchanged');
        minKept = Math.min(minKept, Math.abs(o[i]!));
      }
    }
  });
  return { maxGone, minKept };
}

describe('prune: magnitude', () => {
  let scratch: Scratch;
  before(() => (scratch = new Scratch()));
  after(() => scratch.dispose());
  const x = { x: { data: randoms(5 * 8, 9), dims: [5, 8] } };

  it('selectKth agrees with a sort, also with many equal values', () => {
    for (const [n, seed, levels] of [[1, 1, 0], [17, 2, 0], [1000, 3, 0], [1000, 4, 5], [513, 5, 1]] as const) {
      const v = randoms(n, seed).map((a) => (levels ? Math.round(Math.abs(a) * levels) : a));
      const sorted = Float32Array.from(v).sort();
      for (const k of [0, Math.floor(n / 3), Math.floor(n / 2), n - 1]) assert.equal(selectKth(Float32Array.from(v), k), sorted[k], `n ${n} k ${k}`);
    }
    assert.throws(() => selectKth(new Float32Array(3), 3), RangeError);
  });

  it('pruneSmallest zeros exactly the count, already-zero weights first, ties by position', () => {
    const w = Float32Array.from([1, -1, 1, 1, 2, 0, -0.5]);
    pruneSmallest(w, 4);
    assert.deepEqual([...w], [0, 0, 1, 1, 2, 0, 0]);
    const all = Float32Array.from([3, 4]);
    pruneSmallest(all, 5);
    assert.deepEqual([...all], [0, 0]);
    const t = Float32Array.from([0.5, 0.5, 0.5]);
    assert.equal(applyThreshold(t, 0.5, 2), 2);
    assert.deepEqual([...t], [0, 0, 0.5]);
    assert.equal(countBelow(Float32Array.from([1, 2, 3]), 2.5), 2);
  });

  it('per layer: every layer gets exactly round(s·size) zeros, the smallest ones; biases untouched; onnxruntime runs it', async () => {
    const b = mlp();
    const sourceBytes = encodeModel(b.spec);
    const res = await pruneFile(scratch, b, settings({ sparsity: 0.3 }), 'layer');
    assert.deepEqual(readFileSync(res.source), Buffer.from(sourceBytes), 'the source file is not modified');
    const w = await weightsOf(res.output);
    for (const [name, size] of [['W1', 128], ['W2', 192], ['W3', 72]] as const) {
      assert.equal(zeros(w.get(name)!), Math.round(0.3 * size), name);
      const { maxGone, minKept } = split([b.weights.get(name)!.values], [w.get(name)!]);
      assert.ok(maxGone <= minKept, `${name}: removed ${maxGone} > kept ${minKept}`);
    }
    assert.deepEqual([...w.get('C2')!], [...b.weights.get('C2')!.values]);
    const layers = res.outcome.layers;
    assert.deepEqual(layers.map((l) => [l.name, l.status]), [['fc1', 'pruned'], ['fc2', 'pruned'], ['fc3', 'pruned']]);
    assert.equal(layers[1]!.params_before, 192 + 12);
    assert.ok(Math.abs(layers[0]!.sparsity - 38 / 128) < 1e-12);
    assert.ok(Math.abs(res.outcome.achievedWeightSparsity - (38 + 58 + 22) / 392) < 1e-12);
    const y = await firstOutput(res.output, x);
    assert.equal(y.length, 30);
    assert.ok(y.every(Number.isFinite));
  });

  it('global: one threshold over all layers, exactly round(s·total) zeros, layers end with different sparsities', async () => {
    const b = mlp();
    const res = await pruneFile(scratch, b, settings({ sparsity: 0.5, scope: 'global' }), 'global');
    const w = await weightsOf(res.output);
    const names = ['W1', 'W2', 'W3'];
    assert.equal(names.reduce((n, k) => n + zeros(w.get(k)!), 0), 196);
    const { maxGone, minKept } = split(names.map((k) => b.weights.get(k)!.values), names.map((k) => w.get(k)!));
    assert.ok(maxGone <= minKept, `removed ${maxGone} > kept ${minKept}`);
    const sp = res.outcome.layers.map((l) => l.sparsity);
    assert.ok(sp[1]! > 0.95, `the small-weight layer loses almost everything (${sp[1]})`);
    assert.ok(sp[2]! < 0.1, `the large-weight layer keeps almost everything (${sp[2]})`);
    assert.equal(res.outcome.achievedWeightSparsity, 0.5);
    assert.ok(res.outcome.notes.some((n) => /global threshold/.test(n)));
  });

  it('exclude, layers and layer_sparsity are respected (layer_sparsity under global scope warns)', async () => {
    const b = mlp();
    const ex = await pruneFile(scratch, b, settings({ exclude: ['fc2'] }), 'ex');
    let w = await weightsOf(ex.output);
    assert.deepEqual([...w.get('W2')!], [...b.weights.get('W2')!.values]);
    assert.deepEqual(ex.outcome.layers.find((l) => l.name === 'fc2')?.status, 'excluded');
    assert.equal(zeros(w.get('W1')!), 64);

    const only = await pruneFile(scratch, b, settings({ layers: ['fc3'] }), 'only');
    w = await weightsOf(only.output);
    assert.equal(zeros(w.get('W1')!), 0);
    assert.equal(zeros(w.get('W3')!), 36);
    assert.deepEqual(only.outcome.layers.map((l) => l.name), ['fc3']);

    const mixed = await pruneFile(scratch, b, settings({ scope: 'global', sparsity: 0.5, layer_sparsity: { fc1: 0.25 } }), 'mixed');
    w = await weightsOf(mixed.output);
    assert.equal(zeros(w.get('W1')!), 32);
    assert.equal(zeros(w.get('W2')!) + zeros(w.get('W3')!), 132);
    assert.ok(mixed.outcome.warnings.some((m) => /layer_sparsity applies per layer/.test(m)));
  });

  it('skips shared and run-time weights with a reason; refuses them by name; nothing to prune is an error', async () => {
    const b = build(
      {
        nodes: [
          { opType: 'MatMul', input: ['x', 'W'], output: ['a'], name: 'mm1' },
          { opType: 'MatMul', input: ['a', 'W'], output: ['b'], name: 'mm2' },
          { opType: 'MatMul', input: ['b', 'x2'], output: ['y'], name: 'mm3' },
        ],
        inputs: [valueInfo('x', 1, [2, 4]), valueInfo('x2', 1, [4, 3])],
        outputs: [valueInfo('y', 1, [2, 3])],
      },
      { W: [[4, 4], randoms(16, 5)] },
    );
    const src = scratch.write('shared.onnx', encodeModel(b.spec));
    const m = await openModel(src);
    const listed = listPrunable(m, 'magnitude');
    await m.close();
    assert.deepEqual(listed.layers, []);
    assert.match(listed.skipped.find((s) => s.node === 'mm1')!.reason, /weight 'W' is shared by 'mm1', 'mm2'/);
    assert.match(listed.skipped.find((s) => s.node === 'mm3')!.reason, /not an initializer/);
    await assert.rejects(pruneFile(scratch, b, settings({}), 'shared'), (e: unknown) => e instanceof PruneError && e.reason === 'nothing-to-prune');
    await assert.rejects(
      pruneFile(scratch, mlp(), settings({ layers: ['relu1'] }), 'relu'),
      (e: unknown) => e instanceof PruneError && e.reason === 'not-prunable' && /'relu1' cannot be pruned with magnitude pruning: it is a Relu node.*Layers that can: fc1, fc2, fc3/.test(e.message),
    );
  });
});
