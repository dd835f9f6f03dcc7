import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, openModel } from '../../../../src/core';
import { aggregate, profileModel } from '../../../../src/pipeline/profile';
import { REPO_ROOT } from '../../../helpers/paths';

const cnn = join(REPO_ROOT, 'examples', 'digits', 'digits_cnn.onnx');

describe('profile: per-node times from onnxruntime\'s profiler', function () {
  this.timeout(60000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'ptp-profile-test-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports every node of the model by name with shares summing to 1, and writes the trace', async () => {
    const out = join(tmp, 'cnn.profile.json');
    const r = await profileModel({ model: cnn, runs: 5, symbolicDimValue: 8, outputFile: out });
    const m = await openModel(cnn);
    const names = (m.proto.graph!.node ?? []).map((n) => n.name).sort();
    await m.close();
    assert.deepEqual(r.nodes.map((n) => n.name).sort(), names);
    assert.ok(Math.abs(r.nodes.reduce((a, n) => a + n.share, 0) - 1) < 1e-9);
    assert.ok(r.nodes.every((n, i) => i === 0 || r.nodes[i - 1]!.p50_us >= n.p50_us), 'sorted by time');
    assert.ok(existsSync(out) && Array.isArray(JSON.parse(readFileSync(out, 'utf8'))));
    const again = await openModel(cnn);
    try {
      assert.equal(inspect(again).node_count, r.nodes.length);
    } finally {
      await again.close();
    }
  });

  it('aggregates kernel time per run and takes the median across runs (warm-up excluded)', () => {
    const run = (ts: number) => ({ cat: 'Session', name: 'model_run', ts, dur: 100 });
    const k = (name: string, ts: number, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: 'Add' } });
    const events = [run(0), k('a', 10, 999), run(200), k('a', 210, 4), k('a', 250, 6), k('b', 260, 30), run(400), k('a', 410, 20), k('b', 420, 10), run(600), k('a', 610, 12), k('b', 620, 20)];
    const r = aggregate(events, 3);
    const a = r.find((x) => x.name === 'a')!;
    const b = r.find((x) => x.name === 'b')!;
    assert.equal(a.p50_us, 12); // per-run sums 10, 20, 12 → median 12
    assert.equal(a.calls, 2);
    assert.equal(b.p50_us, 20); // 30, 10, 20 → 20
    assert.equal(a.share + b.share, 1);
  });
});
