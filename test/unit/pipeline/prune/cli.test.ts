/** `ptp prune` as a user runs it: the JSON document the issue lists, the text summary, sensitivity, exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DIGITS_CSV, DIGITS_MLP_WIDE, DIGITS_RESNET, ROOT, Scratch } from './helpers';

function ptp(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('prune: ptp prune', function () {
  this.timeout(180000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('--json prints one document with every key the issue lists', () => {
    const model = scratch.copy(DIGITS_RESNET);
    const out = scratch.path('r.onnx');
    const r = ptp('prune', model, '--method', 'structured', '--sparsity', '0.25', '--data', DIGITS_CSV, '--label', 'label', '--latency-batch', '1', '-o', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    for (const k of ['output', 'achieved_weight_sparsity', 'layers', 'params_before', 'params_after', 'size_bytes_before', 'size_bytes_after', 'metrics_before', 'metrics_after', 'latency_before', 'latency_after']) {
      assert.ok(k in doc, `missing ${k}`);
    }
    assert.equal(doc.output, out);
    for (const l of doc.layers) for (const k of ['name', 'sparsity', 'params_before', 'params_after']) assert.ok(k in l, `layer key ${k}`);
    assert.ok(doc.params_after < doc.params_before);
    assert.equal(typeof doc.metrics_before.accuracy, 'number');
    assert.deepEqual(doc.latency_after.rows.map((x: { batch_size: number }) => x.batch_size), [1]);
    assert.deepEqual(scratch.list(), ['digits_resnet.onnx', 'r.onnx']);
  });

  it('text summary for magnitude with --scope global, --exclude and the default output', () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const r = ptp('prune', model, '--method', 'magnitude', '--scope', 'global', '--exclude', '/fc2/Gemm', '--no-latency');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Pruned .*digits_mlp_wide\.onnx \(magnitude\) → .*digits_mlp_wide\.pruned\.onnx/);
    assert.match(r.stdout, /\/fc2\/Gemm\s+Gemm\s+excluded/);
    assert.match(r.stdout, /note: unstructured sparsity/);
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx', 'digits_mlp_wide.pruned.onnx']);
  });

  it('--sensitivity --json: a curve per layer with a point per sparsity', () => {
    const r = ptp('prune', DIGITS_MLP_WIDE, '--sensitivity', '--data', DIGITS_CSV, '--sparsities', '0.2,0.8', '--max-rows', '200', '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.samples, 200);
    assert.equal(doc.layers.length, 2);
    for (const l of doc.layers) assert.deepEqual(l.points.map((p: { sparsity: number }) => p.sparsity), [0.2, 0.8]);
    const text = ptp('prune', DIGITS_MLP_WIDE, '--sensitivity', '--data', DIGITS_CSV, '--sparsities', '0.5', '--max-rows', '50');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Sensitivity of .* on 50 rows .*accuracy, baseline/);
    assert.match(text.stdout, /\/fc1\/Gemm\s+16384\s+\d\.\d{4}/);
  });

  it('bad input: exit 2 with one line and nothing written (sparsity out of range, missing --method, --sensitivity without data)', () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    for (const args of [
      ['--method', 'magnitude', '--sparsity', '1.5'],
      ['--method', 'structured', '--layers', '/fc2/Gemm'],
      [],
      ['--sensitivity'],
      ['--method', 'nm', '--pattern', 'two:four'],
    ]) {
      const r = ptp('prune', model, ...args, '--no-latency');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });
});
