/** `ptp distill` as a user runs it, and the worker op. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { handleRequest } from '../../../../src/cli/worker';
import type { DistillResult } from '../../../../src/protocol/distill';
import type { WorkerReply } from '../../../../src/protocol/worker';
import { DIGITS_MLP, DIGITS_TEST, ROOT, Scratch } from './helpers';

function ptp(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('distill: CLI and worker op', function () {
  this.timeout(120000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('ptp distill --json prints one JSON document; progress goes to stderr without the tfjs banner', () => {
    const out = scratch.path('s.onnx');
    const r = ptp('distill', DIGITS_MLP, '--data', DIGITS_TEST, '--student', 'mlp:8', '--epochs', '12', '--lr', '0.01', '--seed', '3', '--no-latency', '-o', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as DistillResult;
    assert.equal(doc.output, out);
    assert.deepEqual(doc.student, { kind: 'mlp', hidden: [8] });
    assert.equal(doc.settings.seed, 3);
    assert.equal(doc.history.length, 12);
    assert.ok(existsSync(out));
    assert.match(r.stderr, /Epoch 1\/12 · loss [\d.]+ · val [\d.]+ · acc [\d.]+/);
    assert.match(r.stderr, /Epoch 10\/12/);
    assert.doesNotMatch(r.stderr, /TensorFlow\.js|tfjs-node/);
  });

  it('the text summary names the student, sizes and the comparison', () => {
    const r = ptp('distill', DIGITS_MLP, '--data', DIGITS_TEST, '--epochs', '3', '--no-latency', '-o', scratch.path('t.onnx'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /student: 64 → 16 → Relu → 10 \(classification\)/);
    assert.match(r.stdout, /parameters 2410 → 1210/);
    assert.match(r.stdout, /accuracy +[\d.]+ → [\d.]+/);
  });

  it('bad input exits 2 with one line naming the problem', () => {
    const r = ptp('distill', DIGITS_MLP, '--data', DIGITS_TEST, '--label', 'nope', '-o', scratch.path('x.onnx'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /label column "nope" is not in the data/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const bad = ptp('distill', DIGITS_MLP, '--data', DIGITS_TEST, '--student', 'narrow:0', '-o', scratch.path('x.onnx'));
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /narrow:<width> with width in \(0, 1\]/);
    assert.deepEqual(scratch.list(), []);
  });

  it('worker op distill: progress with fractions, then the result', async () => {
    const replies: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 5, op: 'distill', params: { teacher: DIGITS_MLP, data: DIGITS_TEST, epochs: 4, latency: false, output: scratch.path('w.onnx') } }, (m) => replies.push(m));
    const final = replies[replies.length - 1]!;
    assert.equal(final.kind, 'result', JSON.stringify(final));
    assert.equal((final as { result: DistillResult }).result.epochs_run, 4);
    const fractions = replies.filter((r) => r.kind === 'progress' && (r as { fraction?: number }).fraction !== undefined).map((r) => (r as { fraction: number }).fraction);
    assert.deepEqual(fractions.slice(-4), [0.25, 0.5, 0.75, 1]);
  });
});
