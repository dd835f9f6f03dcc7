/** The pure parts of distillation: the loss, the standardizations folded on export, the CLI's student spec. */
import assert from 'node:assert/strict';
import Long from 'long';
import { studentArg } from '../../../../src/cli/commands/distill';
import { onnx } from '../../../../src/core/proto/onnx';
import { columnStats, exportStudent, standardize } from '../../../../src/pipeline/distill/export';
import { batchLoss } from '../../../../src/pipeline/distill/loss';
import type { StudentGraph } from '../../../../src/pipeline/distill/student';
import { ensureTf, tf } from '../../../../src/pipeline/distill/tf';

const value = (f: () => tf.Scalar): number => tf.tidy(() => f().dataSync()[0]!);

describe('distill: loss', () => {
  before(() => ensureTf());

  it('KL term: zero when the student equals the teacher; T²·KL(softmax(t/T) ‖ softmax(s/T)) otherwise', () => {
    const spec = { task: 'classification' as const, temperature: 2, alpha: 1 };
    assert.ok(Math.abs(value(() => batchLoss(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1, 2, 3]]), null, spec))) < 1e-6);
    const t = [2, 0];
    const s = [0, 1];
    const sm = (v: number[]) => {
      const e = v.map((x) => Math.exp(x / 2));
      const z = e[0]! + e[1]!;
      return e.map((x) => x / z);
    };
    const pt = sm(t);
    const ps = sm(s);
    const kl = pt[0]! * Math.log(pt[0]! / ps[0]!) + pt[1]! * Math.log(pt[1]! / ps[1]!);
    const got = value(() => batchLoss(tf.tensor2d([s]), tf.tensor2d([t]), null, spec));
    assert.ok(Math.abs(got - 4 * kl) < 1e-5, `${got} vs ${4 * kl}`);
  });

  it('hard term: cross-entropy with the labels, weighted 1 − alpha', () => {
    const s = tf.tensor2d([[0, Math.log(3)]]);
    const ce = -Math.log(3 / 4);
    const got = value(() => batchLoss(s, tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([1], 'int32'), { task: 'classification', temperature: 4, alpha: 0 }));
    assert.ok(Math.abs(got - ce) < 1e-6);
    const mixed = value(() => batchLoss(s, tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([1], 'int32'), { task: 'classification', temperature: 4, alpha: 0.25 }));
    assert.ok(Math.abs(mixed - 0.75 * ce) < 1e-6, 'the soft term is 0 here');
    s.dispose();
  });

  it('regression: alpha · MSE(s, teacher) + (1 − alpha) · MSE(s, labels)', () => {
    const got = value(() => batchLoss(tf.tensor2d([[1], [3]]), tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [1]]), { task: 'regression', temperature: 1, alpha: 0.5 }));
    assert.ok(Math.abs(got - (0.5 * 5 + 0.5 * 2)) < 1e-6);
  });
});

describe('distill: standardizations folded into the exported weights', () => {
  const L = (n: number) => Long.fromNumber(n);
  const init = (name: string, dims: number[], v: number[]): onnx.TensorProto.$Properties => {
    const f = Float32Array.from(v);
    return { name, dims: dims.map(L), dataType: 1, rawData: new Uint8Array(f.buffer) };
  };
  const student: StudentGraph = {
    proto: onnx.ModelProto.create({ graph: { initializer: [init('W', [2, 3], [0, 0, 0, 0, 0, 0]), init('b', [3], [0, 0, 0])] } }),
    input: 'x',
    scores: 'y',
    architecture: '',
    warnings: [],
  };
  const W = Float32Array.from([1, -2, 0.5, 3, 0.25, -1]);
  const b = Float32Array.from([0.1, 0.2, -0.3]);
  const read = (proto: onnx.ModelProto, name: string) => {
    const t = proto.graph!.initializer!.find((i) => i.name === name)!;
    return new Float32Array(t.rawData!.slice().buffer);
  };
  const affine = (x: number[], w: Float32Array, bias: Float32Array) => [0, 1, 2].map((j) => x[0]! * w[j]! + x[1]! * w[3 + j]! + bias[j]!);

  it('inputs: x·W′ + b′ equals ((x − mean) / std)·W + b', () => {
    const mean = Float32Array.from([1, -2]);
    const std = Float32Array.from([2, 0.5]);
    const out = exportStudent(student, new Map([['W', W], ['b', b]]), { weight: 'W', bias: 'b', mean, std });
    const x = [3, 1];
    const want = affine([(3 - 1) / 2, (1 + 2) / 0.5], W, b);
    const got = affine(x, read(out, 'W'), read(out, 'b'));
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-5, `${g} vs ${want[i]}`));
  });

  it('outputs: h·W′ + b′ equals (h·W + b)·std + mean', () => {
    const mean = Float32Array.from([10, 20, 30]);
    const std = Float32Array.from([2, 3, 4]);
    const out = exportStudent(student, new Map([['W', W], ['b', b]]), undefined, { weight: 'W', bias: 'b', mean, std });
    const h = [0.5, -1];
    const want = affine(h, W, b).map((v, j) => v * std[j]! + mean[j]!);
    const got = affine(h, read(out, 'W'), read(out, 'b'));
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-4, `${g} vs ${want[i]}`));
  });

  it('column statistics over chosen rows; a constant column gets std 1', () => {
    const v = Float32Array.from([1, 5, 3, 5, 100, 100]);
    const s = columnStats(v, 2, [0, 1]);
    assert.deepEqual(Array.from(s.mean), [2, 5]);
    assert.deepEqual(Array.from(s.std), [1, 1]);
    assert.deepEqual(Array.from(standardize(Float32Array.from([4, 6]), 2, s)), [2, 1]);
  });
});

describe('distill: --student', () => {
  it('parses mlp, mlp:<widths> and narrow:<width>; rejects the rest with the forms it takes', () => {
    assert.equal(studentArg('mlp'), 'default');
    assert.deepEqual(studentArg('mlp:64,32'), { kind: 'mlp', hidden: [64, 32] });
    assert.deepEqual(studentArg('narrow:0.5'), { kind: 'narrow', width: 0.5 });
    assert.throws(() => studentArg('narrow:0'), /width in \(0, 1\]/);
    assert.throws(() => studentArg('mlp:64,x'), /mlp:64,32/);
    assert.throws(() => studentArg('cnn:3'), /expected mlp, mlp:<widths>/);
  });
});
