/** `ptp quantize` as a user runs it, the recipe (in the output's lineage, or a --save-recipe file), and repeating a run from it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleRequest } from '../../../../src/cli/worker';
import { quantize, readRecipe } from '../../../../src/pipeline/quantize';
import type { QuantizeResult } from '../../../../src/protocol/quantize';
import type { WorkerReply } from '../../../../src/protocol/worker';
import { CREDIT, DIGITS_CNN, DIGITS_CSV, ROOT, Scratch } from './helpers';

function ptp(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('quantize: CLI and recipe', function () {
  this.timeout(120000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('ptp quantize --json prints one JSON document; nothing lands next to the model', () => {
    const model = scratch.copy(DIGITS_CNN, 'cnn.onnx');
    const out = scratch.path('q.onnx');
    const r = ptp('quantize', model, '--mode', 'static', '--data', DIGITS_CSV, '--label', 'label', '--per-channel', '--method', 'percentile', '--exclude', '/fc/Gemm', '-o', out, '--latency-batch', '1', '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.output, out);
    assert.equal(doc.mode, 'static');
    assert.equal(doc.recipe.per_channel, true);
    assert.equal(doc.recipe.method, 'percentile');
    assert.deepEqual(doc.recipe.exclude, ['/fc/Gemm']);
    assert.ok(doc.nodes.some((n: { name: string; status: string }) => n.name === '/fc/Gemm' && n.status === 'excluded'));
    for (const k of ['size_bytes_before', 'size_bytes_after', 'metrics_before', 'metrics_after', 'agreement', 'latency_before', 'latency_after', 'nodes', 'skipped', 'warnings', 'quantized_nodes']) assert.ok(k in doc, k);
    assert.ok(existsSync(out));
    assert.equal(doc.recipe_file, undefined);
    assert.deepEqual(scratch.list(), ['cnn.onnx', 'q.onnx'], 'only the output is written');
  });

  it('ptp quantize: text summary; credit → exit 2 and one line', () => {
    const model = scratch.copy(DIGITS_CNN, 'cnn.onnx');
    const ok = ptp('quantize', model, '--mode', 'int4', '--no-latency');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Quantized .*cnn\.onnx \(int4\) → .*cnn\.int4\.onnx/);
    const credit = scratch.copy(CREDIT);
    const bad = ptp('quantize', credit, '--mode', 'dynamic');
    assert.equal(bad.code, 2);
    const lines = bad.stderr.trim().split('\n').filter((l) => l.startsWith('ptp:'));
    assert.equal(lines.length, 1, bad.stderr);
    assert.match(lines[0]!, /no quantizable ops/);
    const usage = ptp('quantize', model);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--mode is required/);
  });

  it('worker op quantize: progress, then the result; no quantizable ops is a user error', async () => {
    const model = scratch.copy(DIGITS_CNN, 'cnn.onnx');
    const replies: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 7, op: 'quantize', params: { model, mode: 'dynamic', latency: false } }, (m) => replies.push(m));
    const final = replies[replies.length - 1]!;
    assert.equal(final.kind, 'result');
    assert.ok(replies.slice(0, -1).every((r) => r.kind === 'progress') && replies.length > 1);
    assert.equal(((final as { result: QuantizeResult }).result).quantized_nodes, 2);
    const bad: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 8, op: 'quantize', params: { model: scratch.copy(CREDIT), mode: 'int4' } }, (m) => bad.push(m));
    const err = bad[bad.length - 1]!;
    assert.equal(err.kind, 'error');
    assert.equal((err as { error: { type: string } }).error.type, 'user');
  });

  it('a recipe repeats a run (from the --save-recipe file or the quantized model); explicit settings override it', async () => {
    const model = scratch.copy(DIGITS_CNN, 'cnn.onnx');
    const file = scratch.path('saved/recipe.json');
    mkdirSync(scratch.path('saved'));
    const first = await quantize({ model, mode: 'static', data: DIGITS_CSV, settings: { per_channel: true, method: 'entropy', exclude: ['/conv/Conv'] }, latency: false, saveRecipe: file });
    assert.equal(first.recipe_file, file);
    assert.deepEqual(await readRecipe(first.output), { ...first.recipe }, 'the quantized model holds its recipe');
    const saved = await readRecipe(file);
    assert.deepEqual(saved, { ...first.recipe });
    assert.equal(saved.calibration, DIGITS_CSV, 'the calibration data is remembered');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).exclude, ['/conv/Conv']);
    // Repeat from the file (no mode, no data given), dropping the exclusion.
    const again = await quantize({ model, recipe: file, settings: { exclude: [] }, latency: false });
    assert.equal(again.mode, 'static');
    assert.equal(again.recipe.method, 'entropy');
    assert.equal(again.recipe.per_channel, true);
    assert.ok(again.nodes.some((n) => n.name === '/conv/Conv' && n.status === 'quantized'));
    assert.equal(again.calibration!.rows, 450);
    // A model that is not a quantization's output holds no recipe: a user error.
    await assert.rejects(readRecipe(model), /holds no quantization recipe/);
  });
});
