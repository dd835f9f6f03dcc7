import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { OnnxError } from '../../../../src/core/errors';
import { RuntimeError, checkRuntime, createSession, ortSessionOptions } from '../../../../src/pipeline/runtime';
import { TempModels, node, valueInfo } from '../../../helpers/tiny-models';
import { REPO_ROOT } from '../../../helpers/paths';

describe('pipeline/runtime: lazy loading', () => {
  it('importing the runtime, sample and worker modules loads no onnxruntime', () => {
    const root = REPO_ROOT;
    const code = `
      for (const m of ['src/pipeline/runtime/index.ts', 'src/pipeline/sample/index.ts', 'src/cli/worker.ts']) require(${JSON.stringify(root)} + '/' + m);
      const loaded = Object.keys(require.cache).filter((k) => k.includes('onnxruntime'));
      console.log(JSON.stringify(loaded));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', cwd: root, timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim()), []);
  });
});

describe('pipeline/runtime: runtime-check and sessions', () => {
  const models = new TempModels();
  after(() => models.dispose());

  const good = () =>
    models.write({
      nodes: [node('Relu', ['X'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, [2])],
      outputs: [valueInfo('Y', DataType.FLOAT, [2])],
    });
  const unknownOp = () =>
    models.write({
      nodes: [node('NoSuchOp', ['X'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, [2])],
      outputs: [valueInfo('Y', DataType.FLOAT, [2])],
    });

  it('says ok with input/output names, version and time', async () => {
    const progress: unknown[] = [];
    const r = await checkRuntime({ model: good(), intraOpNumThreads: 1 }, { onProgress: (p) => progress.push(p) });
    assert.equal(r.ok, true);
    assert.equal(r.message, undefined);
    assert.deepEqual(r.inputNames, ['X']);
    assert.deepEqual(r.outputNames, ['Y']);
    assert.match(r.ortVersion, /^\d+\.\d+\.\d+/);
    assert.ok(r.ms >= 0);
    assert.equal(progress.length, 1);
  });

  it("reports onnxruntime's refusal (unknown op) as a result with its message", async () => {
    const r = await checkRuntime({ model: unknownOp() });
    assert.equal(r.ok, false);
    assert.match(r.message!, /No Op registered for NoSuchOp/);
    assert.doesNotMatch(r.message!, /^Load model from/);
    assert.deepEqual(r.inputNames, []);
  });

  it('throws a user error for a missing file', async () => {
    await assert.rejects(checkRuntime({ model: `${models.dir}/nope.onnx` }), (e: unknown) => e instanceof OnnxError && e.code === 'not-found');
  });

  it('createSession throws RuntimeError(ort-refused) carrying the message', async () => {
    await assert.rejects(createSession(unknownOp()), (e: unknown) => e instanceof RuntimeError && e.code === 'ort-refused' && /NoSuchOp/.test(e.ortMessage!));
  });

  it('maps options to onnxruntime session options (cpu by default)', () => {
    assert.deepEqual(ortSessionOptions({}), { executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 4 });
    assert.deepEqual(ortSessionOptions({ intraOpNumThreads: 2, executionProviders: ['cpu'], graphOptimizationLevel: 'basic' }), {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'basic',
      logSeverityLevel: 4,
      intraOpNumThreads: 2,
    });
  });

  it('creates sessions at every optimization level', async () => {
    const file = good();
    for (const level of ['disabled', 'basic', 'extended', 'all'] as const) {
      const s = await createSession(file, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
      assert.deepEqual(s.inputNames, ['X']);
      await s.release();
    }
  });
});
