/**
 * `ptp export docker` (runtime ptp, the default): the Dockerfile read back by a real Dockerfile parser
 * (dockerfile-ast, the parser of the Docker language server) — a pinned base image, a non-root user, the health
 * check on /v2/health/ready, the ports, every COPY source present in the context, the entry point a file the
 * image holds; serve.yaml accepted by ptp serve's own config reader. Docker cannot run here, so the image's
 * command is run as the image would run it: the context's own bundle (ptp/dist/cli.js) with the node_modules
 * `npm install` gives the image, serving the context's model — it answers /v2/health/ready and an inference.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parse, stringify } from 'yaml';
import { exportDocker, NODE_IMAGE } from '../../../../src/pipeline/export';
import { configOf, V2Client } from '../../../../src/pipeline/serve';
import { TempDir } from '../../core/build';
import { REPO_ROOT } from '../../../helpers/paths';

const model = join(REPO_ROOT, 'examples/digits/digits_mlp.onnx');

/** Where a path inside the image comes from in the context, by the Dockerfile's WORKDIR and COPY lines. */
function imageFiles(instructions: readonly Instruction[], context: string): Map<string, string> {
  const files = new Map<string, string>();
  let workdir = '/';
  for (const i of instructions) {
    const args = i.getArguments().map((a) => a.getValue());
    if (i.getKeyword() === 'WORKDIR') workdir = posix.resolve(workdir, args[0]!);
    if (i.getKeyword() !== 'COPY') continue;
    const plain = args.filter((a) => !a.startsWith('--'));
    const dest = posix.resolve(workdir, plain.at(-1)!);
    for (const src of plain.slice(0, -1)) {
      const from = join(context, src);
      assert.ok(existsSync(from), `COPY source ${src} is in the context`);
      const into = plain.at(-1)!.endsWith('/') || plain.length > 2 ? posix.join(dest, src.endsWith('/') ? '' : posix.basename(src)) : dest;
      files.set(into.replace(/\/$/, ''), from.replace(/\/$/, ''));
    }
  }
  return files;
}

/** The context path an absolute image path reads from (through a copied folder or file). */
function contextPathOf(files: Map<string, string>, imagePath: string): string | undefined {
  for (const [into, from] of files) {
    if (imagePath === into) return from;
    if (imagePath.startsWith(`${into}/`)) return join(from, imagePath.slice(into.length + 1));
  }
  return undefined;
}

describe('pipeline/export: docker --runtime ptp (ptp serve in the image)', function () {
  this.timeout(120_000);
  let tmp: TempDir;
  before(() => (tmp = new TempDir()));
  after(() => tmp.dispose());

  it('a pinned Node image running ptp serve as a non-root user; every COPY source in the context; the health check and ports', async () => {
    const d = await exportDocker(model, tmp.path('ctx'), { name: 'digits', version: 3 });
    assert.equal(d.runtime, 'ptp');
    assert.equal(d.image, NODE_IMAGE);
    const dockerfile = DockerfileParser.parse(readFileSync(join(d.output, 'Dockerfile'), 'utf8'));
    const from = dockerfile.getFROMs();
    assert.equal(from.length, 1);
    assert.equal(`${from[0]!.getImageName()}:${from[0]!.getImageTag()}`, NODE_IMAGE);
    assert.match(from[0]!.getImageTag() ?? '', /^\d+\.\d+\.\d+-/, 'a pinned release tag, not latest or a floating major');
    const instructions = dockerfile.getInstructions();
    const users = instructions.filter((i) => i.getKeyword() === 'USER').map((i) => i.getArgumentsContent());
    assert.deepEqual(users, ['node'], 'runs as the image\'s non-root user');
    assert.deepEqual(instructions.find((i) => i.getKeyword() === 'EXPOSE')?.getArguments().map((a) => a.getValue()), ['8000', '8001']);
    const health = dockerfile.getHEALTHCHECKs();
    assert.equal(health.length, 1);
    assert.match(health[0]!.getArgumentsContent() ?? '', /http:\/\/127\.0\.0\.1:8000\/v2\/health\/ready/);

    const files = imageFiles(instructions, d.output);
    const entry = dockerfile.getENTRYPOINTs()[0]!.getJSONStrings().map((s) => s.getJSONValue());
    assert.deepEqual(entry.slice(0, 1), ['node']);
    assert.deepEqual(entry.slice(2), ['serve', '--config', '/srv/serve.yaml']);
    const cli = contextPathOf(files, entry[1]!);
    assert.ok(cli && existsSync(cli), `the entry point ${entry[1]} is copied into the image (${cli})`);
    const config = contextPathOf(files, '/srv/serve.yaml')!;
    assert.equal(config, join(d.output, 'serve.yaml'));
    for (const f of ['dist/serve-instance.js', 'schema/kserve/grpc_predict_v2.proto', 'package.json']) {
      assert.ok(existsSync(contextPathOf(files, `/opt/ptp/${f}`) ?? ''), `/opt/ptp/${f} is in the image`);
    }

    const pkg = JSON.parse(readFileSync(join(d.output, 'ptp/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const ortVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
    assert.deepEqual(pkg.dependencies, { 'onnxruntime-node': ortVersion }, 'the image installs the onnxruntime-node release ptp runs on');
    assert.match(readFileSync(join(d.output, 'ptp/.npmrc'), 'utf8'), /onnxruntime-node-install=skip/);
    const ignore = readFileSync(join(d.output, '.dockerignore'), 'utf8');
    for (const keep of ['!ptp/', '!model/', '!serve.yaml']) assert.ok(ignore.split('\n').includes(keep), `.dockerignore keeps ${keep}`);

    const doc = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    const cfg = configOf(config, doc, d.output);
    assert.equal(cfg.host, '0.0.0.0', 'inside a container the server listens on every interface');
    assert.deepEqual(cfg.models.map((m) => [m.name, m.versions.map((v) => v.version)]), [['digits', ['3']]]);
    assert.equal(readFileSync(cfg.models[0]!.versions[0]!.model).equals(readFileSync(model)), true, 'the context holds the model\'s bytes');
  });

  it('the image\'s command, run from the context: ptp serve answers ready and an inference on the context\'s model', async () => {
    const d = await exportDocker(model, tmp.path('ctx-run'), { name: 'digits' });
    // What `RUN npm install` gives the image: the same onnxruntime-node release, here from this checkout.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(d.output, 'ptp', 'node_modules'), 'dir');
    const doc = parse(readFileSync(join(d.output, 'serve.yaml'), 'utf8')) as Record<string, unknown>;
    const local = join(d.output, 'serve.local.yaml');
    writeFileSync(local, stringify({ ...doc, host: '127.0.0.1', http_port: 0, grpc_port: 0 }));
    const child = spawn(process.execPath, [join(d.output, 'ptp/dist/cli.js'), 'serve', '--config', local, '--json'], { cwd: tmp.path('.'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (c) => reject(new Error(`ptp serve exited (${c}): ${stderr}`)));
      });
      const { http } = JSON.parse(line) as { http: string };
      assert.equal((await fetch(`${http}/v2/health/ready`)).status, 200);
      const meta = await new V2Client(http).modelMetadata('digits');
      const r = await new V2Client(http).infer('digits', [{ name: meta.inputs[0]!.name, datatype: 'FP32', shape: [1, 64], data: new Float32Array(64).fill(0.5) }]);
      assert.deepEqual(r.outputs[0]!.shape, [1, 10]);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses an unknown runtime and a bad name before anything is written', async () => {
    await assert.rejects(exportDocker(model, tmp.path('bad1'), { runtime: 'podman' as never }), /--runtime must be ptp or triton/);
    await assert.rejects(exportDocker(model, tmp.path('bad2'), { name: '../x' }), /not a usable model name/);
    assert.ok(!existsSync(tmp.path('bad1')) && !existsSync(tmp.path('bad2')));
  });
});
