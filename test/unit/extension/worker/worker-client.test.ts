import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { WorkerClient, type CancellationSignal, type WorkerClientOptions } from '../../../../src/extension/worker/worker-client';
import { OperationCancelledError, WorkerRequestError, WorkerStoppedError } from '../../../../src/extension/worker/worker-errors';
import { DataType } from '../../../../src/core/tensor/dtypes';
import { TempModels, floatTensor, node, valueInfo } from '../../../helpers/tiny-models';

const FAKE = path.join(__dirname, 'fixtures', 'fake-worker.cjs');
/** The real worker entry (src/cli/worker.ts), run from source through tsx. */
const REAL_ENTRY = path.join(__dirname, '..', '..', 'cli', 'worker-entry.ts');

class TestToken implements CancellationSignal {
  isCancellationRequested = false;
  private listeners: (() => unknown)[] = [];
  onCancellationRequested(listener: () => unknown) {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }
  cancel(): void {
    this.isCancellationRequested = true;
    for (const l of this.listeners) l();
  }
}

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('extension: WorkerClient (with a fake worker process)', () => {
  let client: WorkerClient;
  let exits: { error: WorkerStoppedError; hadPending: boolean }[];

  function make(options: Partial<WorkerClientOptions> = {}): WorkerClient {
    exits = [];
    client = new WorkerClient({
      modulePath: FAKE,
      args: ['worker'],
      env: { ...process.env },
      log: quietLog,
      onUnexpectedExit: (error, hadPending) => exits.push({ error, hadPending }),
      ...options,
    });
    return client;
  }

  afterEach(() => client?.dispose());

  it('starts the process on the first request and reuses it', async () => {
    make();
    assert.equal(client.running, false);
    const a = (await client.request('runtime-check', { model: 'ok', intraOpNumThreads: 2 })) as unknown as { pid: number; threads: number };
    assert.equal(client.running, true);
    assert.equal(a.threads, 2);
    const b = (await client.request('runtime-check', { model: 'ok' })) as unknown as { pid: number };
    assert.equal(a.pid, b.pid);
  });

  it('routes progress messages to the request', async () => {
    make();
    const seen: (number | undefined)[] = [];
    await client.request('sample', { model: 'progress' }, { onProgress: (p) => seen.push(p.fraction) });
    assert.deepEqual(seen, [0.25, 0.75]);
  });

  it('rejects with a WorkerRequestError on an error reply and keeps the process', async () => {
    make();
    const first = (await client.request('runtime-check', { model: 'ok' })) as unknown as { pid: number };
    await assert.rejects(client.request('sample', { model: 'fail' }), (e: unknown) => {
      assert.ok(e instanceof WorkerRequestError);
      assert.equal(e.type, 'user');
      assert.equal(e.code, 'bad-model');
      assert.equal(e.message, 'fail: refused');
      return true;
    });
    const again = (await client.request('runtime-check', { model: 'ok' })) as unknown as { pid: number };
    assert.equal(again.pid, first.pid);
  });

  it('rejects pending requests when the process exits, reports it, and starts a fresh one next time', async () => {
    make();
    const first = (await client.request('runtime-check', { model: 'ok' })) as unknown as { pid: number };
    await assert.rejects(client.request('sample', { model: 'crash' }), (e: unknown) => {
      assert.ok(e instanceof WorkerStoppedError);
      assert.equal(e.message, 'The ONNX Runtime worker stopped unexpectedly (exit code 3).');
      return true;
    });
    assert.equal(exits.length, 1);
    assert.equal(exits[0]!.hadPending, true);
    assert.equal(client.running, false);
    const next = (await client.request('runtime-check', { model: 'ok' })) as unknown as { pid: number };
    assert.notEqual(next.pid, first.pid);
  });

  it('names the signal when the process is killed from outside', async () => {
    make();
    await assert.rejects(client.request('sample', { model: 'kill' }), /stopped unexpectedly \(signal SIGKILL\)/);
    assert.equal(exits.length, 1);
  });

  it('cancellation kills the process and rejects with OperationCancelledError; the next request works', async () => {
    make();
    const token = new TestToken();
    const pending = client.request('sample', { model: 'hang' }, { token, cancelMessage: 'Run cancelled.' });
    await new Promise((r) => setTimeout(r, 100));
    token.cancel();
    await assert.rejects(pending, (e: unknown) => e instanceof OperationCancelledError && e.message === 'Run cancelled.');
    assert.equal(client.running, false);
    assert.equal(client.pendingCount, 0);
    const ok = await client.request('runtime-check', { model: 'ok' });
    assert.ok(ok);
    assert.equal(exits.length, 0, 'a cancel is not an unexpected exit');
  });

  it('rejects at once without starting a process when the token is already cancelled', async () => {
    make();
    const token = new TestToken();
    token.cancel();
    await assert.rejects(client.request('sample', { model: 'ok' }, { token }), OperationCancelledError);
    assert.equal(client.running, false);
  });

  it('dispose rejects pending requests and stops the process', async () => {
    make();
    const pending = client.request('sample', { model: 'hang' });
    await new Promise((r) => setTimeout(r, 100));
    client.dispose();
    await assert.rejects(pending, OperationCancelledError);
    assert.equal(client.running, false);
    await assert.rejects(client.request('runtime-check', { model: 'ok' }), /shut down/);
    assert.equal(exits.length, 0);
  });

  it('stops an idle process after the idle timeout without reporting an unexpected exit', async () => {
    make({ idleTimeoutMs: 150 });
    await client.request('runtime-check', { model: 'ok' });
    assert.equal(client.running, true);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(client.running, false);
    assert.equal(exits.length, 0);
    assert.ok(await client.request('runtime-check', { model: 'ok' }));
  });

  it('reports a worker script that cannot start', async () => {
    make({ modulePath: path.join(__dirname, 'fixtures', 'does-not-exist.cjs') });
    await assert.rejects(client.request('runtime-check', { model: 'ok' }), /stopped unexpectedly \(exit code 1\)/);
    assert.equal(exits.length, 1);
  });

  /** Resolves at the request's first progress message: it runs in a process of its own now. */
  function started(): { onProgress: () => void; promise: Promise<void> } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { onProgress: () => resolve(), promise };
  }

  it('runs two requests in two processes at once; cancelling one leaves the other to complete', async () => {
    make();
    const token = new TestToken();
    const a = started();
    const b = started();
    const hung = client.request('sample', { model: 'hang' }, { token, onProgress: a.onProgress, cancelMessage: 'A cancelled.' });
    const slow = client.request('sample', { model: 'slow', ms: 400 } as never, { onProgress: b.onProgress });
    await Promise.all([a.promise, b.promise]);
    assert.equal(client.processCount, 2);
    token.cancel();
    await assert.rejects(hung, (e: unknown) => e instanceof OperationCancelledError && e.message === 'A cancelled.');
    const result = (await slow) as unknown as { op: string; pid: number };
    assert.equal(result.op, 'sample');
    assert.equal(client.processCount, 1, 'the cancelled request took only its own process down');
    assert.equal(exits.length, 0);
  });

  it('a crash rejects only the request of the process that crashed', async () => {
    make();
    const b = started();
    const slow = client.request('sample', { model: 'slow', ms: 400 } as never, { onProgress: b.onProgress });
    await b.promise;
    await assert.rejects(client.request('sample', { model: 'crash' }), WorkerStoppedError);
    assert.ok(await slow);
    assert.equal(exits.length, 1);
  });

  it('caps the busy processes and queues the rest in order; a queued request can be cancelled before it starts', async () => {
    make({ maxProcesses: 1 });
    const order: string[] = [];
    const token = new TestToken();
    const first = client.request('sample', { model: 'slow', ms: 300 } as never).then((r) => (order.push('first'), r));
    const dropped = client.request('sample', { model: 'ok' }, { token });
    const third = client.request('sample', { model: 'ok' }).then((r) => (order.push('third'), r));
    assert.equal(client.queuedCount, 2);
    token.cancel();
    await assert.rejects(dropped, OperationCancelledError);
    assert.equal(client.queuedCount, 1);
    const [r1, r3] = (await Promise.all([first, third])) as unknown as { pid: number }[];
    assert.deepEqual(order, ['first', 'third']);
    assert.equal(r1!.pid, r3!.pid, 'the queued request reused the freed process');
    assert.equal(client.processCount, 1);
  });

  it('a dedicated request gets a process of its own outside the cap, stopped when it ends', async () => {
    make({ maxProcesses: 1 });
    const shared = started();
    const own = started();
    const short = client.request('sample', { model: 'slow', ms: 300 } as never, { onProgress: shared.onProgress });
    const long = client.request('sample', { model: 'slow', ms: 300 } as never, { onProgress: own.onProgress, dedicated: true });
    await Promise.all([shared.promise, own.promise]);
    assert.equal(client.processCount, 2);
    const [s, l] = (await Promise.all([short, long])) as unknown as { pid: number }[];
    assert.notEqual(s!.pid, l!.pid);
    const next = (await client.request('runtime-check', { model: 'ok' })) as unknown as { pid: number };
    assert.equal(next.pid, s!.pid, 'the pooled process is reused; the dedicated one is not');
    assert.equal(client.processCount, 1);
  });
});

describe('extension: WorkerClient (with the real worker)', function () {
  this.timeout(60000);
  const models = new TempModels();
  let client: WorkerClient | undefined;
  after(() => models.dispose());
  afterEach(() => client?.dispose());

  it('cancelling a long onnxruntime run leaves a concurrent request to complete with its real result', async () => {
    client = new WorkerClient({ modulePath: REAL_ENTRY, execArgv: ['--import', 'tsx'], env: { ...process.env }, log: quietLog });
    const big = models.write({
      nodes: [node('MatMul', ['X', 'X'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['n', 'n'])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['n', 'n'])],
    });
    const add = models.write({
      nodes: [node('Add', ['X', 'one'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['n', 3])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['n', 3])],
      initializers: [floatTensor('one', [], [1])],
    });
    const token = new TestToken();
    let running!: () => void;
    const isRunning = new Promise<void>((r) => (running = r));
    const long = client.request('sample', { model: big, symbolicDimValue: 256, repeat: 100000 }, { token, onProgress: () => running() });
    const check = client.request('runtime-check', { model: add });
    await isRunning;
    token.cancel();
    await assert.rejects(long, OperationCancelledError);
    const result = await check;
    assert.equal(result.ok, true);
    assert.deepEqual(result.inputNames, ['X']);
  });
});
