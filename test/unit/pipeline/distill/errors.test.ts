/** Bad input gets one clear message naming the file and the problem; a failed or cancelled run leaves no file. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOnnxError } from '../../../../src/core';
import { DistillError, distill } from '../../../../src/pipeline/distill';
import { ensureTf, tf } from '../../../../src/pipeline/distill/tf';
import type { DistillParams } from '../../../../src/protocol/distill';
import { CREDIT, CREDIT_CSV, DIABETES, DIABETES_CSV, DIGITS_MLP, DIGITS_TEST, Scratch } from './helpers';

async function rejects(p: Promise<unknown>, reason: string, message: RegExp): Promise<DistillError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DistillError, `expected a DistillError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    assert.ok(isOnnxError(e) && e.code === 'unsupported', 'a user error for the CLI (exit 2) and the worker');
    return e;
  }
  assert.fail('expected a rejection');
}

describe('distill: bad input', function () {
  this.timeout(60000);
  let scratch: Scratch;
  let base: DistillParams;
  beforeEach(() => {
    scratch = new Scratch();
    base = { teacher: DIGITS_MLP, data: DIGITS_TEST, epochs: 2, latency: false, output: scratch.path('out.onnx') };
  });
  afterEach(() => {
    assert.deepEqual(
      scratch.list().filter((f) => !f.startsWith('input')),
      [],
      'nothing written on failure',
    );
    scratch.dispose();
  });

  it('a teacher that is not ONNX, or missing', async () => {
    const fake = scratch.write('input-fake.onnx', 'label,x\n1,2\n');
    const e = await rejects(distill({ ...base, teacher: fake }), 'bad-teacher', /not a readable ONNX model/);
    assert.ok(e.message.includes(fake), 'names the file');
    await rejects(distill({ ...base, teacher: scratch.path('input-none.onnx') }), 'bad-teacher', /file not found/);
  });

  it('data that does not fit the teacher: a text column feeding a float input', async () => {
    await rejects(distill({ ...base, teacher: CREDIT, data: CREDIT_CSV }), 'bad-data', /training data does not fit the teacher: .*credit_test\.csv: column "sex" holds text/);
  });

  it('a named label column that is missing, and labels outside the teacher’s classes', async () => {
    await rejects(distill({ ...base, label: 'nope' }), 'bad-data', /label column "nope" is not in the data/);
    await rejects(distill({ ...base, label: 'pixel_5' }), 'bad-data', /outside the model's class range: the model has 10 classes/);
  });

  it('regression teacher with a text label column', async () => {
    const csv = readFileSync(DIABETES_CSV, 'utf8').split(/\r?\n/);
    const rows = csv.map((l, i) => (l ? `${l},${i === 0 ? 'grade' : i % 2 ? 'a' : 'b'}` : l)).join('\n');
    const data = scratch.write('input-text-label.csv', rows);
    await rejects(distill({ ...base, teacher: DIABETES, data, label: 'grade', excludeColumns: ['target'] }), 'bad-data', /label column "grade": .*label "a" of data row 1 is outside the model's class range: the model has 2 classes.*for a regression teacher name a numeric label column/);
  });

  it('settings out of range', async () => {
    await rejects(distill({ ...base, student: { kind: 'narrow', width: 0 } }), 'bad-setting', /width must be in \(0, 1\]/);
    await rejects(distill({ ...base, student: { kind: 'narrow', width: 1.5 } }), 'bad-setting', /width must be in \(0, 1\]/);
    await rejects(distill({ ...base, student: { kind: 'mlp', hidden: [] } }), 'bad-setting', /at least one hidden layer/);
    await rejects(distill({ ...base, student: { kind: 'mlp', hidden: [0] } }), 'bad-setting', /hidden layer widths/);
    await rejects(distill({ ...base, epochs: 0 }), 'bad-setting', /epochs must be a whole number ≥ 1, got 0/);
    await rejects(distill({ ...base, alpha: 1.5 }), 'bad-setting', /alpha must be in \[0, 1\]/);
    await rejects(distill({ ...base, temperature: 0 }), 'bad-setting', /temperature must be a number > 0/);
    await rejects(distill({ ...base, validationSplit: 1 }), 'bad-setting', /validation split must be in \[0, 1\)/);
  });

  it('the output may not be the teacher', async () => {
    await rejects(distill({ ...base, output: DIGITS_MLP }), 'bad-output', /overwrite the teacher/);
  });

  it('a narrow student of an sklearn teacher', async () => {
    await rejects(distill({ ...base, teacher: CREDIT, data: CREDIT_CSV, excludeColumns: ['sex'], student: { kind: 'narrow', width: 0.5 } }), 'bad-teacher', /sklearn model: use an mlp student/);
  });

  it('an empty data file', async () => {
    const header = readFileSync(DIGITS_TEST, 'utf8').split('\n')[0]!;
    const data = scratch.write('input-empty.csv', `${header}\n`);
    await rejects(distill({ ...base, data }), 'bad-data', /holds no rows/);
  });
});

describe('distill: cancellation', function () {
  this.timeout(60000);

  it('an aborted signal stops training within a few batches, writes nothing and keeps an existing output', async () => {
    const scratch = new Scratch();
    try {
      const out = scratch.write('out.onnx', 'previous');
      const controller = new AbortController();
      let epochs = 0;
      let abortedAt = 0;
      const t0 = Date.now();
      const run = distill(
        { teacher: DIGITS_MLP, data: DIGITS_TEST, epochs: 100000, patience: 100000, latency: false, output: out },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.message?.startsWith('Epoch')) epochs++;
            if (epochs === 2 && !controller.signal.aborted) {
              abortedAt = Date.now();
              controller.abort();
            }
          },
        },
      );
      await assert.rejects(run, (e: Error) => e.name === 'AbortError');
      assert.ok(Date.now() - abortedAt < 1000, `stopped ${Date.now() - abortedAt} ms after the abort`);
      assert.ok(Date.now() - t0 < 30000);
      assert.equal(readFileSync(out, 'utf8'), 'previous');
      assert.deepEqual(scratch.list(), ['out.onnx']);
    } finally {
      scratch.dispose();
    }
  });

  it('an abort from a timer reaches the loop (it yields to the event loop while training)', async () => {
    const scratch = new Scratch();
    try {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 1500);
      await assert.rejects(
        distill({ teacher: DIGITS_MLP, data: DIGITS_TEST, epochs: 100000, patience: 100000, latency: false, output: scratch.path('o.onnx') }, { signal: controller.signal }),
        (e: Error) => e.name === 'AbortError',
      );
      assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
      assert.deepEqual(scratch.list(), []);
    } finally {
      scratch.dispose();
    }
  });

  it('no tensor outlives a run, finished or cancelled', async () => {
    await ensureTf();
    const scratch = new Scratch();
    try {
      const before = tf.memory().numTensors;
      await distill({ teacher: DIGITS_MLP, data: DIGITS_TEST, epochs: 3, latency: false, output: scratch.path('a.onnx') });
      assert.equal(tf.memory().numTensors, before);
      const controller = new AbortController();
      await assert.rejects(
        distill(
          { teacher: DIGITS_MLP, data: DIGITS_TEST, epochs: 50, latency: false, output: scratch.path('b.onnx') },
          { signal: controller.signal, onProgress: (p) => p.message?.startsWith('Epoch 2/') && controller.abort() },
        ),
        (e: Error) => e.name === 'AbortError',
      );
      assert.equal(tf.memory().numTensors, before);
    } finally {
      scratch.dispose();
    }
  });
});
