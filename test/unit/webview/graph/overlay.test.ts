import assert from 'node:assert/strict';
import type { Overlay } from '../../../../src/protocol/graph';
import { GraphIndex } from '../../../../webview/graph/graph-index';
import { overlayColors, overlayPaints, overlayValue, textOn } from '../../../../webview/graph/overlay';
import { GraphViewBuilder } from '../../../../bench/graph-models';
import { scopedGraph } from './fixtures';

const GREEN = 'rgb(46, 160, 91)';
const RED = 'rgb(215, 58, 73)';

function overlay(scale: Overlay['scale'], higherIsWorse = true, values: Record<string, number> = { conv: 0, relu: 5, add: 10 }): Overlay {
  return { id: 'o', title: 'Latency', unit: 'ms', values, scale, higherIsWorse };
}

describe('graph-ui: overlay colours', () => {
  it('gradient: min is green, max is red (reversed when lower is worse)', () => {
    const c = overlayColors(overlay({ kind: 'gradient' }));
    assert.equal(c.min, 0);
    assert.equal(c.max, 10);
    assert.equal(c.colorOf(0), GREEN);
    assert.equal(c.colorOf(10), RED);
    const low = overlayColors(overlay({ kind: 'gradient' }, false));
    assert.equal(low.colorOf(0), RED);
    assert.equal(low.colorOf(10), GREEN);
    assert.equal(c.legend.length, 5);
    assert.equal(c.legend[0]!.label, '0 ms');
    assert.equal(c.legend[4]!.label, '10 ms');
  });

  it('thresholds: k thresholds make k+1 bins, a value equal to a threshold goes up', () => {
    const c = overlayColors(overlay({ kind: 'thresholds', thresholds: [5, 2] }));
    assert.equal(c.legend.length, 3);
    assert.deepEqual(
      c.legend.map((l) => l.label),
      ['< 2 ms', '2 ms – 5 ms', '≥ 5 ms'],
    );
    assert.equal(c.colorOf(1), GREEN);
    assert.equal(c.colorOf(2), c.legend[1]!.color);
    assert.equal(c.colorOf(5), RED);
    assert.equal(c.colorOf(1e9), RED);
  });

  it('a constant overlay does not divide by zero', () => {
    const c = overlayColors(overlay({ kind: 'gradient' }, true, { a: 3, b: 3 }));
    assert.match(c.colorOf(3), /^rgb\(/);
    assert.equal(c.legend.length, 1);
  });

  it('matches nodes by name, then #id for unnamed nodes; ignores non-finite values', () => {
    const b = new GraphViewBuilder();
    const x = b.input('x', {});
    const [t] = b.node('Relu', 'named', '', [x], ['t']);
    b.node('Relu', '', '', [t!], ['u']);
    const index = new GraphIndex(b.build());
    const o = overlay({ kind: 'gradient' }, true, { named: 1, '#1': 2, other: 3, bad: Number.NaN });
    assert.equal(overlayValue(index, o, 0), 1);
    assert.equal(overlayValue(index, o, 1), 2);
    const paints = overlayPaints(index, o);
    assert.equal(paints.size, 2);
    assert.equal(overlayPaints(new GraphIndex(scopedGraph()), overlay({ kind: 'gradient' })).size, 3);
  });

  it('picks a readable text colour', () => {
    assert.equal(textOn('rgb(255, 255, 255)'), '#1b1b1b');
    assert.equal(textOn('rgb(20, 20, 60)'), '#ffffff');
  });
});
