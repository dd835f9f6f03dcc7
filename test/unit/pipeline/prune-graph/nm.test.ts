/**
 * N:M pruning: every group of M consecutive weights along the reduction axis keeps at most N non-zeros, the kept are
 * the group's largest |w|, for Conv, Gemm (both transB) and MatMul; layers whose reduction length is not a multiple
 * of M are skipped with the reason (refused when named); onnxruntime runs the result.
 */
import assert from 'node:assert/strict';
import { openModel } from '../../../../src/core';
import { applyNm } from '../../../../src/pipeline/prune-graph/nm';
import { PruneError } from '../../../../src/pipeline/prune-graph/errors';
import { L, Scratch, build, firstOutput, intAttr, pruneFile, randoms, settings, valueInfo, type Built } from './helpers';

/** Checks the N:M pattern of `pruned` against `orig` (shape `dims`, groups along `axis`). */
function checkPattern(orig: Float32Array, pruned: Float32Array, dims: number[], axis: number, n: number, m: number): void {
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  const r = dims[axis]!;
  const outer = orig.length / (r * inner);
  let groups = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      for (let g = 0; g < r; g += m) {
        const idx = Array.from({ length: m }, (_, k) => o * r * inner + j + (g + k) * inner);
        const kept = idx.filter((i) => pruned[i] !== 0);
        assert.ok(kept.length <= n, `group ${groups} keeps ${kept.length} > ${n}`);
        const minKept = Math.min(...kept.map((i) => Math.abs(orig[i]!)));
        const maxGone = Math.max(0, ...idx.filter((i) => pruned[i] === 0).map((i) => Math.abs(orig[i]!)));
        assert.ok(maxGone <= minKept, `group ${groups}: removed ${maxGone} > kept ${minKept}`);
        for (const i of kept) assert.equal(pruned[i], orig[i]);
        groups++;
      }
    }
  }
  assert.equal(groups, orig.length / m);
}

const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v.map(L) });

/** x[1,8,5,5] → conv (W[4,8,3,3]) → Flatten → fc1 (Gemm B[100,8]) → fc2 (Gemm transB B[6,8]) → fc3 (MatMul [6,4]) → fc4 (MatMul [4,3]). */
function model(): Built {
  return build(
    {
      nodes: [
        { opType: 'Conv', input: ['x', 'Wc'], output: ['c'], name: 'conv', attribute: [ints('pads', [1, 1, 1, 1])] },
        { opType: 'Flatten', input: ['c'], output: ['f'], name: 'flat' },
        { opType: 'Gemm', input: ['f', 'W1'], output: ['h1'], name: 'fc1' },
        { opType: 'Gemm', input: ['h1', 'W2'], output: ['h2'], name: 'fc2', attribute: [intAttr('transB', 1)] },
        { opType: 'MatMul', input: ['h2', 'W3'], output: ['h3'], name: 'fc3' },
        { opType: 'MatMul', input: ['h3', 'W4'], output: ['y'], name: 'fc4' },
      ],
      inputs: [valueInfo('x', 1, [1, 8, 5, 5])],
      outputs: [valueInfo('y', 1, [1, 3])],
    },
    { Wc: [[4, 8, 3, 3], randoms(288, 1)], W1: [[100, 8], randoms(800, 2)], W2: [[6, 8], randoms(48, 3)], W3: [[6, 4], randoms(24, 5)], W4: [[4, 3], randoms(12, 6)] },
  );
}

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

describe('prune: N:M', () => {
  let scratch: Scratch;
  before(() => (scratch = new Scratch()));
  after(() => scratch.dispose());

  it('applyNm keeps the N largest of every M along the axis, earlier on ties', () => {
    const w = Float32Array.from([1, -4, 3, 2, 5, 5, 5, 5]);
    applyNm(w, [8], 0, 2, 4);
    assert.deepEqual([...w], [0, -4, 3, 0, 5, 5, 0, 0]);
    const strided = Float32Array.from([1, 10, 2, 20, 3, 30, 4, 40]); // [4, 2], groups down each column
    applyNm(strided, [4, 2], 0, 1, 4);
    assert.deepEqual([...strided], [0, 0, 0, 0, 0, 0, 4, 40]);
  });

  for (const [n, m] of [[2, 4], [1, 4]] as const) {
    it(`${n}:${m} on Conv, Gemm, Gemm(transB), MatMul: the pattern holds and onnxruntime runs the model`, async () => {
      const b = model();
      const res = await pruneFile(scratch, b, settings({ method: 'nm', n, m }), `nm${n}${m}`);
      const w = await weightsOf(res.output);
      checkPattern(b.weights.get('Wc')!.values, w.get('Wc')!, [4, 8, 3, 3], 1, n, m);
      checkPattern(b.weights.get('W1')!.values, w.get('W1')!, [100, 8], 0, n, m);
      checkPattern(b.weights.get('W2')!.values, w.get('W2')!, [6, 8], 1, n, m);
      checkPattern(b.weights.get('W4')!.values, w.get('W4')!, [4, 3], 0, n, m);
      // fc3's reduction length 6 is not a multiple of 4: skipped, untouched.
      assert.deepEqual([...w.get('W3')!], [...b.weights.get('W3')!.values]);
      assert.match(res.outcome.skipped.find((s) => s.node === 'fc3')!.reason, /reduction length 6 .* not a multiple of M = 4/);
      const total = 288 + 800 + 48 + 12;
      assert.ok(Math.abs(res.outcome.achievedWeightSparsity - ((m - n) / m)) < 1e-12, `${res.outcome.achievedWeightSparsity} of ${total}`);
      const y = await firstOutput(res.output, { x: { data: randoms(200, 7), dims: [1, 8, 5, 5] } });
      assert.equal(y.length, 3);
    });
  }

  it('a layer named in `layers` whose reduction length does not fit M is refused with the reason', async () => {
    await assert.rejects(pruneFile(scratch, model(), settings({ method: 'nm', layers: ['fc3'] }), 'nmbad'), (e: unknown) => {
      assert.ok(e instanceof PruneError && e.reason === 'not-prunable');
      assert.match(e.message, /'fc3' cannot be pruned with N:M pruning: its reduction length 6/);
      assert.match(e.message, /Layers that can: conv, fc1, fc2, fc4/);
      return true;
    });
  });
});
