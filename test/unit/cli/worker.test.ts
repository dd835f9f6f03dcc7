import * as assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { errorReply, handleRequest } from '../../../src/cli/worker';
import { OnnxFormatError } from '../../../src/core/errors';
import { DatasetError } from '../../../src/pipeline/data/errors';
import { DataType } from '../../../src/core/tensor/dtypes';
import { RuntimeError } from '../../../src/pipeline/runtime';
import type { RuntimeCheckResult, SampleResult, WorkerReply, WorkerRequest } from '../../../src/protocol/worker';
import { TempModels, floatTensor, node, valueInfo } from '../../helpers/tiny-models';

const ENTRY = join(__dirname, 'worker-entry.ts');

/** A forked worker with a reply queue per request id. */
class WorkerClient {
  readonly child: ChildProcess;
  readonly replies: WorkerReply[] = [];
  private waiters: (() => void)[] = [];
  stderr = '';

  constructor() {
    this.child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('message', (m) => {
      this.replies.push(m as WorkerReply);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Sends a request and resolves with its final reply and the progress seen before it. */
  async request(req: WorkerRequest): Promise<{ final: WorkerReply; progress: WorkerReply[] }> {
    this.child.send(req);
    for (;;) {
      const mine = this.replies.filter((r) => r.id === req.id);
      const final = mine.find((r) => r.kind !== 'progress');
      if (final) return { final, progress: mine.filter((r) => r.kind === 'progress') };
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return Promise.resolve({ code: this.child.exitCode, signal: this.child.signalCode });
    }
    return new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }
}

describe('cli/worker: request handling (in process)', () => {
  it('classifies errors: core and ORT-refusal errors are user errors, others internal without stack', () => {
    assert.deepEqual(errorReply(1, new OnnxFormatError('not-onnx', 'not an ONNX model', '/x.bin')).error, {
      type: 'user',
      code: 'not-onnx',
      category: 'ONNX',
      message: '/x.bin: not an ONNX model',
    });
    // Any user error crosses the boundary with its category, recognised by class (not by name).
    assert.deepEqual(errorReply(6, new DatasetError('/d.csv', 'malformed', 'bad row')).error, {
      type: 'user',
      code: 'malformed',
      category: 'DATASET',
      message: '/d.csv: bad row',
    });
    const abort = new Error('stopped');
    abort.name = 'AbortError';
    assert.deepEqual(errorReply(7, abort).error, { type: 'user', code: 'cancelled', category: 'CANCELLED', message: 'stopped' });
    const renamed = new Error('looks like data');
    renamed.name = 'DatasetError';
    assert.equal(errorReply(8, renamed).error.type, 'internal', 'a plain Error named DatasetError is not a user error');
    assert.equal(errorReply(2, new RuntimeError('ort-refused', 'no')).error.type, 'user');
    assert.equal(errorReply(3, new RuntimeError('ort-unavailable', 'no binding')).error.type, 'internal');
    const internal = errorReply(4, new TypeError('boom'));
    assert.deepEqual(internal.error, { type: 'internal', message: 'TypeError: boom' });
    assert.equal(errorReply(5, 'str').error.message, 'non-error thrown: str');
  });

  it('answers an unknown op with an error reply', async () => {
    const sent: WorkerReply[] = [];
    await handleRequest({ kind: 'request', id: 9, op: 'nope' } as unknown as WorkerRequest, (m) => sent.push(m));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.kind, 'error');
  });
});

describe('cli/worker: forked process', function () {
  this.timeout(60000);
  const models = new TempModels();
  let addModel = '';
  let client: WorkerClient | undefined;
  before(() => {
    addModel = models.write({
      nodes: [node('Add', ['X', 'one'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['n', 3])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['n', 3])],
      initializers: [floatTensor('one', [], [1])],
    });
  });
  afterEach(() => {
    if (client && client.child.exitCode === null && client.child.signalCode === null) client.child.kill('SIGKILL');
    client = undefined;
  });
  after(() => models.dispose());

  it('serves runtime-check, sample and errors, then exits when the channel closes', async () => {
    client = new WorkerClient();
    const check = await client.request({ kind: 'request', id: 1, op: 'runtime-check', params: { model: addModel } });
    assert.equal(check.final.kind, 'result');
    const cr = (check.final as { result: RuntimeCheckResult }).result;
    assert.equal(cr.ok, true);
    assert.deepEqual(cr.inputNames, ['X']);

    const sample = await client.request({ kind: 'request', id: 2, op: 'sample', params: { model: addModel, symbolicDimValue: 2, repeat: 2, intraOpNumThreads: 1 } });
    assert.equal(sample.final.kind, 'result', JSON.stringify(sample.final));
    const sr = (sample.final as { result: SampleResult }).result;
    assert.deepEqual(sr.outputs[0]!.shape, [2, 3]);
    assert.equal(sr.run_ms.length, 3);
    assert.ok(sample.progress.length >= 3);
    assert.ok(sample.progress.every((p) => p.kind === 'progress' && p.id === 2));

    const missing = await client.request({ kind: 'request', id: 3, op: 'sample', params: { model: join(models.dir, 'missing.onnx') } });
    assert.equal(missing.final.kind, 'error');
    const err = (missing.final as Extract<WorkerReply, { kind: 'error' }>).error;
    assert.equal(err.type, 'user');
    assert.equal(err.code, 'not-found');
    assert.equal(err.category, 'ONNX');
    assert.doesNotMatch(err.message, /\n\s+at /);

    const bad = await client.request({ kind: 'request', id: 4, op: 'bogus', params: {} } as unknown as WorkerRequest);
    assert.equal(bad.final.kind, 'error');

    // Still alive after errors.
    const again = await client.request({ kind: 'request', id: 5, op: 'runtime-check', params: { model: addModel } });
    assert.equal(again.final.kind, 'result');

    const exit = client.exited();
    client.child.disconnect();
    assert.deepEqual(await exit, { code: 0, signal: null });
  });

  it('refuses to run without an IPC channel (exit code 2)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no IPC channel/);
  });

  it('is cancelled by killing it; a fresh worker serves the next request', async () => {
    client = new WorkerClient();
    // Many timed repeats of a bigger MatMul keep the worker busy; kill it at the first progress message.
    const big = models.write({
      nodes: [node('MatMul', ['X', 'X'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['n', 'n'])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['n', 'n'])],
    });
    client.child.send({ kind: 'request', id: 1, op: 'sample', params: { model: big, symbolicDimValue: 256, repeat: 100000 } });
    await new Promise<void>((resolve) => client!.child.once('message', () => resolve()));
    const exit = client.exited();
    client.child.kill('SIGKILL');
    assert.deepEqual(await exit, { code: null, signal: 'SIGKILL' });
    assert.ok(!client.replies.some((r) => r.kind === 'result'));

    client = new WorkerClient();
    const r = await client.request({ kind: 'request', id: 1, op: 'runtime-check', params: { model: addModel } });
    assert.equal(r.final.kind, 'result');
  });
});
