/**
 * `ptp export triton` read back with a real parser: every config.pbtxt goes through `protoc --encode` against
 * schema/triton/model_config.proto (Triton's field numbers), the binary is decoded with protobufjs, and its
 * name, backend, batch rule, tensor names, data types and dims are compared with the model's own I/O; the
 * version folder holds the model's exact bytes (the directory form with external data); types Triton cannot
 * express are refused with the reason and nothing is written; an existing repository needs --force.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import protobuf from 'protobufjs';
import { inspect, openModel, writeModel } from '../../../../src/core';
import { onnx } from '../../../../src/core/proto/onnx';
import { ExportError, exportTriton } from '../../../../src/pipeline/export';
import { TempDir } from '../../core/build';
import { REPO_ROOT } from '../../../helpers/paths';

const SCHEMA_DIR = join(REPO_ROOT, 'schema', 'triton');
const ModelConfig = protobuf.loadSync(join(SCHEMA_DIR, 'model_config.proto')).lookupType('inference.ModelConfig');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const TYPES: Record<string, string> = { FLOAT: 'TYPE_FP32', DOUBLE: 'TYPE_FP64', INT64: 'TYPE_INT64', INT32: 'TYPE_INT32', BOOL: 'TYPE_BOOL', STRING: 'TYPE_STRING', FLOAT16: 'TYPE_FP16', UINT8: 'TYPE_UINT8', INT8: 'TYPE_INT8' };
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

interface Parsed {
  name: string;
  backend: string;
  maxBatchSize?: number;
  input: { name: string; dataType: string; dims: number[] }[];
  output: { name: string; dataType: string; dims: number[] }[];
  dynamicBatching?: { maxQueueDelayMicroseconds?: number };
  instanceGroup: { kind: string; count: number }[];
  versionPolicy?: { latest?: { numVersions: number } };
}

/** config.pbtxt → protoc's binary encoding → the message, as Triton's parser would read it. */
function readBack(pbtxt: string): Parsed {
  const binary = execFileSync('protoc', ['--encode=inference.ModelConfig', `-I${SCHEMA_DIR}`, 'model_config.proto'], { input: readFileSync(pbtxt) });
  return ModelConfig.toObject(ModelConfig.decode(binary), { enums: String, longs: Number, defaults: true, arrays: true }) as unknown as Parsed;
}

const models = [
  ...readdirSync(join(REPO_ROOT, 'examples')).flatMap((d) => (existsSync(join(REPO_ROOT, 'examples', d)) && !d.includes('.') ? readdirSync(join(REPO_ROOT, 'examples', d)).filter((f) => f.endsWith('.onnx')).map((f) => join(REPO_ROOT, 'examples', d, f)) : [])),
  ...['tiny.onnx', 'digits_resnet.onnx', 'loop.onnx', 'hostile.onnx', 'hostile_nodes.onnx'].map((f) => join(REPO_ROOT, 'test', 'fixtures', 'workspace', f)),
];

describe('pipeline/export: Triton model repository', function () {
  this.timeout(120000);
  let tmp: TempDir;
  before(() => {
    tmp = new TempDir();
    assert.ok(spawnSync('protoc', ['--version']).status === 0, 'protoc is installed (apt-get install protobuf-compiler)');
  });
  after(() => tmp.dispose());

  for (const [index, model] of models.entries()) {
    it(`${model.split('/').slice(-2).join('/')}: config.pbtxt reads back with the model's names, types and dims`, async () => {
      const m = await openModel(model);
      const io = inspect(m);
      await m.close();
      const out = tmp.path(`repo-${index}-${model.split('/').pop()}`);
      const tensorsOnly = [...io.inputs, ...io.outputs].every((v) => v.kind === 'tensor' && v.shape);
      if (!tensorsOnly) {
        await assert.rejects(exportTriton(model, out), (e: unknown) => e instanceof ExportError && e.code === 'unsupported-type' && e.message.startsWith(model) && /Triton cannot serve '/.test(e.message));
        assert.ok(!existsSync(out), 'nothing was written');
        return;
      }
      const r = await exportTriton(model, out, { maxBatchSize: 16, maxQueueDelayUs: 250, instances: 2 });
      const parsed = readBack(join(out, r.name, 'config.pbtxt'));
      assert.equal(parsed.name, r.name);
      assert.equal(parsed.backend, 'onnxruntime');
      const all = [...io.inputs, ...io.outputs];
      const batched = all.every((v) => v.shape!.length > 0 && typeof v.shape![0] !== 'number');
      assert.equal(parsed.maxBatchSize, batched ? 16 : 0);
      assert.equal(!!parsed.dynamicBatching, batched);
      if (batched) assert.equal(parsed.dynamicBatching!.maxQueueDelayMicroseconds, 250);
      assert.deepEqual(parsed.instanceGroup.map((g) => [g.kind, g.count]), [['KIND_CPU', 2]]);
      assert.equal(parsed.versionPolicy?.latest?.numVersions, 1);
      for (const [mine, theirs] of [[io.inputs, parsed.input], [io.outputs, parsed.output]] as const) {
        assert.deepEqual(theirs.map((t) => t.name), mine.map((v) => v.name));
        for (const [i, v] of mine.entries()) {
          assert.equal(theirs[i]!.dataType, TYPES[v.elem_type!], `${v.name} type`);
          const dims = (batched ? v.shape!.slice(1) : v.shape!).map((d) => (typeof d === 'number' ? d : -1));
          assert.deepEqual(theirs[i]!.dims, dims.length ? dims : [1], `${v.name} dims`);
        }
      }
      assert.equal(sha(join(out, r.name, '1', 'model.onnx')), sha(model), 'the version folder holds the model itself');
    });
  }

  it('names with quotes, backslashes and newlines survive the text format', async () => {
    const proto = onnx.ModelProto.decode(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'tiny.onnx')));
    const odd = 'in "x"\\y\nz é';
    const old = proto.graph!.input![0]!.name!;
    proto.graph!.input![0]!.name = odd;
    for (const n of proto.graph!.node!) n.input = n.input!.map((x) => (x === old ? odd : x));
    const file = tmp.path('odd.onnx');
    writeFileSync(file, onnx.ModelProto.encode(proto).finish());
    const r = await exportTriton(file, tmp.path('repo-odd'));
    assert.equal(readBack(join(tmp.path('repo-odd'), r.name, 'config.pbtxt')).input[0]!.name, odd);
  });

  it('a model with external data goes in the directory form; an existing repository needs force', async () => {
    const src = await openModel(join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'digits_mlp.onnx'));
    const dir = tmp.path('ext');
    mkdirSync(dir);
    await writeModel(src, join(dir, 'mlp.onnx'), { externalData: { location: 'mlp.weights', sizeThreshold: 64 } });
    await src.close();
    const out = tmp.path('repo-ext');
    const r = await exportTriton(join(dir, 'mlp.onnx'), out, { name: 'digits', version: 3 });
    assert.deepEqual(r.files, ['digits/3/model.onnx/mlp.weights', 'digits/3/model.onnx/model.onnx', 'digits/config.pbtxt'].map((p) => p.split('/').join(sep)));
    const reopened = await openModel(join(out, 'digits', '3', 'model.onnx', 'model.onnx'));
    for (const t of reopened.proto.graph!.initializer!) await reopened.readTensor(t);
    await reopened.close();
    await assert.rejects(exportTriton(join(dir, 'mlp.onnx'), out, { name: 'digits' }), (e: unknown) => e instanceof ExportError && e.code === 'output-exists' && /--force/.test(e.message));
    await exportTriton(join(dir, 'mlp.onnx'), out, { name: 'digits', version: 4, force: true });
    assert.deepEqual(readdirSync(join(out, 'digits')).sort(), ['4', 'config.pbtxt'], 'force replaced the model\'s folder');
    await exportTriton(join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'tiny.onnx'), out);
    assert.deepEqual(readdirSync(out).sort(), ['digits', 'tiny'], 'a second model joins the repository');
  });

  it('ptp export triton NAME@REF: the registry name and version, --json keys', () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
    const reg = tmp.path('reg');
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--registry', reg], { cwd: tmp.dir, encoding: 'utf8' });
    assert.equal(run('registry', 'add', join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'digits_mlp.onnx'), '--name', 'digits', '--alias', 'champion').status, 0);
    const r = run('export', 'triton', 'digits@champion', '-o', tmp.path('repo-cli'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['format', 'model', 'output', 'files', 'name', 'version', 'max_batch_size', 'inputs', 'outputs']) assert.ok(k in doc, `--json has ${k}`);
    assert.deepEqual([doc.name, doc.version], ['digits', 1]);
    const bad = run('export', 'triton', join(REPO_ROOT, 'examples', 'credit', 'credit_logreg.onnx'), '-o', tmp.path('repo-bad'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /credit_logreg\.onnx: Triton cannot serve 'output_probability'/);
  });
});
