/** Bad input gets one clear message, and a failed run leaves no file behind (nor replaces an existing output). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOnnxError } from '../../../../src/core';
import { QuantizeError, quantize } from '../../../../src/pipeline/quantize';
import { CREDIT, DIABETES_CSV, DIGITS_CNN, DIGITS_CSV, DIGITS_MLP, Scratch, testData, encodeModel, floatInit, randoms, valueInfo } from './helpers';

async function rejects(p: Promise<unknown>, reason: string, message: RegExp): Promise<QuantizeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof QuantizeError, `expected a QuantizeError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    assert.ok(isOnnxError(e), 'a user error for the CLI (exit 2) and the worker');
    return e;
  }
  assert.fail('expected a rejection');
}

/** y = x · W + b with opset 12 (too old for per-channel QDQ). */
function opset12Model(): Uint8Array {
  return encodeModel({
    opset: 12,
    nodes: [
      { opType: 'MatMul', input: ['x', 'W'], output: ['h'], name: 'mm' },
      { opType: 'Add', input: ['h', 'b'], output: ['y'], name: 'add' },
    ],
    inputs: [valueInfo('x', 1, ['N', 4])],
    outputs: [valueInfo('y', 1, ['N', 3])],
    initializers: [floatInit('W', [4, 3], randoms(12)), floatInit('b', [3], [0.1, 0.2, 0.3])],
  });
}

describe('quantize: bad input and failures', function () {
  this.timeout(120000);
  let scratch: Scratch;
  beforeEach(() => {
    scratch = new Scratch();
  });
  afterEach(() => scratch.dispose());

  it('a model with no quantizable ops (credit: ai.onnx.ml Scaler / LinearClassifier / ZipMap): every mode refuses, nothing written', async () => {
    const model = scratch.copy(CREDIT);
    for (const mode of ['dynamic', 'static', 'fp16', 'int4'] as const) {
      const e = await rejects(quantize({ model, mode, data: DIGITS_CSV, latency: false }), 'no-quantizable-ops', /no quantizable ops/);
      assert.match(e.message, /ai\.onnx\.ml\.Scaler/, 'names what the model has');
      assert.match(e.message, /Nothing was written/);
    }
    assert.deepEqual(scratch.list(), ['credit_logreg.onnx']);
  });

  it('an opset too old for QDQ (libonnx-testdata Conv2d, opset 6): a message offering what to do', async () => {
    const model = scratch.copy(testData('pytorch-converted/test_Conv2d/model.onnx'), 'conv6.onnx');
    // Its weights are also graph inputs (IR 3): dynamic/static refuse on the opset before looking at data.
    await rejects(quantize({ model, mode: 'static', calibration: DIGITS_CSV, latency: false }), 'opset-too-old', /opset 6.*opset 10 or newer.*convert_version.*--mode fp16/);
    await rejects(quantize({ model, mode: 'dynamic', latency: false }), 'opset-too-old', /DynamicQuantizeLinear \(opset 11\)/);
    assert.deepEqual(scratch.list(), ['conv6.onnx']);
  });

  it('per-channel needs opset 13; per-tensor works at opset 12', async () => {
    const model = scratch.write('mlp12.onnx', opset12Model());
    const csv = scratch.write('x.csv', `a,b,c,d\n${Array.from({ length: 20 }, (_, i) => `${i % 3},${i % 5},${i % 7},${i % 2}`).join('\n')}\n`);
    await rejects(quantize({ model, mode: 'static', data: csv, settings: { per_channel: true }, latency: false }), 'opset-too-old', /drop --per-channel/);
    const r = await quantize({ model, mode: 'static', data: csv, latency: false });
    assert.equal(r.quantized_nodes, 2);
  });

  it('calibration data that does not fit the inputs: which file, what was expected; nothing written', async () => {
    const model = scratch.copy(DIGITS_CNN);
    await rejects(
      quantize({ model, mode: 'static', calibration: DIABETES_CSV, latency: false }),
      'bad-data',
      /calibration data does not fit the model: .*diabetes_test\.csv.*expected 64/,
    );
    await rejects(quantize({ model, mode: 'static', latency: false }), 'bad-data', /needs calibration data: give --calibration/);
    assert.deepEqual(scratch.list(), ['digits_cnn.onnx']);
  });

  it('refuses to write over the model itself, and bad settings', async () => {
    const model = scratch.copy(DIGITS_MLP);
    await rejects(quantize({ model, mode: 'dynamic', output: model, latency: false }), 'bad-output', /overwrite the model itself/);
    await rejects(quantize({ model, mode: 'dynamic', output: scratch.path('no/such/dir/q.onnx'), latency: false }), 'bad-output', /cannot write the output.*ENOENT/);
    await rejects(quantize({ model, mode: 'int4', settings: { block_size: 48 }, latency: false }), 'bad-setting', /block size must be/);
    await rejects(quantize({ model, latency: false }), 'bad-setting', /no quantization mode/);
    await rejects(quantize({ model, mode: 'static', settings: { method: 'kl' as never }, latency: false }), 'bad-setting', /method must be/);
    assert.deepEqual(scratch.list(), ['digits_mlp.onnx']);
  });

  it('a run that fails after writing (cancelled during evaluation) leaves no file and keeps an existing output', async () => {
    const model = scratch.copy(DIGITS_MLP);
    const output = scratch.write('out.onnx', 'previous output');
    const ac = new AbortController();
    await assert.rejects(
      quantize(
        { model, mode: 'static', data: DIGITS_CSV, output, latency: false },
        { signal: ac.signal, onProgress: (p) => (p.message?.startsWith('Evaluating') ? ac.abort() : undefined) },
      ),
      (e: Error) => e.name === 'AbortError',
    );
    assert.deepEqual(scratch.list(), ['digits_mlp.onnx', 'out.onnx'], 'no temp file, no recipe');
    assert.equal(readFileSync(output, 'utf8'), 'previous output');
  });

  it('an output onnxruntime refuses is reported with its message (here the source fails too) and removed', async () => {
    // A MatMul we can quantize next to an op of a domain onnxruntime does not know.
    const model = scratch.write(
      'custom.onnx',
      encodeModel({
        domains: [{ domain: 'com.example', version: 1 }],
        nodes: [
          { opType: 'MatMul', input: ['x', 'W'], output: ['h'], name: 'mm' },
          { opType: 'Mystery', domain: 'com.example', input: ['h'], output: ['y'], name: 'mystery' },
        ],
        inputs: [valueInfo('x', 1, ['N', 4])],
        outputs: [valueInfo('y', 1, ['N', 3])],
        initializers: [floatInit('W', [4, 3], randoms(12))],
      }),
    );
    await rejects(quantize({ model, mode: 'dynamic', latency: false }), 'ort-refused-output', /onnxruntime cannot load the source model either.*Mystery/);
    assert.deepEqual(scratch.list(), ['custom.onnx']);
  });
});
