import assert from 'node:assert/strict';
import { GraphIndex, KIND_GROUP, ROOT } from '../../../../webview/graph/graph-index';
import { collapsedRepresentatives, expandAll, expandTo, initialExpansion } from '../../../../webview/graph/hierarchy';
import { computeVisibleGraph } from '../../../../webview/graph/visible-graph';
import { hitItems, markItems } from '../../../../webview/graph/item-maps';
import { generateGraphView } from '../../../../bench/graph-models';
import { scopedGraph } from './fixtures';

describe('graph-ui: visible graph', () => {
  const view = scopedGraph();
  const index = new GraphIndex(view);
  const g = (path: string) => index.groupByPath(path)!;
  const node = (name: string) => index.nodeByKey(name)!;
  const edgeSet = (vg: ReturnType<typeof computeVisibleGraph>) => vg.edges.map((e) => `${label(e.from)}->${label(e.to)}×${e.count}`).sort();
  const label = (item: number) => {
    const k = index.kind(item);
    if (k === KIND_GROUP) return index.group(index.groupOf(item)).path;
    if (item < index.nodeCount) return index.nodeKey(item);
    return `io:${view.tensors[index.ioTensorOf(item)]!.name}`;
  };

  it('everything collapsed: one aggregated edge per pair of drawn items', () => {
    const vg = computeVisibleGraph(index, new Set());
    assert.deepEqual(vg.containers.map((c) => c.id), [ROOT]);
    assert.equal(vg.visibleNodes, 1); // only the top-level Softmax
    // /a → /b carries r to mul and to add: one edge, one distinct tensor.
    assert.deepEqual(edgeSet(vg), ['/a->/b×1', '/b->top×1', 'io:x->/a×1', 'io:x->/b×1', 'top->io:y×1']);
    // /a → (root Softmax) would be 2 tensors if both c and r went there; check counting on a merged pair.
    const both = computeVisibleGraph(index, new Set([g('/b')]));
    assert.deepEqual(edgeSet(both).filter((e) => e.startsWith('/a->')), ['/a->/b/inner×1', '/a->add×1']);
  });

  it('expanded groups become containers, parents first; edges route through the lowest common container', () => {
    const vg = computeVisibleGraph(index, new Set([g('/a'), g('/b')]));
    assert.deepEqual(vg.containers.map((c) => c.id), [ROOT, g('/a'), g('/b')]);
    assert.equal(vg.visibleNodes, 4); // conv, relu, add, top; mul hides in /b/inner
    assert.deepEqual(edgeSet(vg), ['/b/inner->add×1', 'add->top×1', 'conv->relu×1', 'io:x->add×1', 'io:x->conv×1', 'relu->/b/inner×1', 'relu->add×1', 'top->io:y×1']);
    const relu = vg.edges.find((e) => e.from === node('relu') && e.to === node('add'))!;
    assert.equal(relu.container, ROOT, 'relu (in /a) → add (in /b) is routed by the root layout');
    const root = vg.containerById.get(ROOT)!;
    const [la, lb] = [root.edges[2 * relu.local]!, root.edges[2 * relu.local + 1]!];
    assert.deepEqual([label(root.items[la]!), label(root.items[lb]!)], ['/a', '/b']);
    // Both relu→add and relu→/b/inner share the root's local edge /a → /b.
    const other = vg.edges.find((e) => e.from === node('relu') && e.to === index.groupItem(g('/b/inner')))!;
    assert.equal(other.container, ROOT);
    assert.equal(other.local, relu.local);
    const conv = vg.edges.find((e) => e.from === node('conv'))!;
    assert.equal(conv.container, g('/a'));
  });

  it('local edges of a container do not depend on what is expanded below it', () => {
    const a = computeVisibleGraph(index, new Set([g('/b')]));
    const b = computeVisibleGraph(index, new Set([g('/b'), g('/b/inner'), g('/a')]));
    const pairs = (vg: typeof a, id: number) => {
      const c = vg.containerById.get(id)!;
      return Array.from({ length: c.edges.length / 2 }, (_, i) => `${c.items[c.edges[2 * i]!]}-${c.items[c.edges[2 * i + 1]!]}`).sort();
    };
    assert.deepEqual(pairs(a, ROOT), pairs(b, ROOT));
    assert.deepEqual(pairs(a, g('/b')), pairs(b, g('/b')));
  });

  it('gives expanded groups entry ports per outside source and exit ports per child', () => {
    const vg = computeVisibleGraph(index, new Set([g('/a'), g('/b'), g('/b/inner')]));
    const b = vg.containerById.get(g('/b'))!;
    const sources = [...b.inPortOf.keys()].map(label).sort();
    assert.deepEqual(sources, ['io:x', 'relu'], 'relu (in /a) and the graph input x enter /b');
    // relu feeds two children of /b (the inner group and add) through one port: two port edges.
    const reluPort = b.inPortOf.get(node('relu'))!;
    const fed = [];
    for (let k = 0; k < b.inPortEdges.length; k += 2) if (b.inPortEdges[k] === reluPort) fed.push(label(b.items[b.inPortEdges[k + 1]!]!));
    assert.deepEqual(fed.sort(), ['/b/inner', 'add']);
    assert.equal(b.outPorts, 1, 'only add sends an edge out of /b');
    assert.equal(b.outPort[[...b.items].indexOf(node('add'))], 0);
    const root = vg.containerById.get(ROOT)!;
    assert.equal(root.inPorts + root.outPorts, 0, 'the root has no ports');
  });

  it('a collapsed ancestor hides expanded descendants', () => {
    const rep = collapsedRepresentatives(index, new Set([g('/b/inner')]));
    assert.equal(rep[g('/b/inner')], g('/b'));
    const vg = computeVisibleGraph(index, new Set([g('/b/inner')]));
    assert.equal(vg.repOfNode[node('mul')], index.groupItem(g('/b')));
    assert.deepEqual(vg.containers.map((c) => c.id), [ROOT]);
  });

  it('expandTo opens every group holding an item', () => {
    const e = expandTo(index, new Set(), node('mul'));
    assert.deepEqual([...e].sort(), [g('/b'), g('/b/inner')].sort());
    assert.equal(computeVisibleGraph(index, e).repOfNode[node('mul')], node('mul'));
  });

  it('small graphs open fully; big graphs open whole levels within the budget', () => {
    assert.equal(initialExpansion(index).size, index.groupCount);
    const big = new GraphIndex(generateGraphView('flat-10k'));
    assert.equal(big.view.rootGroups.length, 10, 'ten artificial groups of 1,000');
    assert.equal(initialExpansion(big).size, 0);
    assert.equal(computeVisibleGraph(big, initialExpansion(big)).leaves.length, 12); // 10 groups + input + output
    const all = computeVisibleGraph(big, expandAll(big));
    assert.equal(all.visibleNodes, 10_000);
  });
});

describe('graph-ui: hits and marks on drawn items', () => {
  it('lands on the collapsed group holding a node; mixed marks in one group turn amber', () => {
    const view = scopedGraph();
    const index = new GraphIndex(view);
    const vg = computeVisibleGraph(index, new Set());
    const b = index.groupItem(index.groupByPath('/b')!);
    const hits = hitItems(index, vg, [{ kind: 'node', id: index.nodeByKey('mul')!, node: index.nodeByKey('mul')!, label: 'mul', detail: '' }]);
    assert.deepEqual([...hits], [b]);
    const colors = { added: 'green', removed: 'red', changed: 'amber' };
    const marks = markItems(index, vg, new Map([['mul', 'added'], ['add', 'removed'], ['top', 'removed']] as const), colors, 'amber');
    assert.equal(marks.get(b), 'amber');
    assert.equal(marks.get(index.nodeByKey('top')!), 'red');
  });
});
