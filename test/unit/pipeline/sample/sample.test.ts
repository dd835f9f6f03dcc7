import { assertClose } from '../../../helpers/assert';
import * as assert from 'node:assert/strict';
import Long from 'long';
import { DataType } from '../../../../src/core/tensor/dtypes';
import type { onnx } from '../../../../src/core/proto/onnx';
import { RuntimeError, float16BitsToNumber, numberToFloat16Bits } from '../../../../src/pipeline/runtime';
import {
  SAMPLE_STRING,
  createRng,
  generateTensor,
  generateValues,
  previewValues,
  runSample,
  sampleInputSpecs,
  summarizeTensor,
  valueStats,
} from '../../../../src/pipeline/sample';
import { TempModels, floatTensor, node, valueInfo } from '../../../helpers/tiny-models';

const close = (a: number | null, b: number, tol = 1e-5): void => assertClose(a, b, tol);

describe('pipeline/sample: value generation (pure)', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = generateValues(DataType.FLOAT, 100, createRng(42));
    const b = generateValues(DataType.FLOAT, 100, createRng(42));
    const c = generateValues(DataType.FLOAT, 100, createRng(43));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('draws floats from N(0, 1)', () => {
    for (const dt of [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16]) {
      const s = valueStats(generateValues(dt, 20000, createRng(1)))!;
      assert.ok(Math.abs(s.mean!) < 0.05, `${DataType[dt]} mean ${s.mean}`);
      assert.ok(Math.abs(s.std! - 1) < 0.05, `${DataType[dt]} std ${s.std}`);
      assert.equal(s.nan + s.inf, 0);
    }
  });

  it('rounds FLOAT16 samples to half precision, so they are the values fed', () => {
    const v = generateValues(DataType.FLOAT16, 50, createRng(3)) as Float32Array;
    for (const x of v) assert.equal(float16BitsToNumber(numberToFloat16Bits(x)), x);
  });

  it('keeps ints in small ranges, bools 0/1 and strings "sample"', () => {
    const rng = createRng(7);
    const signed: [DataType, number, number][] = [
      [DataType.INT8, -5, 5],
      [DataType.INT16, -5, 5],
      [DataType.INT32, -5, 5],
      [DataType.UINT8, 0, 10],
      [DataType.UINT16, 0, 10],
      [DataType.UINT32, 0, 10],
      [DataType.BOOL, 0, 1],
    ];
    for (const [dt, lo, hi] of signed) {
      const s = valueStats(generateValues(dt, 2000, rng))!;
      assert.equal(s.min, lo, DataType[dt]);
      assert.equal(s.max, hi, DataType[dt]);
    }
    const i64 = generateValues(DataType.INT64, 500, rng);
    assert.ok(i64 instanceof BigInt64Array);
    assert.ok(Array.from(i64).every((x) => x >= -5n && x <= 5n));
    const u64 = generateValues(DataType.UINT64, 500, rng);
    assert.ok(u64 instanceof BigUint64Array);
    assert.ok(Array.from(u64).every((x) => x <= 10n));
    assert.deepEqual(generateValues(DataType.STRING, 2, rng), [SAMPLE_STRING, SAMPLE_STRING]);
  });

  it('refuses element types it cannot generate', () => {
    assert.throws(() => generateValues(DataType.BFLOAT16, 1, createRng(0)), /BFLOAT16/);
  });

  it('builds decoded tensors of the right size', () => {
    const t = generateTensor('x', DataType.INT32, [2, 0, 3], createRng(0));
    assert.equal(t.size, 0);
    assert.equal(t.values.length, 0);
    const s = generateTensor('s', DataType.FLOAT, [], createRng(0));
    assert.equal(s.size, 1);
  });
});

describe('pipeline/sample: stats and preview (pure)', () => {
  it('summarizes finite values and counts NaN, Inf and zeros', () => {
    const s = valueStats(new Float32Array([1, 2, 3, 0, NaN, Infinity, -Infinity]))!;
    assert.equal(s.count, 7);
    assert.equal(s.nan, 1);
    assert.equal(s.inf, 2);
    assert.equal(s.zeros, 1);
    assert.equal(s.min, 0);
    assert.equal(s.max, 3);
    close(s.mean, 1.5);
    close(s.std, Math.sqrt(1.25));
    assert.equal(valueStats(['a']), null);
    const none = valueStats(new Float64Array([NaN]))!;
    assert.equal(none.mean, null);
    assert.equal(valueStats(new BigInt64Array([-2n, 4n]))!.mean, 1);
  });

  it('previews at most 16 values in JSON-safe form', () => {
    assert.equal(previewValues(DataType.FLOAT, new Float32Array(40)).length, 16);
    assert.deepEqual(previewValues(DataType.FLOAT, new Float32Array([1.5, NaN, Infinity, -Infinity])), [1.5, 'NaN', 'Infinity', '-Infinity']);
    assert.deepEqual(previewValues(DataType.INT64, new BigInt64Array([2n ** 60n, -1n])), ['1152921504606846976', '-1']);
    assert.deepEqual(previewValues(DataType.BOOL, new Uint8Array([1, 0])), [true, false]);
    assert.deepEqual(previewValues(DataType.STRING, ['a', 'b'.repeat(100)]), ['a', `${'b'.repeat(80)}…`]);
    const json = JSON.parse(JSON.stringify(summarizeTensor('x', { dataType: DataType.DOUBLE, dims: [2], size: 2, values: new Float64Array([NaN, 1]) })));
    assert.deepEqual(json.preview, ['NaN', 1]);
    assert.equal(json.elem_type, 'DOUBLE');
  });
});

describe('pipeline/sample: input specs (pure)', () => {
  const model = (inputs: onnx.ValueInfoProto.$Properties[], initializer: onnx.TensorProto.$Properties[] = []): onnx.ModelProto.$Properties => ({
    graph: { input: inputs, initializer },
  });

  it('takes graph inputs minus initializers and replaces symbolic/unknown dims', () => {
    const specs = sampleInputSpecs(
      model([valueInfo('X', DataType.FLOAT, ['batch', 3, null]), valueInfo('W', DataType.FLOAT, [3]), valueInfo('N', DataType.INT64, null)], [
        floatTensor('W', [3], [1, 2, 3]),
      ]),
      4,
    );
    assert.deepEqual(
      specs.map((s) => [s.name, s.dims, s.declared]),
      [
        ['X', [4, 3, 4], ['batch', 3, null]],
        ['N', [], null],
      ],
    );
  });

  it('refuses bad symbolic dim values and inputs too large to generate', () => {
    const m = model([valueInfo('X', DataType.FLOAT, ['n', 'n', 3])]);
    assert.throws(() => sampleInputSpecs(m, -1), (e: unknown) => e instanceof RuntimeError && e.code === 'invalid-params');
    assert.throws(() => sampleInputSpecs(m, 1.5), /non-negative integer/);
    assert.throws(() => sampleInputSpecs(m, 100000), /input 'X' would hold 30000000000 elements .*smaller symbolic dim value/);
    assert.deepEqual(sampleInputSpecs(m, 0)[0]!.dims, [0, 0, 3]);
  });

  it('feeds the tensor inside an optional input', () => {
    const specs = sampleInputSpecs(model([{ name: 'O', type: { optionalType: { elemType: { tensorType: { elemType: DataType.INT32, shape: { dim: [{ dimValue: Long.fromNumber(2) }] } } } } } }]));
    assert.deepEqual([specs[0]!.kind, specs[0]!.dataType, specs[0]!.dims], ['optional', DataType.INT32, [2]]);
  });

  it('says clearly which input of which kind cannot be fed', () => {
    const seq: onnx.ValueInfoProto.$Properties = { name: 'S', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } };
    assert.throws(
      () => sampleInputSpecs(model([seq])),
      (e: unknown) => e instanceof RuntimeError && e.code === 'unsupported-kind' && e.message === "input 'S' is a sequence; onnxruntime-node can only be fed tensors, so sample runs do not support it",
    );
    assert.throws(() => sampleInputSpecs(model([valueInfo('B', DataType.BFLOAT16, [1])])), /input 'B' has element type BFLOAT16/);
    assert.throws(() => sampleInputSpecs(model([{ name: 'U' }])), /'U' is a value with no declared type/);
  });
});

describe('pipeline/sample: runSample with onnxruntime', () => {
  const models = new TempModels();
  after(() => models.dispose());

  /** Y = X + 1 (constant initializer), X: float [batch, 4]. */
  const addOne = () =>
    models.write({
      nodes: [node('Add', ['X', 'one'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['batch', 4])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['batch', 4])],
      initializers: [floatTensor('one', [], [1])],
    });

  it('runs Y = X + 1: output stats are input stats shifted by one', async () => {
    const r = await runSample({ model: addOne(), symbolicDimValue: 8, seed: 5, intraOpNumThreads: 1 });
    assert.equal(r.inputs.length, 1);
    assert.equal(r.outputs.length, 1);
    const [x] = r.inputs;
    const [y] = r.outputs;
    assert.deepEqual([x!.name, x!.elem_type, x!.shape], ['X', 'FLOAT', [8, 4]]);
    assert.deepEqual([y!.name, y!.elem_type, y!.shape], ['Y', 'FLOAT', [8, 4]]);
    assert.equal(y!.stats!.count, 32);
    close(y!.stats!.min, x!.stats!.min! + 1);
    close(y!.stats!.max, x!.stats!.max! + 1);
    close(y!.stats!.mean, x!.stats!.mean! + 1);
    close(y!.stats!.std, x!.stats!.std!, 1e-4);
    assert.equal(x!.preview.length, 16);
    for (let i = 0; i < 16; i++) close(y!.preview[i] as number, (x!.preview[i] as number) + 1);
    assert.equal(r.run_ms.length, 1);
    assert.ok(r.session_ms >= 0);
    assert.match(r.ort_version, /^\d+\.\d+\.\d+/);
    assert.ok(r.model.endsWith('.onnx'));
    // Same seed, same inputs.
    const again = await runSample({ model: r.model, symbolicDimValue: 8, seed: 5 });
    assert.deepEqual(again.inputs, r.inputs);
  });

  it('runs MatMul against an identity-like weight, with repeats and progress', async () => {
    // Y[1,2] = X[1,3] · W[3,2], W = [[1,0],[0,1],[0,0]] → Y = X[:, :2]; Z = Y > 0 (bool), C = Cast(Y→int64)
    const file = models.write({
      nodes: [
        node('MatMul', ['X', 'W'], ['Y']),
        node('Greater', ['Y', 'zero'], ['Z']),
        node('Cast', ['Y'], ['C'], [{ name: 'to', type: 2 /* INT */, i: Long.fromNumber(DataType.INT64) }]),
      ],
      inputs: [valueInfo('X', DataType.FLOAT, [1, 3])],
      outputs: [valueInfo('Y', DataType.FLOAT, [1, 2]), valueInfo('Z', DataType.BOOL, [1, 2]), valueInfo('C', DataType.INT64, [1, 2])],
      initializers: [floatTensor('W', [3, 2], [1, 0, 0, 1, 0, 0]), floatTensor('zero', [], [0])],
    });
    const progress: { message?: string; fraction?: number }[] = [];
    const r = await runSample({ model: file, repeat: 3, seed: 11 }, { onProgress: (p) => progress.push(p) });
    const x = r.inputs[0]!.preview as number[];
    const [y, z, c] = r.outputs;
    assert.deepEqual(y!.preview, x.slice(0, 2));
    assert.deepEqual(z!.preview, x.slice(0, 2).map((v) => v > 0));
    assert.deepEqual(c!.preview, x.slice(0, 2).map((v) => String(Math.trunc(v))));
    assert.equal(z!.elem_type, 'BOOL');
    assert.equal(c!.elem_type, 'INT64');
    assert.equal(r.run_ms.length, 4);
    assert.ok(progress.length >= 6);
    assert.equal(progress.at(-1)!.fraction, 1);
    const fractions = progress.map((p) => p.fraction!);
    assert.deepEqual([...fractions].sort((a, b) => a - b), fractions, 'progress only grows');
  });

  it('feeds every supported element type', async () => {
    const types = [DataType.FLOAT16, DataType.DOUBLE, DataType.INT8, DataType.UINT16, DataType.UINT64, DataType.BOOL, DataType.STRING];
    const file = models.write({
      nodes: types.map((_, i) => node('Identity', [`X${i}`], [`Y${i}`])),
      inputs: types.map((t, i) => valueInfo(`X${i}`, t, [null, 2])),
      outputs: types.map((t, i) => valueInfo(`Y${i}`, t, [null, 2])),
    });
    const r = await runSample({ model: file, symbolicDimValue: 3 });
    for (let i = 0; i < types.length; i++) {
      assert.deepEqual(r.outputs[i]!.preview, r.inputs[i]!.preview, DataType[types[i]!]);
      assert.deepEqual(r.outputs[i]!.shape, [3, 2]);
    }
    assert.equal(r.outputs.at(-1)!.stats, null);
    assert.deepEqual(r.outputs.at(-1)!.preview, Array(6).fill('sample'));
  });

  it('stops between steps when the signal is aborted', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    await assert.rejects(
      runSample({ model: addOne() }, {
        signal: ac.signal,
        onProgress: (p) => {
          seen.push(p.message ?? '');
          if (p.message === 'Generating inputs') ac.abort();
        },
      }),
      (e: unknown) => e instanceof Error && e.name === 'AbortError',
    );
    assert.ok(!seen.includes('Running the model'));
  });

  it('reports inputs it cannot feed, and onnxruntime run failures', async () => {
    const seqIn = models.write({
      nodes: [node('SequenceLength', ['S'], ['L'])],
      inputs: [{ name: 'S', type: { sequenceType: { elemType: { tensorType: { elemType: DataType.FLOAT } } } } }],
      outputs: [valueInfo('L', DataType.INT64, [])],
    });
    await assert.rejects(runSample({ model: seqIn }), /input 'S' is a sequence/);
    // Reshape to [2, 2] of a [batch] input: fails at run time with batch = 1.
    const reshape = models.write({
      nodes: [node('Reshape', ['X', 'shape'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['batch'])],
      outputs: [valueInfo('Y', DataType.FLOAT, [2, 2])],
      initializers: [{ name: 'shape', dims: [Long.fromNumber(2)], dataType: DataType.INT64, int64Data: [Long.fromNumber(2), Long.fromNumber(2)] }],
    });
    await assert.rejects(runSample({ model: reshape }), (e: unknown) => e instanceof RuntimeError && e.code === 'ort-run' && /sample inputs/.test(e.message));
    const ok = await runSample({ model: reshape, symbolicDimValue: 4 });
    assert.deepEqual(ok.outputs[0]!.shape, [2, 2]);
    await assert.rejects(runSample({ model: reshape, repeat: -1 }), /repeat must be a non-negative integer/);
    await assert.rejects(runSample({ model: `${models.dir}/missing.onnx` }), (e: unknown) => e instanceof Error && e.name === 'OnnxFormatError');
  });
});
