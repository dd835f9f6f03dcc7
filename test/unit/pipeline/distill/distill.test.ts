/**
 * Distillation end to end on the examples, through onnxruntime: the student is a drop-in (same input and output
 * names and types), smaller, close to the teacher, and the same seed gives the same bytes (but for the time in its lineage).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Long from 'long';
import { onnx } from '../../../../src/core/proto/onnx';
import { distill } from '../../../../src/pipeline/distill';
import type { DistillResult } from '../../../../src/protocol/distill';
import { CREDIT, CREDIT_CSV, DIABETES, DIABETES_CSV, DIGITS_CNN, DIGITS_MLP, DIGITS_TEST, DIGITS_TRAIN, Scratch, ioNames, runFloat } from './helpers';

const acc = (m: DistillResult['metrics_student']): number => (m as { accuracy: number }).accuracy;

/** The first `n` rows of the digits CSV as float pixels. */
function digitRows(n: number): Float32Array {
  const lines = readFileSync(DIGITS_TEST, 'utf8').trim().split('\n').slice(1, n + 1);
  return Float32Array.from(lines.flatMap((l) => l.split(',').slice(0, 64).map(Number)));
}

describe('distill: MLP student of the digits MLP', function () {
  this.timeout(120000);
  const scratch = new Scratch();
  let r: DistillResult;
  before(async () => {
    r = await distill({
      teacher: DIGITS_MLP,
      data: DIGITS_TRAIN,
      student: { kind: 'mlp', hidden: [16] },
      epochs: 150,
      learningRate: 0.01,
      patience: 30,
      latency: false,
      output: scratch.path('student.onnx'),
    });
  });
  after(() => scratch.dispose());

  it('writes a smaller student with the teacher’s input and output names that onnxruntime runs', async () => {
    assert.equal(r.output, scratch.path('student.onnx'));
    assert.equal(r.task, 'classification');
    assert.equal(r.architecture, '64 → 16 → Relu → 10');
    assert.equal(r.params_teacher, 2410);
    assert.equal(r.params_student, 64 * 16 + 16 + 16 * 10 + 10);
    assert.ok(r.size_bytes_student < r.size_bytes_teacher);
    assert.deepEqual(await ioNames(r.output), await ioNames(DIGITS_MLP));
    const out = await runFloat(r.output, 'input', digitRows(3), [3, 64]);
    assert.deepEqual(out.logits!.dims, [3, 10]);
    assert.equal(r.library, 'tfjs-core 4.22.0 (cpu)');
    assert.deepEqual(scratch.list(), ['student.onnx'], 'no temp file left');
  });

  it('comes close to the teacher on the validation rows (student accuracy ≥ teacher’s − 0.06, agreement ≥ 0.9)', () => {
    assert.match(r.eval_data, /^validation rows of /);
    assert.equal(r.samples, r.validation_rows);
    assert.equal(r.train_rows + r.validation_rows, readFileSync(DIGITS_TRAIN, 'utf8').trim().split('\n').length - 1);
    assert.equal(r.validation_rows, Math.round(0.2 * (r.train_rows + r.validation_rows)));
    const t = acc(r.metrics_teacher);
    const s = acc(r.metrics_student);
    assert.ok(t > 0.95, `teacher accuracy ${t}`);
    assert.ok(s >= t - 0.06, `student accuracy ${s} vs teacher ${t}`);
    assert.ok(r.agreement! >= 0.9, `agreement ${r.agreement}`);
  });

  it('the trainer computes what onnxruntime computes: the best epoch’s validation accuracy is the student’s', () => {
    const best = r.history.find((e) => e.epoch === r.best_epoch)!;
    assert.equal(best.val_metric, acc(r.metrics_student));
    assert.ok(r.history.length === r.epochs_run && r.epochs_run <= 150);
    assert.ok(r.history[r.history.length - 1]!.train_loss < r.history[0]!.train_loss / 3, 'the loss falls');
  });

  it('the same seed gives the same bytes (but for the ptp.lineage time), another seed other bytes', async () => {
    const base = { teacher: DIGITS_MLP, data: DIGITS_TEST, student: { kind: 'mlp', hidden: [8] } as const, epochs: 3, latency: false as const };
    await distill({ ...base, seed: 7, output: scratch.path('a.onnx') });
    await distill({ ...base, seed: 7, output: scratch.path('b.onnx') });
    await distill({ ...base, seed: 8, output: scratch.path('c.onnx') });
    // The lineage records when the file was written; everything else must be byte-identical.
    const timeless = (file: string): Buffer => {
      const m = onnx.ModelProto.decode(readFileSync(file));
      const lineage = m.metadataProps.find((p) => p.key === 'ptp.lineage');
      assert.ok(lineage?.value, `${file} has no ptp.lineage`);
      lineage.value = JSON.stringify({ ...(JSON.parse(lineage.value) as object), created: '' });
      return Buffer.from(onnx.ModelProto.encode(m).finish());
    };
    const [a, b, c] = ['a', 'b', 'c'].map((n) => timeless(scratch.path(`${n}.onnx`)));
    assert.ok(a!.equals(b!), 'same seed → identical files');
    assert.ok(!a!.equals(c!), 'different seed → different files');
  });

  it('stops early when the validation loss stops improving and keeps the best epoch', async () => {
    const e = await distill({ teacher: DIGITS_MLP, data: DIGITS_TEST, student: { kind: 'mlp', hidden: [8] }, epochs: 400, learningRate: 0.05, patience: 3, latency: false, output: scratch.path('early.onnx') });
    assert.ok(e.stopped_early);
    assert.equal(e.epochs_run, e.best_epoch + 3, 'three epochs without improvement');
    const bestVal = Math.min(...e.history.map((h) => h.val_loss));
    assert.equal(e.history.find((h) => h.epoch === e.best_epoch)!.val_loss, bestVal);
  });

  it('reports on --eval-data through the evaluation pipeline, with latency of both models', async () => {
    const e = await distill({
      teacher: DIGITS_MLP,
      data: DIGITS_TEST,
      evalData: DIGITS_TEST,
      student: { kind: 'mlp', hidden: [12], activation: 'tanh' },
      epochs: 5,
      latency: { batchSizes: [1], runs: 3, warmup: 1 },
      output: scratch.path('eval.onnx'),
    });
    assert.equal(e.eval_data, DIGITS_TEST);
    assert.equal(e.samples, 450);
    assert.equal(e.architecture, '64 → 12 → Tanh → 10');
    assert.equal(e.latency_teacher!.rows.length, 1);
    assert.equal(e.latency_student!.rows[0]!.batch_size, 1);
    assert.ok(typeof e.agreement === 'number');
  });
});

describe('distill: other teachers', function () {
  this.timeout(120000);
  const scratch = new Scratch();
  after(() => scratch.dispose());

  it('regression (diabetes ridge): MSE to the teacher, R² reported, output [N,1] named like the teacher’s', async () => {
    const r = await distill({ teacher: DIABETES, data: DIABETES_CSV, learningRate: 0.01, latency: false, output: scratch.path('diabetes.onnx') });
    assert.equal(r.task, 'regression');
    assert.equal(r.architecture, '10 → 8 → Relu → 1');
    const t = r.metrics_teacher as { r2: number };
    const s = r.metrics_student as { r2: number };
    assert.equal(typeof t.r2, 'number');
    assert.equal(typeof s.r2, 'number');
    assert.ok(r.max_abs_diff! < 60, `max |difference| ${r.max_abs_diff} (targets ~25–346)`);
    const x = new Float32Array(20).fill(0.01);
    const out = await runFloat(r.output, 'features', x, [2, 10]);
    assert.deepEqual(out.progression!.dims, [2, 1]);
    const teacherOut = await runFloat(DIABETES, 'features', x, [2, 10]);
    const d = Math.abs((out.progression!.data as Float32Array)[0]! - (teacherOut.progression!.data as Float32Array)[0]!);
    assert.ok(d < 60, `student and teacher differ by ${d} on one row`);
  });

  it('sklearn classifier with ZipMap (credit): label and probability outputs as the teacher has them', async () => {
    const r = await distill({ teacher: CREDIT, data: CREDIT_CSV, excludeColumns: ['sex'], learningRate: 0.01, epochs: 40, latency: false, output: scratch.path('credit.onnx') });
    assert.equal(r.task, 'classification');
    assert.match(r.architecture, /→ 2 → Softmax$/);
    assert.deepEqual(await ioNames(r.output), await ioNames(CREDIT));
    assert.ok(r.agreement! >= 0.9, `agreement ${r.agreement}`);
    const rows = readFileSync(CREDIT_CSV, 'utf8').trim().split('\n').slice(1, 5).map((l) => l.split(',').slice(1, 7).map(Number));
    const out = await runFloat(r.output, 'features', Float32Array.from(rows.flat()), [4, 6], ['label']);
    const labels = Array.from(out.label!.data as BigInt64Array, Number);
    assert.ok(labels.every((l) => l === 0 || l === 1), `labels ${labels}`);
  });

  it('narrow student of the digits CNN: half the channels, initialised from the teacher, then trained', async () => {
    const r = await distill({ teacher: DIGITS_CNN, data: DIGITS_TEST, student: { kind: 'narrow', width: 0.5 }, epochs: 15, latency: false, output: scratch.path('narrow.onnx') });
    assert.equal(r.architecture, 'Conv 4 → Relu → MaxPool → Flatten → Gemm 10');
    assert.ok(r.params_student < r.params_teacher * 0.6, `${r.params_student} vs ${r.params_teacher}`);
    assert.deepEqual(await ioNames(r.output), await ioNames(DIGITS_CNN));
    assert.ok(acc(r.metrics_student) >= acc(r.metrics_teacher) - 0.05, `student ${acc(r.metrics_student)} teacher ${acc(r.metrics_teacher)}`);
    // Starting from the teacher's strongest channels, the first epoch is already far above chance.
    assert.ok(r.history[0]!.val_metric! > 0.5, `first epoch accuracy ${r.history[0]!.val_metric}`);
    const out = await runFloat(r.output, 'input', digitRows(2), [2, 1, 8, 8]);
    assert.deepEqual(out.logits!.dims, [2, 10]);
  });

  it('a 1-D regression output ([N]) stays 1-D; outputs the student cannot reproduce are named in a warning', async () => {
    const L = (n: number) => Long.fromNumber(n);
    const w = Float32Array.from([2, -1, 0.5]);
    const vi = (name: string, dims: (number | string)[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: L(d) } : { dimParam: d })) } } } });
    const teacher = scratch.write(
      'linear.onnx',
      onnx.ModelProto.encode(
        onnx.ModelProto.create({
          irVersion: L(8),
          opsetImport: [{ domain: '', version: L(13) }],
          graph: {
            name: 'linear',
            node: [
              { opType: 'MatMul', input: ['x', 'w'], output: ['col'] },
              { opType: 'Reshape', input: ['col', 'shape'], output: ['y'] },
              { opType: 'Relu', input: ['col'], output: ['extra'] },
            ],
            initializer: [
              { name: 'w', dims: [L(3), L(1)], dataType: 1, rawData: new Uint8Array(w.buffer) },
              { name: 'shape', dims: [L(1)], dataType: 7, rawData: new Uint8Array(BigInt64Array.from([-1n]).buffer) },
            ],
            input: [vi('x', ['N', 3])],
            output: [vi('y', ['N']), vi('extra', ['N', 1])],
          },
        }),
      ).finish(),
    );
    const lines = ['a,b,c'];
    for (let i = 0; i < 200; i++) lines.push([Math.sin(i), Math.cos(i * 0.7), (i % 13) / 13].map((v) => v.toFixed(4)).join(','));
    const data = scratch.write('linear.csv', `${lines.join('\n')}\n`);
    const r = await distill({ teacher, data, label: null, student: { kind: 'mlp', hidden: [8] }, learningRate: 0.01, epochs: 150, latency: false, output: scratch.path('linear.student.onnx') });
    assert.equal(r.task, 'regression');
    assert.equal(r.settings.alpha, 1, 'no labels: the teacher alone');
    assert.equal(r.metrics_student, null);
    assert.ok(r.warnings.some((m) => m.includes("'extra'")), r.warnings.join('; '));
    assert.ok(r.max_abs_diff! < 0.5, `max |difference| ${r.max_abs_diff}`);
    assert.ok(r.history[r.best_epoch - 1]!.val_metric! > 0.9, `R² against the teacher ${r.history[r.best_epoch - 1]!.val_metric}`);
    const out = await runFloat(r.output, 'x', Float32Array.from([0.5, 0.5, 0.5]), [1, 3]);
    assert.deepEqual(out.y!.dims, [1]);
    assert.deepEqual((await ioNames(r.output)).outputs, ['y']);
  });

  it('one-score binary classifiers: a probability [N,1] (Sigmoid) and a raw logit [N]', async () => {
    const L = (n: number) => Long.fromNumber(n);
    const w = Float32Array.from([3, -2, 1]);
    const vi = (name: string, dims: (number | string)[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: L(d) } : { dimParam: d })) } } } });
    const teacherFile = (name: string, sigmoid: boolean) =>
      scratch.write(
        name,
        onnx.ModelProto.encode(
          onnx.ModelProto.create({
            irVersion: L(8),
            opsetImport: [{ domain: '', version: L(13) }],
            graph: {
              name: 'binary',
              node: sigmoid
                ? [
                    { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
                    { opType: 'Sigmoid', input: ['z'], output: ['probability'] },
                  ]
                : [
                    { opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
                    { opType: 'Reshape', input: ['z', 'shape'], output: ['logit'] },
                  ],
              initializer: [
                { name: 'w', dims: [L(3), L(1)], dataType: 1, rawData: new Uint8Array(w.buffer) },
                { name: 'shape', dims: [L(1)], dataType: 7, rawData: new Uint8Array(BigInt64Array.from([-1n]).buffer) },
              ],
              input: [vi('x', ['N', 3])],
              output: [sigmoid ? vi('probability', ['N', 1]) : vi('logit', ['N'])],
            },
          }),
        ).finish(),
      );
    const lines = ['a,b,c,label'];
    for (let i = 0; i < 300; i++) {
      const x = [Math.sin(i * 1.3), Math.cos(i * 0.7), ((i % 17) - 8) / 8];
      lines.push([...x.map((v) => v.toFixed(4)), 3 * x[0]! - 2 * x[1]! + x[2]! > 0 ? 1 : 0].join(','));
    }
    const data = scratch.write('binary.csv', `${lines.join('\n')}\n`);
    for (const [file, out, dims, arch] of [
      [teacherFile('proba.onnx', true), 'probability', [2, 1], /→ 1 → Sigmoid$/],
      [teacherFile('logit.onnx', false), 'logit', [2], /→ 1$/],
    ] as const) {
      const r = await distill({ teacher: file, data, learningRate: 0.01, epochs: 120, latency: false, output: scratch.path(`${out}.student.onnx`) });
      assert.equal(r.task, 'classification');
      assert.match(r.architecture, arch);
      assert.ok(r.agreement! >= 0.9, `${out}: agreement ${r.agreement}`);
      assert.ok(acc(r.metrics_student) >= 0.85, `${out}: accuracy ${acc(r.metrics_student)}`);
      assert.equal(r.history.find((e) => e.epoch === r.best_epoch)!.val_metric, acc(r.metrics_student), 'trainer and onnxruntime agree');
      const o = await runFloat(r.output, 'x', Float32Array.from([1, 0, 0, -1, 1, 0]), [2, 3]);
      assert.deepEqual(o[out]!.dims, dims);
      const v = Array.from(o[out]!.data as Float32Array);
      assert.ok(out === 'probability' ? v[0]! > 0.5 && v[1]! < 0.5 : v[0]! > 0 && v[1]! < 0, `${out}: ${v}`);
    }
    // The narrow student of a width-1 copy fits the Sigmoid's input.
    const n = await distill({ teacher: scratch.path('proba.onnx'), data, student: { kind: 'narrow', width: 1 }, epochs: 2, latency: false, output: scratch.path('narrow1.onnx') });
    assert.equal(n.architecture, 'MatMul 1 → Sigmoid');
    assert.ok(n.agreement! > 0.95);
  });
});
