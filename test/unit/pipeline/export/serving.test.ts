/**
 * `ptp export kserve` and `ptp export mlflow` read back with real parsers: the YAML with the `yaml` package, checked
 * with ajv against JSON Schemas of the fields used (schema/kserve, schema/mlflow); the MLflow signature equals the
 * model's own I/O (names, NumPy dtypes, -1 for dynamic dims); the model files are the model's bytes; bad options
 * and types MLflow cannot describe are refused before anything is written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { inspect, openModel } from '../../../../src/core';
import { ExportError, exportDocker, exportKServe, exportMlflow } from '../../../../src/pipeline/export';
import { TempDir } from '../../core/build';
import { REPO_ROOT } from '../../../helpers/paths';

const ajv = new Ajv({ allErrors: true });
const schema = (p: string) => ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, 'schema', p), 'utf8')) as object);
const validService = schema('kserve/inferenceservice.schema.json');
const validMlmodel = schema('mlflow/mlmodel.schema.json');
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const NUMPY: Record<string, string> = { FLOAT: 'float32', DOUBLE: 'float64', INT64: 'int64', INT32: 'int32', BOOL: 'bool', STRING: 'object' };
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

const examples = readdirSync(join(REPO_ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(REPO_ROOT, 'examples', d.name)).filter((f) => f.endsWith('.onnx')).map((f) => join(REPO_ROOT, 'examples', d.name, f)));

describe('pipeline/export: KServe InferenceService and MLflow model', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  for (const [i, model] of examples.entries()) {
    it(`${model.split('/').slice(-2).join('/')}: KServe YAML valid against its schema; MLflow signature = the model's I/O`, async () => {
      const ks = await exportKServe(model, tmp.path(`ks${i}`), { storageUri: 's3://models/digits/1', canaryPercent: 10 });
      const service = parse(readFileSync(join(ks.output, 'inferenceservice.yaml'), 'utf8')) as { metadata: { name: string }; spec: { predictor: { canaryTrafficPercent: number; model: { protocolVersion: string; storageUri: string } } } };
      assert.ok(validService(service), JSON.stringify(validService.errors));
      assert.equal(service.spec.predictor.model.protocolVersion, 'v2');
      assert.equal(service.spec.predictor.model.storageUri, 's3://models/digits/1');
      assert.equal(service.spec.predictor.canaryTrafficPercent, 10);
      assert.equal(sha(join(ks.output, 'model', 'model.onnx')), sha(model));

      const m = await openModel(model);
      const io = inspect(m);
      await m.close();
      const tensors = [...io.inputs, ...io.outputs].every((v) => v.kind === 'tensor' && v.shape);
      if (!tensors) {
        await assert.rejects(exportMlflow(model, tmp.path(`mf${i}`)), (e: unknown) => e instanceof ExportError && e.code === 'unsupported-type' && e.message.startsWith(model));
        assert.ok(!existsSync(tmp.path(`mf${i}`)), 'nothing was written');
        return;
      }
      const mf = await exportMlflow(model, tmp.path(`mf${i}`), { onnxruntimeVersion: '1.0.0' });
      assert.deepEqual([...mf.files].sort(), ['MLmodel', 'conda.yaml', 'model.onnx', 'python_env.yaml', 'requirements.txt']);
      const mlmodel = parse(readFileSync(join(mf.output, 'MLmodel'), 'utf8')) as { signature: { inputs: string; outputs: string }; model_size_bytes: number };
      assert.ok(validMlmodel(mlmodel), JSON.stringify(validMlmodel.errors));
      assert.equal(mlmodel.model_size_bytes, readFileSync(model).length);
      for (const [mine, theirs] of [[io.inputs, JSON.parse(mlmodel.signature.inputs)], [io.outputs, JSON.parse(mlmodel.signature.outputs)]] as const) {
        assert.deepEqual(
          theirs,
          mine.map((v) => ({ type: 'tensor', 'tensor-spec': { dtype: NUMPY[v.elem_type!], shape: v.shape!.map((d) => (typeof d === 'number' ? d : -1)) }, name: v.name })),
        );
      }
      for (const f of ['conda.yaml', 'python_env.yaml']) parse(readFileSync(join(mf.output, f), 'utf8'));
      assert.match(readFileSync(join(mf.output, 'requirements.txt'), 'utf8'), /^onnxruntime==1\.0\.0$/m);
    });
  }

  it('docker --runtime triton: a pinned, non-root Triton image whose every COPY source is in the context', async () => {
    const d = await exportDocker(examples.find((f) => f.endsWith('digits_cnn.onnx'))!, tmp.path('docker'), { runtime: 'triton' });
    const lines = readFileSync(join(d.output, 'Dockerfile'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const instr = (name: string) => lines.filter((l) => l.split(/\s+/)[0]!.toUpperCase() === name);
    const from = instr('FROM');
    assert.equal(from.length, 1);
    assert.match(from[0]!, /^FROM \S+:\d[\w.-]*$/, 'a pinned tag, not latest');
    for (const copy of instr('COPY')) {
      const args = copy.split(/\s+/).slice(1).filter((a) => !a.startsWith('--'));
      for (const src of args.slice(0, -1)) assert.ok(existsSync(join(d.output, src)), `COPY source ${src} is in the context`);
    }
    const user = instr('USER');
    assert.ok(user.length === 1 && !/\broot\b|\b0\b/.test(user[0]!), 'runs as a non-root user');
    assert.match(instr('HEALTHCHECK')[0] ?? '', /\/v2\/health\/ready/);
    assert.deepEqual(instr('EXPOSE')[0]?.split(/\s+/).slice(1), ['8000', '8001', '8002']);
    assert.ok(existsSync(join(d.output, 'models', 'digits_cnn', 'config.pbtxt')) && existsSync(join(d.output, 'models', 'digits_cnn', '1', 'model.onnx')));
    assert.match(readFileSync(join(d.output, '.dockerignore'), 'utf8'), /^!models\/$/m);
    await assert.rejects(exportDocker(examples[0]!, tmp.path('docker2'), { runtime: 'k8s' as never }), /--runtime must be ptp or triton/);
    assert.ok(!existsSync(tmp.path('docker2')));
  });

  it('bad options are refused before anything is written; the CLI exits 2 naming the problem', async () => {
    const model = examples[0]!;
    await assert.rejects(exportKServe(model, tmp.path('bad1'), { storageUri: 'models/digits' }), /--storage-uri must be a URI/);
    await assert.rejects(exportKServe(model, tmp.path('bad2'), { storageUri: 's3://x', canaryPercent: 150 }), /--canary-percent/);
    assert.ok(!existsSync(tmp.path('bad1')) && !existsSync(tmp.path('bad2')));
    assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
    const r = spawnSync(process.execPath, [CLI, 'export', 'kserve', model, '-o', tmp.path('bad3')], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--storage-uri/);
  });
});
