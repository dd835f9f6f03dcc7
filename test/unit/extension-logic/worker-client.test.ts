import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { WorkerClient, type CancellationSignal, type WorkerClientOptions } from '../../../src/extension/worker/worker-client';
import { OperationCancelledError, WorkerRequestError, WorkerStoppedError } from '../../../src/extension/worker/worker-errors';

const FAKE = path.join(__dirname, 'fixtures', 'fake-worker.cjs');

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
});
