/**
 * The `model` student (a model the user has, e.g. a pruned copy of the teacher, trained from its own weights), the
 * trainer's Constant support, and the convolution filter gradient the trainer computes itself.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { studentArg } from '../../../../src/cli/commands/distill';
import { isOnnxError, openModel } from '../../../../src/core';
import { DistillError, distill } from '../../../../src/pipeline/distill';
import { conv2dNhwc, type Conv2DSpec } from '../../../../src/pipeline/distill/conv';
import { ioMismatch } from '../../../../src/pipeline/distill/model-student';
import { ensureTf, tf } from '../../../../src/pipeline/distill/tf';
import { prune } from '../../../../src/pipeline/prune';
import { CREDIT, DIGITS_MLP, DIGITS_TEST, ROOT, Scratch, ioNames } from './helpers';

const DIGITS_RESNET = join(ROOT, 'examples/digits/digits_resnet.onnx');
const DIGITS_MLP_WIDE = join(ROOT, 'examples/digits/digits_mlp_wide.onnx');

async function rejects(p: Promise<unknown>, reason: string, message: RegExp): Promise<DistillError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DistillError, `expected a DistillError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    assert.ok(isOnnxError(e), 'a user error for the CLI (exit 2) and the worker');
    return e;
  }
  assert.fail('expected a rejection');
}

describe('distill: a model as the student', function () {
  this.timeout(120000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('trains a pruned copy of the teacher from its own weights, zeros kept, with the teacher\'s names', async () => {
    const pruned = scratch.path('pruned.onnx');
    await prune({ model: DIGITS_MLP_WIDE, method: 'magnitude', sparsity: 0.7, output: pruned, latency: false });
    const r = await distill({
      teacher: DIGITS_MLP_WIDE,
      data: DIGITS_TEST,
      student: { kind: 'model', path: pruned, keepZeros: true },
      epochs: 3,
      latency: false,
      output: scratch.path('tuned.onnx'),
    });
    assert.deepEqual(r.student, { kind: 'model', path: pruned, keepZeros: true });
    assert.equal(r.architecture, 'Div → Gemm 256 → Relu → Gemm 10');
    assert.equal(r.epochs_run, 3);
    assert.deepEqual(await ioNames(r.output), await ioNames(DIGITS_MLP_WIDE));
    const zeros = async (file: string) => {
      const m = await openModel(file);
      let n = 0;
      for (const t of m.proto.graph!.initializer!) {
        const v = (await m.readTensor(t)).values;
        if (v instanceof Float32Array) for (const x of v) if (x === 0) n++;
      }
      await m.close();
      return n;
    };
    assert.equal(await zeros(r.output), await zeros(pruned));
    assert.ok((r.agreement ?? 0) > 0.9, `agreement with the teacher ${r.agreement}`);
  });

  it('without keepZeros the zeros are trained too', async () => {
    const pruned = scratch.path('pruned.onnx');
    await prune({ model: DIGITS_MLP_WIDE, method: 'magnitude', sparsity: 0.7, output: pruned, latency: false });
    const r = await distill({ teacher: DIGITS_MLP_WIDE, data: DIGITS_TEST, student: { kind: 'model', path: pruned }, epochs: 1, latency: false, output: scratch.path('t.onnx') });
    const m = await openModel(r.output);
    const w = (await m.readTensor(m.proto.graph!.initializer!.find((t) => (t.dims ?? []).length === 2)!)).values as Float32Array;
    await m.close();
    // 70% were 0; a few stay 0 (weights of pixels that are 0 in every image, units that never fire get no gradient).
    assert.ok(w.filter((x) => x === 0).length < 0.25 * w.length);
  });

  it('a student with other inputs or outputs than the teacher is refused, naming what differs; nothing is written', async () => {
    const base = { data: DIGITS_TEST, epochs: 1, latency: false, output: scratch.path('out.onnx') } as const;
    // Same names, other shapes: the MLP takes [batch, 64], the ResNet [batch, 1, 8, 8].
    const e = await rejects(
      distill({ ...base, teacher: DIGITS_RESNET, student: { kind: 'model', path: DIGITS_MLP } }),
      'bad-student',
      /does not fit the teacher digits_resnet\.onnx: input 'input' is FLOAT \[batch, 64\] in the student but FLOAT \[batch, 1, 8, 8\] in the teacher/,
    );
    assert.equal(e.file, DIGITS_MLP);
    // Other names.
    await rejects(distill({ ...base, teacher: DIGITS_MLP, student: { kind: 'model', path: CREDIT } }), 'bad-student', /its inputs are .* the teacher's 'input'/);
    await rejects(distill({ ...base, teacher: DIGITS_MLP, student: { kind: 'model', path: scratch.path('missing.onnx') } }), 'bad-student', /not a readable ONNX model: file not found/);
    await rejects(distill({ ...base, teacher: DIGITS_MLP, student: { kind: 'model', path: ' ' } }), 'bad-setting', /needs the path of an ONNX model/);
    assert.deepEqual(scratch.list(), []);
  });

  it('ioMismatch: symbolic dimensions match anything, fixed ones must agree', () => {
    const v = (name: string, shape: (number | string)[], elem = 'FLOAT') => ({ name, kind: 'tensor' as const, elem_type: elem, shape });
    const io = (i: ReturnType<typeof v>[], o: ReturnType<typeof v>[]) => ({ inputs: i, outputs: o });
    assert.equal(ioMismatch(io([v('x', ['n', 4])], [v('y', ['n', 3])]), io([v('x', [1, 4])], [v('y', ['b', 3])])), null);
    assert.match(ioMismatch(io([v('x', ['n', 4])], [v('y', ['n', 3])]), io([v('x', ['n', 4])], [v('y', ['n', 2])]))!, /output 'y' is FLOAT \[n, 2\] in the student but FLOAT \[n, 3\]/);
    assert.match(ioMismatch(io([v('x', ['n', 4])], [v('y', ['n'])]), io([v('x', ['n', 4], 'DOUBLE')], [v('y', ['n'])]))!, /input 'x' is DOUBLE/);
    assert.match(ioMismatch(io([v('x', ['n'])], [v('y', ['n'])]), io([v('x', ['n'])], [v('y', ['n']), v('z', ['n'])]))!, /its outputs are 'y', 'z', the teacher's 'y'/);
  });

  it('ptp distill --student model:PATH[,keep-zeros]', () => {
    assert.deepEqual(studentArg('model:p.onnx'), { kind: 'model', path: 'p.onnx' });
    assert.deepEqual(studentArg('model:dir/p.onnx,keep-zeros'), { kind: 'model', path: 'dir/p.onnx', keepZeros: true });
    assert.throws(() => studentArg('model:'), /model:<file\.onnx>\[,keep-zeros\]/);
    assert.throws(() => studentArg('model:,keep-zeros'), /model:<file\.onnx>\[,keep-zeros\]/);
  });
});

describe('distill: the trainer\'s convolution', () => {
  before(() => ensureTf());

  const cases: (Conv2DSpec & { readonly name: string; readonly k: [number, number] })[] = [
    { name: '3×3, pad 1', k: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [[1, 1], [1, 1]] },
    { name: '3×2, stride 2, uneven pads', k: [3, 2], strides: [2, 2], dilations: [1, 1], pads: [[0, 1], [1, 0]] },
    { name: '1×1, stride (1, 2), no pads', k: [1, 1], strides: [1, 2], dilations: [1, 1], pads: [[0, 0], [0, 0]] },
  ];
  for (const c of cases) {
    it(`values and gradients equal tfjs's own conv2d: ${c.name}`, () => {
      tf.tidy(() => {
        const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
        const w = tf.randomNormal([c.k[0], c.k[1], 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
        const pad = [[0, 0], [...c.pads[0]], [...c.pads[1]], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
        const ref = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [c.strides[0], c.strides[1]], pad);
        const ours = (a: tf.Tensor, b: tf.Tensor) => conv2dNhwc(a as tf.Tensor4D, b as tf.Tensor4D, c);
        const wy = tf.randomNormal(ref(x, w).shape, 0, 1, 'float32', 3);
        const loss = (f: typeof ref) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), wy));
        const close = (p: tf.Tensor, q: tf.Tensor, what: string) => {
          assert.deepEqual(p.shape, q.shape, what);
          const d = tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!;
          assert.ok(d < 1e-4, `${what}: max difference ${d}`);
        };
        close(ours(x, w), ref(x, w), 'values');
        const [gx1, gw1] = tf.grads(loss(ours))([x, w]);
        const [gx2, gw2] = tf.grads(loss(ref))([x, w]);
        close(gx1!, gx2!, 'input gradient');
        close(gw1!, gw2!, 'filter gradient');
      });
    });
  }
});
