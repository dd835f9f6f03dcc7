/**
 * Input on the graph stage, turned into the component's actions. Pointer (pointer.ts): drag and wheel pan,
 * Ctrl/⌘+wheel and pinch zoom, a click selects (a group, or a frame's header, expands or collapses), a
 * double-click opens a node's subgraph, hovering shows an item's description. Keys: Ctrl/⌘+F and / focus the search; on the stage + − 0 zoom,
 * F fits, N toggles names, Esc clears the selection (then the search), Enter activates the selection,
 * arrows move it (keyboard.ts).
 */
import { KIND_GROUP, KIND_NODE, type GraphIndex } from './graph-index';
import { FRAME_HEADER } from './item-boxes';
import { itemTitle } from './item-title';
import { isNavKey, navigate } from './keyboard';
import { bindPointer, type Listen } from './pointer';
import { BOX_FRAME, hitTest, type Scene } from './scene';
import type { Viewport } from './viewport';

/** What the stage input drives. */
export interface StageTarget {
  /** Receives the keys (the stage, the toolbar and the panel are inside it). */
  readonly root: HTMLElement;
  /** The focusable element around the canvas. */
  readonly stage: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly viewport: Viewport;
  readonly search: { focus(): void; clear(): void; hideList(): void };
  index(): GraphIndex | null;
  scene(): Scene | null;
  selected(): number;
  setSelected(item: number, opts?: { ensureVisible?: boolean }): void;
  toggleGroup(group: number): void;
  /** Enter or double-click: expand/collapse a group, open a node's subgraph or function. */
  activate(item: number): void;
  toggleNames(): void;
  /** The item under the pointer is now `item` (-1: none); false when it already was. */
  setHover(item: number): boolean;
  requestDraw(): void;
}

export function bindStageInput(t: StageTarget, listen: Listen): void {
  const view = t.viewport;
  bindPointer(
    {
      canvas: t.canvas,
      stage: t.stage,
      camera: () => view.camera,
      moveCamera: (c) => view.moveTo(c),
      zoomBy: (factor, sx, sy) => view.zoomBy(factor, sx, sy),
      viewHeight: () => view.height,
      click: (sx, sy) => click(t, sx, sy),
      doubleClick: (sx, sy) => {
        const item = view.itemAt(sx, sy);
        if (item >= 0 && t.index()?.kind(item) === KIND_NODE) t.activate(item);
      },
      hover: (sx, sy) => hover(t, view.itemAt(sx, sy)),
      leave: () => t.setHover(-1) && t.requestDraw(),
    },
    listen,
  );
  listen(t.root, 'keydown', (e: KeyboardEvent) => onKey(t, e));
}

/** Hover: pointer cursor and the item's description as the canvas tooltip. */
function hover(t: StageTarget, item: number): void {
  if (!t.setHover(item)) return;
  const index = t.index();
  t.canvas.style.cursor = item >= 0 ? 'pointer' : '';
  t.canvas.title = item >= 0 && index ? itemTitle(index, t.scene(), item) : '';
  t.requestDraw();
}

function click(t: StageTarget, sx: number, sy: number): void {
  const scene = t.scene();
  const index = t.index();
  if (!scene || !index) return;
  t.search.hideList();
  const [wx, wy] = t.viewport.toWorld(sx, sy);
  const b = hitTest(scene, wx, wy);
  if (b < 0) {
    t.setSelected(-1);
    return;
  }
  const item = scene.item[b]!;
  if (scene.kind[b] === BOX_FRAME) {
    if (wy - scene.y[b]! <= FRAME_HEADER) t.toggleGroup(index.groupOf(item));
    else t.setSelected(item);
  } else if (index.kind(item) === KIND_GROUP) t.toggleGroup(index.groupOf(item));
  else t.setSelected(item);
}

function onKey(t: StageTarget, e: KeyboardEvent): void {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    t.search.focus();
    return;
  }
  if (e.target !== t.stage) return;
  const view = t.viewport;
  const scene = t.scene();
  const selected = t.selected();
  let handled = true;
  if (e.key === '+' || e.key === '=') view.zoomBy(1.25);
  else if (e.key === '-' || e.key === '_') view.zoomBy(0.8);
  else if (e.key === 'f' || e.key === 'F') view.fit();
  else if (e.key === '0') view.zoomBy(1 / view.camera.scale);
  else if (e.key === 'n' || e.key === 'N') t.toggleNames();
  else if (e.key === '/') t.search.focus();
  else if (e.key === 'Escape') {
    if (selected >= 0) t.setSelected(-1);
    else t.search.clear();
  } else if (e.key === 'Enter') t.activate(selected);
  else if (isNavKey(e.key) && scene) {
    const next = navigate(scene, selected, e.key);
    if (next >= 0 && next !== selected) t.setSelected(next, { ensureVisible: true });
  } else handled = false;
  if (handled) e.preventDefault();
}
