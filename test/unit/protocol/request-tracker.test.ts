import * as assert from 'node:assert/strict';
import { RequestTracker } from '../../../src/protocol/request-tracker';

describe('protocol: RequestTracker', () => {
  it('allocates increasing ids and settles each request once', async () => {
    const t = new RequestTracker();
    const a = t.create<number>('a');
    const b = t.create<number>('b');
    assert.equal(b.id, a.id + 1);
    assert.equal(t.size, 2);
    assert.equal(t.resolve(a.id, 1), true);
    assert.equal(t.resolve(a.id, 2), false, 'a second reply is ignored');
    assert.equal(t.reject(b.id, new Error('no')), true);
    assert.equal(await a.promise, 1);
    await assert.rejects(b.promise, /no/);
    assert.equal(t.size, 0);
  });

  it('routes progress to the pending request only', () => {
    const t = new RequestTracker<string>();
    const seen: string[] = [];
    const r = t.create<void>('x', (p) => seen.push(p));
    assert.equal(t.progress(r.id, 'half'), true);
    assert.equal(t.progress(999, 'other'), false);
    t.resolve(r.id, undefined);
    assert.equal(t.progress(r.id, 'late'), false);
    assert.deepEqual(seen, ['half']);
  });

  it('rejects everything pending, with per-request errors if asked', async () => {
    const t = new RequestTracker();
    const a = t.create('validate');
    const b = t.create('sample');
    assert.equal(t.rejectAll((label) => new Error(`${label} stopped`)), 2);
    await assert.rejects(a.promise, /validate stopped/);
    await assert.rejects(b.promise, /sample stopped/);
    assert.equal(t.size, 0);
  });

  it('survives a throwing progress listener', () => {
    const t = new RequestTracker<number>();
    const r = t.create('x', () => {
      throw new Error('bad listener');
    });
    assert.equal(t.progress(r.id, 1), true);
    assert.equal(t.has(r.id), true);
  });
});
