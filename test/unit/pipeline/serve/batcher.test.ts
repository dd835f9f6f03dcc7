/**
 * The batcher's dispatch rules with a scripted runner (no threads): a free instance takes the next due batch; a
 * busy instance takes a *full* batch to run right after its current one, never a partial one (that one keeps
 * waiting and may still fill up); answers go back to each request in row order.
 */
import assert from 'node:assert/strict';
import { Batcher, type Runner } from '../../../../src/pipeline/serve/batcher';
import type { RunResult } from '../../../../src/pipeline/serve/instance-pool';
import type { WireTensor } from '../../../../src/pipeline/serve/instance-protocol';
import type { V2Tensor } from '../../../../src/pipeline/serve/datatypes';

/** One scripted instance: records each batch it is sent; `finish()` answers the oldest (output = input × 2). */
class ScriptedInstance implements Runner {
  readonly sent: number[] = [];
  private readonly waiting: { feeds: readonly WireTensor[]; resolve: (r: RunResult) => void }[] = [];
  onDone: () => void = () => undefined;

  private readonly handle = {
    run: (feeds: readonly WireTensor[]): Promise<RunResult> =>
      new Promise((resolve) => {
        this.sent.push(feeds[0]!.dims[0]!);
        this.waiting.push({ feeds, resolve });
      }),
  };

  idle() {
    return this.waiting.length === 0 ? this.handle : undefined;
  }

  ahead() {
    return this.waiting.length === 1 ? this.handle : undefined;
  }

  finish(): void {
    const w = this.waiting.shift()!;
    const x = w.feeds[0]!;
    w.resolve({ outputs: [{ name: 'y', type: 'float32', dims: x.dims, data: Float32Array.from(x.data as Float32Array, (v) => v * 2) }], computeSeconds: 0 });
    setImmediate(() => this.onDone());
  }
}

const request = (rows: number, first: number): V2Tensor[] => [{ name: 'x', datatype: 'FP32', shape: [rows, 1], data: Float32Array.from({ length: rows }, (_, i) => first + i) }];
const tick = () => new Promise((r) => setImmediate(r));

describe('serve: the batcher sends a full batch ahead to a busy instance, never a partial one', () => {
  it('full batches pipeline behind the running one; a partial batch waits for a free instance; rows come back in order', async () => {
    const inst = new ScriptedInstance();
    const batcher = new Batcher(inst, { maxBatchSize: 4, maxQueueDelayUs: 1_000_000, maxQueueSize: 100 }, true, ['y']);
    inst.onDone = () => batcher.pump();
    const answers: Promise<{ outputs: V2Tensor[] }>[] = [];
    // 4 rows: a full batch for the free instance.
    for (let i = 0; i < 4; i++) answers.push(batcher.submit(request(1, i * 10)));
    await tick();
    assert.deepEqual(inst.sent, [4]);
    // 4 more rows while it runs: full, so sent ahead at once.
    for (let i = 4; i < 8; i++) answers.push(batcher.submit(request(1, i * 10)));
    await tick();
    assert.deepEqual(inst.sent, [4, 4]);
    // 2 rows: partial, and the instance already has one waiting — it stays queued.
    answers.push(batcher.submit(request(2, 80)));
    await tick();
    assert.deepEqual(inst.sent, [4, 4]);
    assert.equal(batcher.depth, 1);
    inst.finish();
    await tick();
    // One batch left in the instance: the partial batch is not full, so still not sent ahead.
    assert.deepEqual(inst.sent, [4, 4]);
    inst.finish();
    await tick();
    await tick();
    // Now free, but the partial batch waits up to max_queue_delay for more rows: two more fill it.
    answers.push(batcher.submit(request(2, 100)));
    await tick();
    assert.deepEqual(inst.sent, [4, 4, 4]);
    inst.finish();
    const got = await Promise.all(answers);
    const flat = got.flatMap((a) => Array.from(a.outputs[0]!.data as Float32Array));
    assert.deepEqual(flat, [0, 20, 40, 60, 80, 100, 120, 140, 160, 162, 200, 202]);
  });

  it('without batching every request is its own batch and one more waits behind the running one', async () => {
    const inst = new ScriptedInstance();
    const batcher = new Batcher(inst, { maxBatchSize: 0, maxQueueDelayUs: 0, maxQueueSize: 100 }, true, ['y']);
    inst.onDone = () => batcher.pump();
    const answers = [0, 1, 2].map((i) => batcher.submit(request(1, i)));
    await tick();
    assert.deepEqual(inst.sent, [1, 1]);
    assert.equal(batcher.depth, 1);
    inst.finish();
    await tick();
    await tick();
    assert.deepEqual(inst.sent, [1, 1, 1]);
    inst.finish();
    inst.finish();
    assert.deepEqual((await Promise.all(answers)).map((a) => (a.outputs[0]!.data as Float32Array)[0]), [0, 2, 4]);
  });
});
