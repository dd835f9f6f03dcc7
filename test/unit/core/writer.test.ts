import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxError, inspect, openModel, writeModel, type OnnxModel } from '../../../src/core';
import { onnx } from '../../../src/core/proto/onnx';
import { FLOAT, L, TempDir, encode, mlpSpec, node, rawFloat, tensorInfo, type ModelSpec } from './build';

ort.env.logLevel = 'error';

/** The whole model as a plain object, initializer data loaded (to compare two models field by field). */
async function materialize(m: OnnxModel): Promise<Record<string, unknown>> {
  const g = m.proto.graph!;
  const inits = await Promise.all((g.initializer ?? []).map((t) => m.loadTensorProto(t)));
  const full = onnx.ModelProto.create({ ...m.proto, graph: onnx.GraphProto.create({ ...g, initializer: inits.map((t) => onnx.TensorProto.create(t)) }) });
  return onnx.ModelProto.toObject(full, { longs: String, bytes: String, defaults: false });
}

async function runOrt(file: string, x: Float32Array, rows: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(file);
  try {
    const out = await s.run({ X: new ort.Tensor('float32', x, [rows, 3]) });
    return out.Y!.data as Float32Array;
  } finally {
    await s.release();
  }
}

function richSpec(): ModelSpec {
  const spec = mlpSpec();
  spec.initializers!.push(rawFloat('big', [64, 32], Array.from({ length: 64 * 32 }, (_, i) => Math.sin(i))));
  spec.initializers!.push({ name: 'ints', dims: [L(3)], dataType: onnx.TensorProto.DataType.INT64, int64Data: [L(-1), L(2), Long64Max()] });
  spec.extra = {
    docString: 'round trip',
    metadataProps: [{ key: 'k', value: 'v' }],
    functions: [{ name: 'F', domain: 'local', input: ['a'], output: ['b'], node: [node('Relu', ['a'], ['b'])], opsetImport: [{ domain: '', version: L(17) }] }],
  };
  spec.graphExtra = {
    valueInfo: [tensorInfo('H', FLOAT, ['N', 2])],
    sparseInitializer: [{ values: rawFloat('S', [2], [5, 6]), indices: { name: 'S_i', dims: [L(2)], dataType: 7, int64Data: [L(0), L(3)] }, dims: [L(4)] }],
  };
  spec.opsets = [{ domain: '', version: 17 }, { domain: 'local', version: 1 }];
  return spec;
}

function Long64Max(): ReturnType<typeof L> {
  return L(0).add(1).shiftLeft(63).subtract(1);
}

describe('core: writer', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir()));
  afterEach(() => tmp.dispose());

  it('read → write → read preserves every field (inline)', async () => {
    const src = tmp.file('src.onnx', encode(richSpec()));
    const before = readFileSync(src);
    const a = await openModel(src);
    const out = tmp.path('out.onnx');
    const res = await writeModel(a, out);
    assert.equal(res.bytes, statSync(out).size);
    const b = await openModel(out);
    try {
      assert.deepEqual(await materialize(b), await materialize(a));
      assert.equal(BigInt((await b.readTensor(b.proto.graph!.initializer![3]!)).values[2] as bigint), 2n ** 63n - 1n);
      assert.deepEqual(readFileSync(src), before, 'the source model is never modified');
      assert.deepEqual(readdirSync(tmp.dir).sort(), ['out.onnx', 'src.onnx'], 'no temp files left behind');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes external data, reads it back, and onnxruntime gives identical outputs', async () => {
    const src = tmp.file('src.onnx', encode(richSpec()));
    const a = await openModel(src);
    const out = tmp.path('ext.onnx');
    const res = await writeModel(a, out, { externalData: { sizeThreshold: 16 } });
    assert.equal(res.externalFile, join(tmp.dir, 'ext.onnx.data'));
    const b = await openModel(out);
    try {
      const info = inspect(b);
      assert.deepEqual(info.external_data.map((e) => e.tensor).sort(), ['W', 'big', 'ints']);
      assert.ok(info.external_data.every((e) => e.location === 'ext.onnx.data' && e.offset % 4096 === 0));
      assert.ok(statSync(out).size < 2000, 'weights left the model file');
      for (const [i, t] of b.proto.graph!.initializer!.entries()) {
        assert.deepEqual((await b.readTensor(t)).values, (await a.readTensor(a.proto.graph!.initializer![i]!)).values, t.name ?? '');
      }
      const inl = await inlineCopy(b, tmp);
      assert.equal(inspect(inl).external_data.length, 0);
      await inl.close();
      const x = Float32Array.from([1, 2, 3, -1, 0.5, 4]);
      assert.deepEqual(await runOrt(out, x, 2), await runOrt(src, x, 2));
      // and back inline again
      const back = tmp.path('back.onnx');
      await writeModel(b, back);
      assert.deepEqual(await runOrt(back, x, 2), await runOrt(src, x, 2));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('onnxruntime gives identical outputs on an inline round-tripped file', async () => {
    const src = tmp.file('src.onnx', encode(mlpSpec()));
    const a = await openModel(src);
    const out = tmp.path('out.onnx');
    await writeModel(a, out);
    await a.close();
    const x = Float32Array.from([0.1, 0.2, 0.3]);
    assert.deepEqual(await runOrt(out, x, 1), await runOrt(src, x, 1));
  });

  it('refuses to overwrite the source model and leaves nothing behind on failure', async () => {
    const src = tmp.file('src.onnx', encode(mlpSpec()));
    const a = await openModel(src);
    try {
      await assert.rejects(writeModel(a, src), (e: unknown) => e instanceof OnnxError && /overwrite the source/.test(e.message));
      await assert.rejects(writeModel(a, tmp.path('x.onnx'), { externalData: { location: '../escape.data' } }), OnnxError);
      assert.deepEqual(readdirSync(tmp.dir), ['src.onnx']);
    } finally {
      await a.close();
    }
  });
});

/** Writes `m` inline to a temp file and reopens it (external data pulled in). */
async function inlineCopy(m: OnnxModel, tmp: TempDir): Promise<OnnxModel> {
  const p = tmp.path(`inline-${Math.random().toString(36).slice(2)}.onnx`);
  await writeModel(m, p);
  return openModel(p);
}
