import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { handleRequest } from '../../../../src/cli/worker';
import { OPTIMIZATION_PASSES, biasFits, compareTensors, selectPasses } from '../../../../src/pipeline/optimize';
import type { WorkerReply } from '../../../../src/protocol/worker';
import { FLOAT, TempDir, node, rawFloat, tensorInfo, values, writeSpec } from './helpers';
import { REPO_ROOT } from '../../../helpers/paths';

const root = REPO_ROOT;
const t = (values: number[] | Float32Array, dims = [values.length]) => ({ dataType: FLOAT, dims, size: values.length, values: Float32Array.from(values) });

describe('optimize: pass selection, comparison, worker op and CLI', function () {
  this.timeout(120000);
  let tmp: TempDir;
  let model: string;
  before(() => {
    tmp = new TempDir();
    model = writeSpec(tmp, 'mm.onnx', {
      nodes: [node('MatMul', ['X', 'W'], ['H']), node('Add', ['H', 'B'], ['Y'])],
      inputs: [tensorInfo('X', FLOAT, ['N', 4])],
      outputs: [tensorInfo('Y', FLOAT, ['N', 2])],
      initializers: [rawFloat('W', [4, 2], values(8)), rawFloat('B', [2], [1, -1])],
    });
  });
  after(() => tmp.dispose());

  it('selects passes by name in registry order (onnxoptimizer spellings accepted) and rejects unknown names', () => {
    assert.equal(selectPasses('all').length, OPTIMIZATION_PASSES.length);
    assert.deepEqual(selectPasses('none'), []);
    assert.deepEqual(selectPasses(['eliminate_deadend', 'eliminate-identity']).map((p) => p.name), ['eliminate-identity', 'eliminate-deadend']);
    assert.throws(() => selectPasses(['fuse-everything']), /unknown optimization pass fuse-everything \(known: eliminate-identity/);
  });

  it('checks Gemm bias shapes: broadcastable without growing the result', () => {
    assert.ok(biasFits([], 'N', 3));
    assert.ok(biasFits([3], 'N', 3));
    assert.ok(biasFits([1, 3], 'N', 3));
    assert.ok(biasFits(['N', 1], 'N', 3));
    assert.ok(!biasFits([4], 'N', 3));
    assert.ok(!biasFits([5, 3], 1, 3));
    assert.ok(!biasFits([null], 'N', 3));
    assert.ok(!biasFits([1, 1, 3], 'N', 3));
  });

  it('compares outputs like numpy allclose, NaN equal to NaN, shapes and types exactly', () => {
    const tol = { rtol: 1e-4, atol: 1e-5 };
    assert.ok(compareTensors(t([1, NaN, 1000]), t([1 + 5e-6, NaN, 1000.05]), tol).ok);
    assert.ok(!compareTensors(t([1, 2]), t([1, 2.001]), tol).ok);
    assert.ok(!compareTensors(t([1, NaN]), t([1, 0]), tol).ok);
    assert.match(compareTensors(t([1, 2], [2]), t([1, 2], [1, 2]), tol).message!, /shape/);
    assert.equal(compareTensors(t([1, 2]), t([1, 2.5]), tol).maxAbsDiff, 0.5);
  });

  it('serves the worker op `optimize` with progress and one result', async () => {
    const replies: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 7, op: 'optimize', params: { model, output: tmp.path('w.onnx') } }, (m) => replies.push(m));
    const last = replies[replies.length - 1]!;
    assert.equal(last.kind, 'result', JSON.stringify(last));
    assert.ok(replies.some((r) => r.kind === 'progress'));
    assert.equal((last as { result: { node_count_after: number } }).result.node_count_after, 1);
    const bad: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 8, op: 'optimize', params: { model, passes: ['nope'] } }, (m) => bad.push(m));
    assert.deepEqual(bad.map((r) => r.kind), ['error']);
    assert.equal((bad[0] as { error: { type: string } }).error.type, 'user');
  });

  const ptp = (...args: string[]) => spawnSync(process.execPath, ['-r', 'tsx/cjs', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });

  it('ptp optimize --json prints the report; text mode lists passes; bad flags exit 2', () => {
    const out = tmp.path('cli.onnx');
    const r = ptp('optimize', model, '-o', out, '--passes', 'fuse_matmul_add_bias_into_gemm', '--ort', 'basic', '--json');
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.output, out);
    assert.equal(doc.level, 'basic');
    assert.deepEqual(doc.passes.map((p: { name: string }) => p.name), ['fuse-matmul-add-bias-into-gemm']);
    assert.equal(doc.node_count_after, 1);
    assert.ok(existsSync(out));

    const text = ptp('optimize', model, '-o', tmp.path('cli2.onnx'));
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /nodes 2 → 1/);
    assert.match(text.stdout, /fuse-matmul-add-bias-into-gemm\s+1 change/);

    assert.equal(ptp('optimize', model, '--ort', 'max').status, 2);
    const unknown = ptp('optimize', model, '--passes', 'bogus', '-o', tmp.path('cli3.onnx'));
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown optimization pass bogus/);
    assert.ok(!existsSync(tmp.path('cli3.onnx')));
  });
});
