import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TempDir, encode, mlpSpec } from '../core/build';
import { REPO_ROOT } from '../../helpers/paths';

const root = REPO_ROOT;

/** Runs the real `ptp` entry (TypeScript through tsx) as a user would, capturing stdout/stderr/exit code. */
function ptp(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: ptp', function () {
  this.timeout(120000);
  let tmp: TempDir;
  let model: string;
  before(() => {
    tmp = new TempDir();
    model = tmp.file('mlp.onnx', encode(mlpSpec()));
  });
  after(() => tmp.dispose());

  it('inspect --json prints exactly one JSON document with the documented keys', () => {
    const r = ptp('inspect', model, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.node_count, 2);
    assert.deepEqual(doc.inputs, [{ name: 'X', kind: 'tensor', elem_type: 'FLOAT', shape: ['N', 3] }]);
    assert.equal(doc.parameter_count, 8);
  });

  it('validate --json includes the onnxruntime check', () => {
    const r = ptp('validate', model, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.valid, true);
    assert.equal(doc.runtime.ok, true);
  });

  it('sample --json runs onnxruntime on generated inputs', () => {
    const r = ptp('sample', model, '--json', '--dim', '4');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape]), [['Y', [4, 2]]]);
    assert.ok(doc.outputs[0].stats.min >= 0, 'Relu output is non-negative');
  });

  it('bad input: exit code 2 and one clear line naming the file, no stack trace', () => {
    const bad = tmp.file('bad.onnx', '{"not": "onnx"}');
    for (const cmd of ['inspect', 'validate', 'sample']) {
      const r = ptp(cmd, bad, '--json');
      assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('ptp:'));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /bad\.onnx: not an ONNX model: this is a JSON text file/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('bad input with --json: stderr also carries the error as JSON with its category and code', () => {
    const bad = tmp.file('bad2.onnx', '{"not": "onnx"}');
    const r = ptp('inspect', bad, '--json');
    assert.equal(r.code, 2, r.stderr);
    const line = r.stderr.trim().split('\n').find((l) => l.startsWith('{'));
    assert.ok(line, r.stderr);
    const doc = JSON.parse(line) as { error: { message: string; category: string; code?: string } };
    assert.equal(doc.error.category, 'ONNX');
    assert.equal(doc.error.code, 'not-onnx');
    assert.match(doc.error.message, /bad2\.onnx: not an ONNX model/);
  });

  it('usage errors exit with 2', () => {
    assert.equal(ptp('inspect').code, 2);
    assert.equal(ptp('frobnicate').code, 2);
    assert.equal(ptp('sample', model, '--dim', 'x').code, 2);
  });

  it('an invalid model: validate exits 2 with the findings on stdout', () => {
    const spec = mlpSpec();
    spec.nodes.reverse();
    const r = ptp('validate', tmp.file('order.onnx', encode(spec)), '--json', '--no-runtime');
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).findings[0].code, 'topological-order');
  });
});
