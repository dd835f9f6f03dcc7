import assert from 'node:assert/strict';
import { GraphIndex, ROOT } from '../../../../webview/graph/graph-index';
import { expandAll } from '../../../../webview/graph/hierarchy';
import { navigate } from '../../../../webview/graph/keyboard';
import { runLayout } from '../../../../webview/graph/layout-run';
import { containerInput } from '../../../../webview/graph/layout-plan';
import type { LayoutOutput } from '../../../../webview/graph/layout-types';
import { BOX_FRAME, composeScene, hitTest } from '../../../../webview/graph/scene';
import { computeVisibleGraph } from '../../../../webview/graph/visible-graph';
import { GraphViewBuilder } from '../../../../bench/graph-models';
import { boxes, scopedGraph } from './fixtures';

function layoutAll(index: GraphIndex, expanded: Set<number>) {
  const vg = computeVisibleGraph(index, expanded);
  const bx = boxes(index);
  const layouts = new Map<number, LayoutOutput>();
  for (const c of [...vg.containers].reverse()) {
    layouts.set(c.id, runLayout('layered', containerInput(index, c, bx, layouts).input));
  }
  return { vg, scene: composeScene(index, vg, layouts, bx) };
}

describe('graph-ui: scene and keyboard navigation', () => {
  const index = new GraphIndex(scopedGraph());
  const { scene } = layoutAll(index, expandAll(index));
  const n = (name: string) => index.nodeByKey(name)!;

  it('puts frames first, children inside their group frame, every drawn item once', () => {
    assert.equal(scene.frameCount, 3);
    for (let i = 0; i < scene.frameCount; i++) assert.equal(scene.kind[i], BOX_FRAME);
    const inside = (child: number, frame: number) =>
      scene.x[child]! >= scene.x[frame]! - 1e-3 &&
      scene.y[child]! >= scene.y[frame]! - 1e-3 &&
      scene.x[child]! + scene.w[child]! <= scene.x[frame]! + scene.w[frame]! + 1e-3 &&
      scene.y[child]! + scene.h[child]! <= scene.y[frame]! + scene.h[frame]! + 1e-3;
    const frameOf = (path: string) => scene.boxOfItem[index.groupItem(index.groupByPath(path)!)]!;
    assert.ok(inside(scene.boxOfItem[n('conv')]!, frameOf('/a')));
    assert.ok(inside(scene.boxOfItem[n('mul')]!, frameOf('/b/inner')));
    assert.ok(inside(frameOf('/b/inner'), frameOf('/b')));
    assert.equal(scene.count, scene.frameCount + index.nodeCount + 2);
    assert.equal(index.childrenOf(ROOT).length, 5);
  });

  it('edges start at their source box and end at their target box', () => {
    for (let e = 0; e < scene.edgeCount; e++) {
      const s = scene.boxOfItem[scene.edgeFrom[e]!]!;
      const t = scene.boxOfItem[scene.edgeTo[e]!]!;
      const p0 = scene.edgeStart[e]!;
      const p1 = scene.edgeStart[e + 1]! - 1;
      assert.ok(Math.abs(scene.points[2 * p0 + 1]! - (scene.y[s]! + scene.h[s]!)) < 1e-3);
      assert.ok(Math.abs(scene.points[2 * p1 + 1]! - scene.y[t]!) < 1e-3);
    }
  });

  it('hit-tests drawn items before frames', () => {
    const b = scene.boxOfItem[n('mul')]!;
    assert.equal(hitTest(scene, scene.x[b]! + 2, scene.y[b]! + 2), b);
    const f = scene.boxOfItem[index.groupItem(index.groupByPath('/b')!)]!;
    assert.equal(hitTest(scene, scene.x[f]! + 1, scene.y[f]! + 1), f);
    assert.equal(hitTest(scene, -1e6, -1e6), -1);
  });

  it('moves down to a consumer, up to a producer, sideways to a neighbour', () => {
    assert.equal(navigate(scene, n('conv'), 'ArrowDown'), n('relu'));
    assert.equal(navigate(scene, n('relu'), 'ArrowUp'), n('conv'));
    assert.equal(navigate(scene, n('add'), 'ArrowDown'), n('top'));
    const down = navigate(scene, n('relu'), 'ArrowDown');
    assert.ok(down === n('mul') || down === n('add'));
    const x = index.inputItem(index.view.inputs[0]!)!;
    assert.equal(navigate(scene, -1, 'ArrowDown'), x, 'no selection: the top-left box');
    const sideways = navigate(scene, n('mul'), 'ArrowRight');
    assert.ok(sideways === n('mul') || scene.x[scene.boxOfItem[sideways]!]! > scene.x[scene.boxOfItem[n('mul')]!]!);
  });
});

describe('graph-ui: edge cases', () => {
  it('an empty graph and an identity graph lay out and compose', () => {
    const empty = new GraphIndex(new GraphViewBuilder().build());
    const e = layoutAll(empty, new Set());
    assert.equal(e.scene.count, 0);
    assert.deepEqual(e.scene.bounds, { minX: 0, minY: 0, maxX: 0, maxY: 0 });
    const b = new GraphViewBuilder();
    const x = b.input('x', { shape: [1] });
    b.output(x);
    const identity = new GraphIndex(b.build());
    const i = layoutAll(identity, new Set());
    assert.equal(i.scene.count, 2, 'the input and the output pill');
    assert.equal(i.scene.edgeCount, 1, 'input → output');
  });

  it('a node reading the same tensor twice makes one edge of one tensor', () => {
    const b = new GraphViewBuilder();
    const x = b.input('x', {});
    const [y] = b.node('Relu', 'r', '', [x], ['y']);
    b.node('Mul', 'square', '', [y!, y!], ['z']);
    const index = new GraphIndex(b.build());
    const { vg } = layoutAll(index, new Set());
    const e = vg.edges.find((d) => d.from === 0 && d.to === 1)!;
    assert.equal(e.count, 1);
  });
});
