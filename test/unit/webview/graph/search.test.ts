import assert from 'node:assert/strict';
import { GraphSearch, parseShapeQuery, shapeMatches } from '../../../../webview/graph/search';
import { scopedGraph } from './fixtures';

describe('graph-ui: search', () => {
  const search = new GraphSearch(scopedGraph());

  it('recognises shape queries and only those', () => {
    assert.deepEqual(parseShapeQuery('1,3,224,224'), [1, 3, 224, 224]);
    assert.deepEqual(parseShapeQuery('[1, 3, 224, 224]'), [1, 3, 224, 224]);
    assert.deepEqual(parseShapeQuery('1x3x224x224'), [1, 3, 224, 224]);
    assert.deepEqual(parseShapeQuery('batch, seq, 768'), ['batch', 'seq', 768]);
    assert.deepEqual(parseShapeQuery('?,3'), ['?', 3]);
    assert.deepEqual(parseShapeQuery('[]'), []);
    assert.equal(parseShapeQuery('conv'), null);
    assert.equal(parseShapeQuery('224'), null, 'a single number is a name search');
    assert.equal(parseShapeQuery('relu,conv'), null, 'no number, no brackets: not a shape');
  });

  it('matches shapes exactly (numbers), case-insensitively (symbols), ? as any dim', () => {
    assert.ok(shapeMatches([1, 3, 224, 224], [1, 3, 224, 224]));
    assert.ok(!shapeMatches([1, 3, 224, 224], [1, 3, 224]));
    assert.ok(!shapeMatches([1, 3, 224, 225], [1, 3, 224, 224]));
    assert.ok(shapeMatches(['Batch', 768], ['batch', 768]));
    assert.ok(shapeMatches([null, 768], ['?', 768]));
    assert.ok(!shapeMatches(null, [1]));
  });

  it('finds nodes by name and op type, case-insensitive, exact names first', () => {
    const r = search.run('RELU');
    assert.equal(r.mode, 'text');
    assert.equal(r.hits[0]!.kind, 'node');
    assert.equal(r.hits[0]!.label, 'relu');
    const byOp = search.run('softmax');
    assert.equal(byOp.hits[0]!.label, 'top');
    assert.equal(search.run('nothing-like-this').total, 0);
    assert.equal(search.run('  ').mode, 'empty');
  });

  it('finds tensors by name and jumps to their producer (or first consumer)', () => {
    const r = search.run('w');
    const w = r.hits.find((h) => h.kind === 'tensor' && h.label === 'w')!;
    assert.ok(w, 'the weight tensor');
    assert.equal(w.node, 0, 'an initializer jumps to its consumer (conv)');
    const m = search.run('m').hits.find((h) => h.kind === 'tensor' && h.label === 'm')!;
    assert.equal(m.node, 2, 'an intermediate tensor jumps to its producer (mul)');
  });

  it('finds tensors by shape', () => {
    const r = search.run('1,3,8,8');
    assert.equal(r.mode, 'shape');
    assert.ok(r.total >= 6);
    assert.ok(r.hits.every((h) => h.kind === 'tensor'));
    assert.equal(search.run('3,3,1,1').hits[0]!.label, 'w');
  });

  it('limits the hits and counts all matches', () => {
    const r = search.run('1,3,8,8');
    const cut = search.run('1,3,8,8');
    assert.equal(cut.total, r.total);
    assert.equal(search.run('a').hits.length <= 500, true);
    const one = new GraphSearch(scopedGraph()).run('1,3,8,8', 2);
    assert.equal(one.hits.length, 2);
    assert.equal(one.total, r.total);
  });
});
