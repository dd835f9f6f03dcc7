/** Bad input gets one clear PruneError, and a failed or cancelled run leaves no file behind (nor replaces an output). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOnnxError } from '../../../../src/core';
import { PruneError, prune } from '../../../../src/pipeline/prune';
import { CREDIT_CSV, DIGITS_MLP_WIDE, DIGITS_RESNET, Scratch } from './helpers';

async function rejects(p: Promise<unknown>, reason: string, message: RegExp): Promise<PruneError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof PruneError, `expected a PruneError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    assert.ok(isOnnxError(e), 'a user error for the CLI (exit 2) and the worker');
    return e;
  }
  assert.fail('expected a rejection');
}

describe('prune: bad input and failures', function () {
  this.timeout(120000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('sparsity outside (0, 1) is refused before anything is written', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    for (const sparsity of [0, 1, 1.5, -0.2, Number.NaN]) {
      await rejects(prune({ model, method: 'magnitude', sparsity, latency: false }), 'bad-setting', /sparsit/i);
    }
    await rejects(prune({ model, method: 'structured', layerSparsity: { '/fc1/Gemm': 2 }, latency: false }), 'bad-setting', /fc1/);
    await rejects(prune({ model, method: 'bogus' as 'nm', latency: false }), 'bad-setting', /magnitude, nm, structured/);
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });

  it('the output may not be the model itself', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const e = await rejects(prune({ model, method: 'magnitude', output: model, latency: false }), 'bad-output', /overwrite the model itself/);
    assert.equal(e.file, model);
    assert.deepEqual(readFileSync(model), readFileSync(DIGITS_MLP_WIDE));
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });

  it('structured pruning of a layer whose channels cannot be removed says why and which layers can; the existing output stays', async () => {
    const model = scratch.copy(DIGITS_RESNET);
    const out = scratch.write('out.onnx', 'previous output');
    // /fc/Gemm produces the graph output `logits`: its 10 outputs cannot be removed.
    const e = await rejects(prune({ model, method: 'structured', layers: ['/fc/Gemm'], output: out, latency: false }), 'not-prunable', /\/fc\/Gemm/);
    assert.match(e.message, /\/head\/Conv/, `names the layers that can be pruned: ${e.message}`);
    assert.equal(readFileSync(out, 'utf8'), 'previous output');
    assert.deepEqual(scratch.list(), ['digits_resnet.onnx', 'out.onnx']);
  });

  it('a layer name the model lacks is refused', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    await rejects(prune({ model, method: 'magnitude', layers: ['/nope/Gemm'], latency: false }), 'bad-setting', /\/nope\/Gemm/);
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });

  it('evaluation data that does not fit the model: bad-data naming the data file, nothing written', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    const e = await rejects(prune({ model, method: 'magnitude', data: CREDIT_CSV, latency: false }), 'bad-data', /credit_test\.csv/);
    assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });

  it('not an ONNX file: a clear error naming it, nothing written', async () => {
    const model = scratch.write('bad.onnx', '{"not": "onnx"}');
    await assert.rejects(prune({ model, method: 'magnitude', latency: false }), (e: unknown) => isOnnxError(e) && /bad\.onnx/.test(`${(e as Error).message} ${(e as { file?: string }).file ?? ''}`));
    assert.deepEqual(scratch.list(), ['bad.onnx']);
  });

  it('cancel: an aborted run throws AbortError and leaves no temp file', async () => {
    const model = scratch.copy(DIGITS_RESNET);
    const ac = new AbortController();
    const p = prune({ model, method: 'structured', latency: { batchSizes: [1], runs: 200 } }, {
      signal: ac.signal,
      onProgress: (q) => {
        if (q.message?.startsWith('Checking')) ac.abort();
      },
    });
    await assert.rejects(p, (e: unknown) => (e as Error).name === 'AbortError');
    assert.deepEqual(scratch.list(), ['digits_resnet.onnx']);
  });

  it('an output folder that does not exist: bad-output, nothing written', async () => {
    const model = scratch.copy(DIGITS_MLP_WIDE);
    await rejects(prune({ model, method: 'magnitude', output: scratch.path('no/such/dir/out.onnx'), latency: false }), 'bad-output', /choose another output/);
    assert.deepEqual(scratch.list(), ['digits_mlp_wide.onnx']);
  });
});
