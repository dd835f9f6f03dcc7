/**
 * The gRPC wire contract, checked from outside our code: a Python client (grpcio + classes protoc generates from
 * schema/kserve/grpc_predict_v2.proto) calls every RPC of `ptp serve` and its answers equal the REST ones.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { V2Client, type RunningServer } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';
import { serveForTest } from '../../../helpers/serve';

// Debian's python3 carries python3-grpcio and python3-protobuf (.ci/run installs them); a pyenv python3 may not.
const PYTHON = '/usr/bin/python3';

describe('serve: gRPC wire contract against an independent Python client', function () {
  this.timeout(60_000);
  let server: RunningServer;
  let gen: string;

  before(async () => {
    gen = mkdtempSync(join(tmpdir(), 'ptp-grpc-py-'));
    server = await serveForTest({ models: [{ name: 'digits', model: join(REPO_ROOT, 'examples/digits/digits_mlp.onnx') }] }, REPO_ROOT);
  });
  after(async () => {
    await server?.close();
    rmSync(gen, { recursive: true, force: true });
  });

  it('every RPC answers; ModelInfer equals REST for raw and typed contents; unknown model is NOT_FOUND', async () => {
    const rows = [0, 1, 2].map((s) => Array.from({ length: 64 }, (_, i) => (i * 5 + s * 3) % 17));
    // Asynchronously: the server runs on this process's event loop.
    const { stdout } = await promisify(execFile)(PYTHON, [join(REPO_ROOT, 'test/python/v2_grpc_client.py'), join(REPO_ROOT, 'schema/kserve'), gen, `127.0.0.1:${server.grpcPort}`, 'digits', JSON.stringify(rows)], { encoding: 'utf8' });
    const out = JSON.parse(stdout) as {
      live: boolean;
      ready: boolean;
      model_ready: boolean;
      server: { name: string; extensions: string[] };
      metadata: { name: string; platform: string; versions: string[]; inputs: { name: string; datatype: string; shape: number[] }[] };
      infer: { model_name: string; model_version: string; id: string; outputs: { name: string; datatype: string; shape: number[]; data: number[] }[] };
      infer_contents_bytes: number[];
      unknown: { code: string; details: string };
    };
    assert.deepEqual([out.live, out.ready, out.model_ready], [true, true, true]);
    assert.ok(out.server.extensions.includes('binary_tensor_data'));
    assert.equal(out.metadata.platform, 'onnxruntime_onnx');
    assert.deepEqual(out.metadata.inputs, [{ name: 'input', datatype: 'FP32', shape: [-1, 64] }]);
    assert.deepEqual(out.metadata.versions, ['1']);
    assert.equal(out.infer.model_name, 'digits');
    assert.equal(out.infer.model_version, '1');
    assert.equal(out.infer.id, 'py-1');
    const rest = await new V2Client(server.url).infer('digits', [{ name: 'input', datatype: 'FP32', shape: [3, 64], data: new Float32Array(rows.flat()) }]);
    const want = [...(rest.outputs[0]!.data as Float32Array)];
    const got = out.infer.outputs[0]!;
    assert.equal(got.name, 'logits');
    assert.deepEqual(got.shape, [3, 10]);
    got.data.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-5, `logit ${i}: ${v} vs ${want[i]}`));
    assert.deepEqual(out.infer_contents_bytes, [3 * 10 * 4]);
    assert.equal(out.unknown.code, 'NOT_FOUND');
    assert.match(out.unknown.details, /no-such-model/);
  });
});
