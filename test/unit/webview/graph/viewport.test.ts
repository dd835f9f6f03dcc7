import assert from 'node:assert/strict';
import { fitBounds } from '../../../../webview/graph/camera';
import { GraphIndex } from '../../../../webview/graph/graph-index';
import { expandAll } from '../../../../webview/graph/hierarchy';
import { jumpItem } from '../../../../webview/graph/item-maps';
import { runLayout } from '../../../../webview/graph/layout-run';
import { containerInput } from '../../../../webview/graph/layout-plan';
import type { LayoutOutput } from '../../../../webview/graph/layout-types';
import { composeScene, readingOrder, type Scene } from '../../../../webview/graph/scene';
import { Viewport } from '../../../../webview/graph/viewport';
import { computeVisibleGraph } from '../../../../webview/graph/visible-graph';
import { boxes, scopedGraph } from './fixtures';

function layoutAll(index: GraphIndex, expanded: Set<number>): Scene {
  const vg = computeVisibleGraph(index, expanded);
  const bx = boxes(index);
  const layouts = new Map<number, LayoutOutput>();
  for (const c of [...vg.containers].reverse()) layouts.set(c.id, runLayout('layered', containerInput(index, c, bx, layouts).input));
  return composeScene(index, vg, layouts, bx);
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);

describe('graph-ui: viewport (camera, fit, focus, anchors)', () => {
  const index = new GraphIndex(scopedGraph());
  const expanded = layoutAll(index, expandAll(index));
  const collapsed = layoutAll(index, new Set());
  const n = (name: string) => index.nodeByKey(name)!;

  function viewport(scene: Scene | null = expanded) {
    let moves = 0;
    const view = new Viewport(
      () => scene,
      () => moves++,
    );
    return { view, moves: () => moves };
  }

  it('waits for a stage size before fitting, then fits (an initial placement waiting for a size fits)', () => {
    const { view } = viewport();
    view.place('initial');
    assert.equal(view.center(), null);
    view.resize(800, 600);
    assert.deepEqual(view.camera, fitBounds(expanded.bounds, 800, 600));
  });

  it('keeps a saved centre until the stage has a size, then centres on it', () => {
    const { view } = viewport();
    view.place({ center: { x: 40, y: 70, scale: 0.5 } });
    assert.deepEqual(view.center(), { x: 40, y: 70, scale: 0.5 });
    view.resize(400, 300);
    const c = view.center()!;
    close(c.x, 40, 'x');
    close(c.y, 70, 'y');
    assert.equal(c.scale, 0.5);
  });

  it('keeps the world point at the centre when the stage is resized', () => {
    const { view } = viewport();
    view.resize(800, 600);
    view.place('fit');
    const before = view.center()!;
    view.resize(500, 600);
    const after = view.center()!;
    close(after.x, before.x, 'x');
    close(after.y, before.y, 'y');
  });

  it('zooms around the pointer and reports user moves, not placements', () => {
    const { view, moves } = viewport();
    view.resize(800, 600);
    view.place('fit');
    assert.equal(moves(), 0);
    const [wx, wy] = view.toWorld(100, 50);
    view.zoomBy(2, 100, 50);
    assert.equal(moves(), 1);
    const [wx2, wy2] = view.toWorld(100, 50);
    close(wx2, wx, 'x under the pointer');
    close(wy2, wy, 'y under the pointer');
  });

  it('focus centres a drawn item, zooming in to 1 from a small zoom; false for an item not drawn', () => {
    const { view, moves } = viewport();
    view.resize(800, 600);
    view.set({ x: 0, y: 0, scale: 0.3 });
    assert.ok(view.focus(n('mul')));
    assert.equal(view.camera.scale, 1);
    const box = view.screenBox(n('mul'))!;
    close(box.x + box.width / 2, 400, 'centred x');
    close(box.y + box.height / 2, 300, 'centred y');
    assert.equal(view.itemAt(400, 300), n('mul'));
    assert.equal(moves(), 1);
    const hidden = viewport(collapsed);
    hidden.view.resize(800, 600);
    assert.equal(hidden.view.focus(n('mul')), false);
    assert.equal(hidden.moves(), 0);
  });

  it('ensureVisible moves only when the item is (partly) off screen', () => {
    const { view, moves } = viewport();
    view.resize(800, 600);
    view.focus(n('conv'));
    const cam = view.camera;
    view.ensureVisible(n('conv'));
    assert.equal(view.camera, cam);
    view.set({ ...cam, x: cam.x + 5000 });
    view.ensureVisible(n('conv'));
    assert.equal(moves(), 2);
    const box = view.screenBox(n('conv'))!;
    close(box.x + box.width / 2, 400, 'centred x');
  });

  it('an anchor taken before a change puts the item back at the same screen point', () => {
    const { view } = viewport();
    view.resize(800, 600);
    view.place('fit');
    const anchor = view.anchorOf(n('add'))!;
    view.set({ x: -300, y: 900, scale: view.camera.scale });
    view.pin(anchor);
    const box = view.screenBox(n('add'))!;
    close(box.x, anchor.sx, 'x');
    close(box.y, anchor.sy, 'y');
    assert.equal(viewport(collapsed).view.anchorOf(n('add')), undefined);
  });

  it('reading order is top to bottom, then left to right; a search hit jumps to its node or input pill', () => {
    const order = readingOrder(expanded, [n('top'), n('conv'), n('relu')]);
    assert.deepEqual(order, [n('conv'), n('relu'), n('top')]);
    const hit = (kind: 'node' | 'tensor', id: number, node: number) => ({ kind, id, node, label: '', detail: '' });
    assert.equal(jumpItem(index, hit('node', n('relu'), n('relu'))), n('relu'));
    const x = index.view.tensors.findIndex((t) => t.name === 'x');
    assert.ok(x >= 0 && index.inputItem(x) !== undefined);
    assert.equal(jumpItem(index, hit('tensor', x, n('conv'))), index.inputItem(x));
    assert.equal(jumpItem(index, hit('tensor', 999, -1)), -1);
  });
});
