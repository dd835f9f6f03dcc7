import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspect, openModel } from '../../../../src/core';
import { OPTIMIZATION_PASSES, defaultOutputPath, optimizeModel, type OptimizationPass } from '../../../../src/pipeline/optimize';
import { createSession, fromOrtTensor, loadOrt, type OrtTensor } from '../../../../src/pipeline/runtime';
import { FLOAT, TempDir, assertAllVerified, assertSameOutputs, ints, node, optimize, rawFloat, tensorInfo, values, writeSpec } from './helpers';
import { REPO_ROOT } from '../../../helpers/paths';

const examples = join(REPO_ROOT, 'examples');

/** Feature rows of an example CSV (the named columns, in order). */
function csvRows(file: string, columns: (header: string[]) => number[], limit = 64): number[][] {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = columns(head!.split(',').map((c) => c.trim()));
  return rows.slice(0, limit).map((r) => {
    const cells = r.split(',');
    return cols.map((c) => Number(cells[c]));
  });
}

/** Runs a model on one float input and returns the named tensor output. */
async function predict(file: string, input: string, dims: number[], data: number[], output: string): Promise<number[]> {
  const ort = loadOrt();
  const session = await createSession(file, { graphOptimizationLevel: 'disabled' });
  try {
    const out = await session.run({ [input]: new ort.Tensor('float32', Float32Array.from(data), dims) }, [output]);
    return Array.from(fromOrtTensor(out[output] as OrtTensor).values as ArrayLike<number | bigint>, Number);
  } finally {
    await session.release();
  }
}

const argmaxRows = (v: number[], k: number) => Array.from({ length: v.length / k }, (_, r) => v.slice(r * k, r * k + k).reduce((b, x, i, a) => (x > a[b]! ? i : b), 0));

describe('optimize: the operation (verification, rejection, onnxruntime levels, examples)', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  const mlp = () =>
    writeSpec(tmp, 'mlp.onnx', {
      nodes: [node('MatMul', ['X', 'W'], ['H']), node('Add', ['H', 'B'], ['A']), node('Identity', ['A'], ['I']), node('Relu', ['I'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, ['N', 4])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 3])],
      initializers: [rawFloat('W', [4, 3], values(12)), rawFloat('B', [3], values(3, 2))],
    });

  it('reports counts, histograms, sizes and verification; writes <model>.opt.onnx next to the model by default', async () => {
    const file = mlp();
    const r = await optimizeModel({ model: file });
    assert.equal(r.output, defaultOutputPath(file));
    assert.equal(r.output, join(tmp.dir, 'mlp.opt.onnx'));
    assert.equal(r.node_count_before, 4);
    assert.equal(r.node_count_after, 2);
    assert.deepEqual(r.op_histogram_after, { 'ai.onnx::Gemm': 1, 'ai.onnx::Relu': 1 });
    assert.equal(r.op_histogram_before['ai.onnx::MatMul'], 1);
    assert.ok(r.size_bytes_before > 0 && r.size_bytes_after > 0);
    assert.equal(r.level, null);
    assert.equal(r.ort, null);
    assert.ok(r.verification.available);
    assert.equal(r.verification.symbolic_dim_value, 2);
    assert.deepEqual(r.verification.outputs, ['Y']);
    assert.equal(r.max_abs_diff, 0);
    assert.deepEqual(r.passes.map((p) => p.name), OPTIMIZATION_PASSES.map((p) => p.name));
    assertAllVerified(r);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
  });

  it('undoes a pass that changes the outputs and reports it rejected', async () => {
    const file = mlp();
    const breakRelu: OptimizationPass = {
      name: 'break-relu',
      description: 'turns Relu into Sigmoid (wrong on purpose)',
      run: (ctx) => {
        const relu = ctx.nodes().find((n) => n.opType === 'Relu');
        if (!relu) return 0;
        ctx.replaceNode(relu, { ...relu, opType: 'Sigmoid' });
        return 1;
      },
    };
    const failing: OptimizationPass = { name: 'throws', description: 'fails half-way', run: (ctx) => { ctx.nodes().pop(); throw new Error('boom'); } };
    const out = tmp.path('mlp.broken.onnx');
    const { result, model, ops } = await optimize(file, out, { passes: ['break-relu', 'throws', 'eliminate-identity'] }, { registry: [...OPTIMIZATION_PASSES, breakRelu, failing] });
    await model.close();
    const broken = result.passes.find((p) => p.name === 'break-relu')!;
    assert.equal(broken.rejected, true);
    assert.equal(broken.verified, false);
    assert.match(broken.message!, /beyond tolerance/);
    const thrown = result.passes.find((p) => p.name === 'throws')!;
    assert.equal(thrown.rejected, true);
    assert.match(thrown.message!, /boom/);
    assert.deepEqual(ops, ['MatMul', 'Add', 'Relu'], 'only the Identity is gone; Relu is intact');
    assert.ok(result.warnings.some((w) => w.includes('break-relu')));
    assert.equal(result.max_abs_diff, 0);
    await assertSameOutputs(file, out);
  });

  for (const level of ['basic', 'extended', 'all'] as const) {
    it(`writes onnxruntime's offline optimization at level ${level} to a file that runs`, async () => {
      const file = mlp();
      const out = tmp.path(`mlp.ort-${level}.onnx`);
      const r = await optimizeModel({ model: file, output: out, passes: 'none', ortLevel: level });
      assert.equal(r.level, level);
      assert.ok(r.ort?.applied && r.ort.verified, JSON.stringify(r.ort));
      assert.ok(r.max_abs_diff !== null && r.max_abs_diff < 1e-5);
      assert.deepEqual(r.passes, []);
      if (level !== 'basic') assert.ok(r.warnings.some((w) => w.includes('execution provider only')));
      await assertSameOutputs(file, out);
    });
  }

  it('refuses to overwrite the source and leaves nothing behind when writing fails', async () => {
    const file = mlp();
    await assert.rejects(optimizeModel({ model: file, output: file }), /refusing to overwrite the source/);
    const missingDir = join(tmp.dir, 'no-such-dir', 'out.onnx');
    await assert.rejects(optimizeModel({ model: file, output: missingDir }));
    assert.ok(!existsSync(missingDir));
    await assert.rejects(optimizeModel({ model: file, output: tmp.path('x.onnx'), passes: ['no-such-pass'] }), /unknown optimization pass no-such-pass/);
    assert.ok(!existsSync(tmp.path('x.onnx')));
    assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('applies passes unverified (structural check only), with a warning, when the model cannot be run on sample inputs', async () => {
    const file = writeSpec(tmp, 'unrunnable.onnx', {
      nodes: [node('Identity', ['X'], ['I']), node('Neg', ['I'], ['Y'])],
      inputs: [{ name: 'X', type: { sequenceType: { elemType: { tensorType: { elemType: FLOAT } } } } }],
      outputs: [tensorInfo('Y', FLOAT, null)],
    });
    const dangling: OptimizationPass = {
      name: 'dangling',
      description: 'makes a node read a tensor nothing defines',
      run: (ctx) => {
        const neg = ctx.nodes().find((n) => n.opType === 'Neg');
        if (!neg || neg.input![0] === 'nowhere') return 0;
        ctx.replaceNode(neg, { ...neg, input: ['nowhere'] });
        return 1;
      },
    };
    const r = await optimizeModel(
      { model: file, output: tmp.path('unrunnable.opt.onnx'), passes: ['dangling', 'eliminate-identity'] },
      {},
      { registry: [dangling, ...OPTIMIZATION_PASSES] },
    );
    assert.equal(r.verification.available, false);
    assert.equal(r.max_abs_diff, null);
    const [bad, identity] = r.passes;
    assert.equal(bad!.rejected, true, 'the structural check still catches a broken graph');
    assert.match(bad!.message!, /invalid.*nowhere/);
    assert.equal(identity!.changes, 1);
    assert.equal(identity!.verified, false);
    assert.match(r.warnings[0]!, /not verified/);
  });

  it('optimizes a 6,000-node chain (one O(n) sweep per pass; its speed is for npm run bench)', async () => {
    const nodes = [];
    const initializers = [];
    let x = 'X';
    for (let i = 0; i < 1000; i++) {
      nodes.push(
        node('MatMul', [x, `W${i}`], [`H${i}`]),
        node('Add', [`H${i}`, `B${i}`], [`A${i}`]),
        node('Identity', [`A${i}`], [`I${i}`]),
        node('Transpose', [`I${i}`], [`T${i}`], { attribute: [ints('perm', [1, 0])] }),
        node('Transpose', [`T${i}`], [`U${i}`], { attribute: [ints('perm', [1, 0])] }),
        node('Tanh', [`U${i}`], [`R${i}`]),
      );
      initializers.push(rawFloat(`W${i}`, [8, 8], values(64, i)), rawFloat(`B${i}`, [8], values(8, i + 1)));
      x = `R${i}`;
    }
    const file = writeSpec(tmp, 'chain.onnx', { nodes, inputs: [tensorInfo('X', FLOAT, ['N', 8])], outputs: [tensorInfo(x, FLOAT, ['N', 8])], initializers });
    const r = await optimizeModel({ model: file, output: tmp.path('chain.opt.onnx') });
    assert.equal(r.node_count_after, 2000);
    assertAllVerified(r);
  });

  describe('the shipped examples optimize and predict the same', () => {
    it('digits CNN and MLP: same classes on the test rows', async () => {
      const pixels = csvRows(join(examples, 'digits', 'digits_test.csv'), (h) => h.map((c, i) => (c.startsWith('pixel_') ? i : -1)).filter((i) => i >= 0));
      for (const [name, dims] of [['digits_cnn', [pixels.length, 1, 8, 8]], ['digits_mlp', [pixels.length, 64]]] as const) {
        const src = join(examples, 'digits', `${name}.onnx`);
        const out = tmp.path(`${name}.opt.onnx`);
        const r = await optimizeModel({ model: src, output: out, ortLevel: 'basic' });
        assertAllVerified(r);
        assert.ok(r.ort?.applied, `${name}: onnxruntime basic applied`);
        const m = await openModel(src);
        const outName = m.proto.graph!.output![0]!.name!;
        const inName = m.proto.graph!.input![0]!.name!;
        await m.close();
        const a = await predict(src, inName, [...dims], pixels.flat(), outName);
        const b = await predict(out, inName, [...dims], pixels.flat(), outName);
        assert.deepEqual(argmaxRows(b, 10), argmaxRows(a, 10), `${name} predictions`);
        b.forEach((v, i) => assert.ok(Math.abs(v - a[i]!) <= 1e-4 * Math.max(1, Math.abs(a[i]!)), `${name} logit ${i}`));
      }
    });

    it('diabetes ridge: MatMul + Add becomes Gemm, same predictions', async () => {
      const src = join(examples, 'diabetes', 'diabetes_ridge.onnx');
      const rows = csvRows(join(examples, 'diabetes', 'diabetes_test.csv'), (h) => h.map((_, i) => i).filter((i) => h[i] !== 'target'));
      const out = tmp.path('diabetes.opt.onnx');
      const r = await optimizeModel({ model: src, output: out });
      assertAllVerified(r);
      assert.deepEqual(r.op_histogram_after, { 'ai.onnx::Gemm': 1 });
      const m = await openModel(src);
      const outName = m.proto.graph!.output![0]!.name!;
      await m.close();
      const a = await predict(src, 'features', [rows.length, 10], rows.flat(), outName);
      const b = await predict(out, 'features', [rows.length, 10], rows.flat(), outName);
      b.forEach((v, i) => assert.ok(Math.abs(v - a[i]!) <= 1e-4 * Math.max(1, Math.abs(a[i]!))));
    });

    it('credit (ai.onnx.ml with a ZipMap output): unchanged, labels identical', async () => {
      const src = join(examples, 'credit', 'credit_logreg.onnx');
      const out = tmp.path('credit.opt.onnx');
      const r = await optimizeModel({ model: src, output: out });
      assertAllVerified(r);
      assert.deepEqual(r.verification.outputs, ['label']);
      const written = await openModel(out);
      assert.equal(inspect(written).node_count, 3);
      await written.close();
      await assertSameOutputs(src, out, 16);
    });
  });
});
