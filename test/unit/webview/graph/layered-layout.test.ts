import assert from 'node:assert/strict';
import { layeredLayout } from '../../../../webview/graph/layered-layout';
import type { LayoutInput } from '../../../../webview/graph/layout-types';

function input(n: number, edges: number[], w = 60, h = 28): LayoutInput {
  const sizes = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    sizes[2 * i] = w + (i % 3) * 10;
    sizes[2 * i + 1] = h;
  }
  return { sizes, edges: Int32Array.from(edges), nodesep: 20, ranksep: 30, edgesep: 10 };
}

function assertNoOverlap(inp: LayoutInput, out: ReturnType<typeof layeredLayout>): void {
  const n = inp.sizes.length / 2;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const dx = Math.abs(out.x[a]! - out.x[b]!) * 2 - (inp.sizes[2 * a]! + inp.sizes[2 * b]!);
      const dy = Math.abs(out.y[a]! - out.y[b]!) * 2 - (inp.sizes[2 * a + 1]! + inp.sizes[2 * b + 1]!);
      assert.ok(dx >= -1e-6 || dy >= -1e-6, `boxes ${a} and ${b} overlap`);
    }
  }
}

describe('graph-ui: layered layout', () => {
  it('places a diamond top to bottom without overlaps; edges run from source to target', () => {
    const inp = input(4, [0, 1, 0, 2, 1, 3, 2, 3]);
    const out = layeredLayout(inp);
    assert.ok(out.y[0]! < out.y[1]! && out.y[1]! === out.y[2]! && out.y[2]! < out.y[3]!);
    assertNoOverlap(inp, out);
    for (let e = 0; e < 4; e++) {
      const from = out.edgeStart[e]!;
      const to = out.edgeStart[e + 1]!;
      assert.ok(to - from >= 2);
      const [a, b] = [inp.edges[2 * e]!, inp.edges[2 * e + 1]!];
      assert.ok(Math.abs(out.points[2 * from + 1]! - (out.y[a]! + 14)) < 1e-3, 'starts at the bottom of its source');
      assert.ok(Math.abs(out.points[2 * (to - 1) + 1]! - (out.y[b]! - 14)) < 1e-3, 'ends at the top of its target');
    }
    assert.ok(out.width > 0 && out.height > 0);
  });

  it('routes long edges through the ranks in between and keeps everything within the bounds', () => {
    const inp = input(5, [0, 1, 1, 2, 2, 3, 3, 4, 0, 4]);
    const out = layeredLayout(inp);
    const e = 4;
    assert.ok(out.edgeStart[e + 1]! - out.edgeStart[e]! > 2, 'the skip edge bends through dummy points');
    for (let v = 0; v < 5; v++) {
      assert.ok(out.x[v]! - inp.sizes[2 * v]! / 2 >= -1e-6 && out.x[v]! + inp.sizes[2 * v]! / 2 <= out.width + 1e-6);
    }
  });

  it('survives cycles, self loops and disconnected parts', () => {
    const inp = input(6, [0, 1, 1, 2, 2, 0, 3, 3, 4, 5]);
    const out = layeredLayout(inp);
    assertNoOverlap(inp, out);
    assert.equal(out.edgeStart[4]! - out.edgeStart[3]!, 0, 'the self loop has no polyline');
    const from = out.edgeStart[2]!;
    const to = out.edgeStart[3]!;
    assert.ok(to - from >= 2, 'the reversed edge still has a route');
  });

  it('lays out 10,000 nodes (its speed is measured by npm run bench -- graph)', () => {
    const n = 10_000;
    const edges: number[] = [];
    for (let i = 1; i < n; i++) {
      edges.push(i - 1, i);
      if (i % 7 === 0) edges.push(i - 5, i);
    }
    const out = layeredLayout(input(n, edges));
    assert.equal(out.x.length, n);
  });
});

describe('graph-ui: layered layout ports and stubs', () => {
  it('keeps pinned entry ports on the top rank and exit ports below everything', () => {
    // 0 → 1 → 2, entry port 3 → 2 (pinned top), exit port 4 ← 0 (pinned bottom).
    const inp = { ...input(5, [0, 1, 1, 2, 3, 2, 0, 4]), pins: Int8Array.from([0, 0, 0, -1, 1]) };
    const out = layeredLayout(inp);
    assert.ok(out.y[3]! <= Math.min(out.y[0]!, out.y[1]!, out.y[2]!), 'entry port on the top rank');
    assert.ok(out.y[4]! > Math.max(out.y[0]!, out.y[1]!, out.y[2]!), 'exit port below all');
    const e = 2;
    assert.ok(out.edgeStart[e + 1]! - out.edgeStart[e]! > 2, 'the port edge is routed through the ranks, not straight down');
  });

  it('turns the far edges of a broadcast source into stubs above their targets', () => {
    // A chain 0..9 and node 10 feeding every chain node: near ones routed, far ones stubs.
    const edges: number[] = [];
    for (let i = 1; i < 10; i++) edges.push(i - 1, i);
    for (let i = 0; i < 10; i++) edges.push(10, i);
    const inp = input(11, edges);
    const out = layeredLayout(inp);
    const stubs = out.stubs!;
    let count = 0;
    for (let k = 0; k < 10; k++) {
      const e = 9 + k;
      if (!stubs[e]) continue;
      count++;
      const from = out.edgeStart[e]!;
      assert.equal(out.edgeStart[e + 1]! - from, 2, 'a stub is two points');
      assert.ok(Math.abs(out.points[2 * from]! - out.points[2 * from + 2]!) < 1e-6, 'vertical');
      assert.ok(Math.abs(out.points[2 * from + 3]! - (out.y[k]! - 14)) < 1e-3, 'ending on the target');
    }
    assert.ok(count >= 6, `far edges are stubs (${count})`);
    assert.equal(stubs.slice(0, 9).reduce((a, b) => a + b, 0), 0, 'the chain itself is routed');
  });
});
