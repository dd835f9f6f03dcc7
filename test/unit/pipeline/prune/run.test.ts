/** `prune` end to end on the shipped digits examples, through real onnxruntime: accuracy, sizes, latency, outputs. */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { onnx } from '../../../../src/core/proto/onnx';
import { prune } from '../../../../src/pipeline/prune';
import { createSession, loadOrt } from '../../../../src/pipeline/runtime';
import { DIGITS_CSV, DIGITS_MLP_WIDE, DIGITS_RESNET, Scratch, accuracyOf } from './helpers';

/** The values of a float32 initializer (raw_data) of a model file. */
function floats(file: string, name: string): Float32Array {
  const m = onnx.ModelProto.decode(readFileSync(file));
  const raw = m.graph!.initializer!.find((i) => i.name === name)!.rawData!;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

/** Fraction of exact zeros in a float32 initializer. */
function zeroFraction(file: string, name: string): number {
  const v = floats(file, name);
  return v.filter((x) => x === 0).length / v.length;
}

describe('prune: the operation on the shipped examples', function () {
  this.timeout(180000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('50% global magnitude on digits_mlp_wide keeps test accuracy within 1 point; the file is the same size but gzips smaller', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const progress: (number | undefined)[] = [];
    const r = await prune(
      { model, method: 'magnitude', sparsity: 0.5, scope: 'global', data: DIGITS_CSV, latency: { batchSizes: [1, 32], runs: 5, warmup: 1 } },
      { onProgress: (p) => progress.push(p.fraction) },
    );
    assert.equal(r.output, scratch.path('digits_mlp_wide.pruned.onnx'));
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx', 'digits_mlp_wide.pruned.onnx'], 'only the output was written, next to the model');
    assert.deepEqual(readFileSync(model), readFileSync(DIGITS_MLP_WIDE), 'the source model is untouched');
    assert.equal(r.samples, 450);
    const before = accuracyOf(r.metrics_before);
    const after = accuracyOf(r.metrics_after);
    assert.ok(Math.abs(before - 0.9778) < 1e-3, `unpruned accuracy ${before} is what examples/digits/README.md reports`);
    assert.ok(before - after <= 0.01, `50% global magnitude cost ${((before - after) * 100).toFixed(2)} points (${before} → ${after})`);
    assert.ok(r.agreement! > 0.95 && r.agreement! < 1, `agreement ${r.agreement}: the pruned model predicts differently on some rows`);
    // One global threshold: 50% over both layers together, not 50% in each.
    assert.ok(Math.abs(r.achieved_weight_sparsity - 0.5) < 0.01, `achieved ${r.achieved_weight_sparsity}`);
    const fc1 = r.layers.find((l) => l.name === '/fc1/Gemm')!;
    const fc2 = r.layers.find((l) => l.name === '/fc2/Gemm')!;
    assert.notEqual(fc1.sparsity.toFixed(3), fc2.sparsity.toFixed(3), 'a global threshold prunes layers unevenly');
    assert.ok(Math.abs(zeroFraction(r.output, 'fc1.weight') - fc1.sparsity) < 1e-6, 'the reported layer sparsity is what the file holds');
    assert.equal(zeroFraction(r.output, 'fc1.bias'), 0, 'biases untouched');
    // Unstructured: same element count, about the same file; gzip shows what sparse storage would save.
    assert.equal(r.params_after, r.params_before);
    assert.equal(r.params_before, 64 * 256 + 256 + 256 * 10 + 10);
    assert.equal(r.size_bytes_after, statSync(r.output).size);
    assert.equal(r.size_bytes_before, statSync(model).size);
    assert.ok(Math.abs(r.size_bytes_after - r.size_bytes_before) < 1024, `${r.size_bytes_before} → ${r.size_bytes_after}`);
    assert.ok(r.compressed_bytes_after! < r.compressed_bytes_before! * 0.85, `gzip ${r.compressed_bytes_before} → ${r.compressed_bytes_after}`);
    assert.ok(r.notes.some((n) => /does not shrink the file/.test(n)));
    assert.deepEqual(r.latency_before!.rows.map((x) => x.batch_size), [1, 32]);
    assert.deepEqual(r.latency_after!.rows.map((x) => x.batch_size), [1, 32]);
    assert.equal(r.settings.scope, 'global');
    assert.ok(progress.includes(1) && progress.includes(0), 'progress runs from 0 to 1');
  });

  it('per-layer 50% magnitude: each layer reaches 50%', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const r = await prune({ model, method: 'magnitude', latency: false });
    assert.equal(r.settings.sparsity, 0.5, 'default sparsity');
    assert.equal(r.settings.scope, 'layer', 'default scope');
    for (const l of r.layers) assert.ok(Math.abs(l.sparsity - 0.5) < 0.01, `${l.name}: ${l.sparsity}`);
    assert.equal(r.metrics_before, undefined, 'no data, no metrics');
    assert.equal(r.latency_before, undefined, 'latency: false');
  });

  it('2:4 N:M: exactly half of every group of 4 weights along the input axis is zero, and onnxruntime runs it', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const r = await prune({ model, method: 'nm', output: scratch.path('nm.onnx'), data: DIGITS_CSV, latency: false });
    assert.equal(r.settings.n, 2);
    assert.equal(r.settings.m, 4);
    assert.ok(Math.abs(r.achieved_weight_sparsity - 0.5) < 1e-9, `achieved ${r.achieved_weight_sparsity}`);
    const v = floats(r.output, 'fc1.weight');
    // fc1.weight is [256, 64] (transB): groups of 4 along the 64 inputs of each row.
    for (let g = 0; g < v.length; g += 4) assert.equal([0, 1, 2, 3].filter((k) => v[g + k] === 0).length, 2, `group at ${g}`);
    assert.ok(r.notes.some((n) => /2:4/.test(n) && /sparse tensor cores/.test(n)));
    assert.ok(accuracyOf(r.metrics_after) > 0.8, `2:4 accuracy ${accuracyOf(r.metrics_after)}`);
  });

  it('structured 25% on digits_resnet: fewer parameters, a smaller file, onnxruntime runs it with the same inputs/outputs', async () => {
    const model = scratch.copy(DIGITS_RESNET);
    const out = scratch.path('resnet-25.onnx');
    const r = await prune({ model, method: 'structured', output: out, data: DIGITS_CSV, latency: { batchSizes: [1], runs: 5, warmup: 1 } });
    assert.equal(r.settings.sparsity, 0.25, 'default structured sparsity');
    assert.ok(r.params_after < r.params_before, `params ${r.params_before} → ${r.params_after}`);
    assert.ok(r.params_after < r.params_before * 0.8, `a quarter of the channels gone removes more than a fifth of the parameters: ${r.params_before} → ${r.params_after}`);
    assert.ok(r.size_bytes_after < r.size_bytes_before * 0.8, `size ${r.size_bytes_before} → ${r.size_bytes_after}`);
    assert.equal(r.size_bytes_after, statSync(out).size);
    const shrunk = r.layers.filter((l) => l.channels_before !== undefined && l.channels_after! < l.channels_before);
    assert.ok(shrunk.length >= 3, `layers with fewer channels: ${JSON.stringify(r.layers)}`);
    const head = r.layers.find((l) => l.name === '/head/Conv')!;
    assert.equal(head.channels_before, 64);
    assert.equal(head.channels_after, 48);
    // The pruned model keeps the source's interface, and onnxruntime runs it on a batch.
    const ort = loadOrt();
    const s = await createSession(out, {});
    try {
      assert.deepEqual([...s.inputNames], ['input']);
      assert.deepEqual([...s.outputNames], ['logits']);
      const y = await s.run({ input: new ort.Tensor('float32', new Float32Array(3 * 64).fill(8), [3, 1, 8, 8]) });
      assert.deepEqual(y.logits!.dims, [3, 10]);
    } finally {
      await s.release();
    }
    // Every layer at 25% without fine-tuning costs this small network most of its accuracy (1.00 → 0.21 here; the
    // same as the original model with those channels' consumer weights zeroed, checked in PyTorch): the report
    // must say so rather than hide it; a sensitivity analysis shows which layers take it.
    assert.equal(accuracyOf(r.metrics_before), 1);
    assert.ok(accuracyOf(r.metrics_after) < accuracyOf(r.metrics_before));
    assert.ok(r.agreement! < 1);
    assert.ok(r.latency_after!.rows[0]!.p50_ms > 0);
    assert.ok(r.notes.some((n) => /channels were removed/.test(n)));
  });
});
