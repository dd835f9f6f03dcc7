import assert from 'node:assert/strict';
import { GraphIndex } from '../../../../webview/graph/graph-index';
import { captureViewState, expandedFromState, itemOfKey, parseViewState, selectionKey } from '../../../../webview/graph/view-state';
import { generateGraphView } from '../../../../bench/graph-models';
import { scopedGraph } from './fixtures';

describe('graph-ui: view state', () => {
  const index = new GraphIndex(scopedGraph());

  it('round-trips through JSON (vscode setState) to the same expansion, camera and selection', () => {
    const expanded = new Set([index.groupByPath('/b')!, index.groupByPath('/b/inner')!]);
    const state = captureViewState(index, expanded, { x: -12.5, y: 40, scale: 0.75 }, index.nodeByKey('mul')!, true);
    const back = parseViewState(JSON.parse(JSON.stringify(state)));
    assert.deepEqual(back, state);
    assert.deepEqual(expandedFromState(index, back!.expanded), expanded);
    assert.equal(itemOfKey(index, back!.selected!), index.nodeByKey('mul'));
    assert.equal(back!.path, 'main');
  });

  it('names groups and graph inputs/outputs in selection keys', () => {
    const g = index.groupItem(index.groupByPath('/a')!);
    assert.equal(selectionKey(index, g), 'group:/a');
    assert.equal(itemOfKey(index, 'group:/a'), g);
    const io = index.inputItem(index.view.inputs[0]!)!;
    assert.equal(selectionKey(index, io), 'tensor:x');
    assert.equal(itemOfKey(index, 'tensor:x'), io);
    assert.equal(selectionKey(index, -1), null);
    assert.equal(itemOfKey(index, '#4'), 4, 'a node by #id');
  });

  it('keeps artificial groups apart when paths repeat', () => {
    const big = new GraphIndex(generateGraphView('flat-10k'));
    const all = new Set(Array.from({ length: big.groupCount }, (_, g) => g));
    const state = captureViewState(big, all, null, -1, false);
    assert.equal(new Set(state.expanded).size, big.groupCount);
    assert.deepEqual(expandedFromState(big, state.expanded), all);
  });

  it('rejects or repairs unusable state', () => {
    assert.equal(parseViewState(null), null);
    assert.equal(parseViewState({ version: 2, path: 'main' }), null);
    assert.equal(parseViewState({ version: 1 }), null);
    const s = parseViewState({ version: 1, path: 'main', center: { x: 1, y: 2, scale: -1 }, expanded: ['/a', 3, null], selected: 7, showNames: 'yes' })!;
    assert.equal(s.center, null);
    assert.deepEqual(s.expanded, ['/a']);
    assert.equal(s.selected, null);
    assert.equal(s.showNames, false);
    assert.deepEqual(expandedFromState(index, ['/nope', '/a']), new Set([index.groupByPath('/a')]));
  });
});
