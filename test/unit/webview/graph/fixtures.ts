/** Small GraphViews and helpers for the graph-ui tests (built with bench/graph-models' builder). */
import { GraphViewBuilder } from '../../../../bench/graph-models';
import type { GraphView } from '../../../../src/protocol/graph';
import { ItemBoxes, type Measure } from '../../../../webview/graph/item-boxes';
import type { GraphIndex } from '../../../../webview/graph/graph-index';
import { OP_CATEGORIES, type GraphTheme } from '../../../../webview/graph/theme';
import type { OpCategory } from '../../../../src/protocol/graph';

/** 7 px per character, like a small UI font. */
export const measure: Measure = (text) => text.length * 7;

export function boxes(index: GraphIndex, names = false): ItemBoxes {
  return new ItemBoxes(index, names, measure);
}

/**
 * input x → /a/conv (Conv) → /a/relu (Relu) → /b/add (Add, also reads x) → top (Softmax) → output y
 *                                         └→ /b/inner/mul (Mul) → /b/add
 */
export function scopedGraph(): GraphView {
  const b = new GraphViewBuilder();
  const x = b.input('x', { shape: [1, 3, 8, 8] });
  const [c] = b.node('Conv', 'conv', '/a', [x, b.weight('w', [3, 3, 1, 1])], [['c', { shape: [1, 3, 8, 8] }]]);
  const [r] = b.node('Relu', 'relu', '/a', [c!], [['r', { shape: [1, 3, 8, 8] }]]);
  const [m] = b.node('Mul', 'mul', '/b/inner', [r!], [['m', { shape: [1, 3, 8, 8] }]]);
  const [s] = b.node('Add', 'add', '/b', [r!, m!, x], [['s', { shape: [1, 3, 8, 8] }]]);
  const [y] = b.node('Softmax', 'top', '', [s!], [['y', { shape: [1, 3, 8, 8] }]]);
  b.output(y!);
  return b.build();
}

export function theme(): GraphTheme {
  const categories = {} as Record<OpCategory, { color: string; fill: string }>;
  for (const c of OP_CATEGORIES) categories[c] = { color: '#3794ff', fill: '#22334a' };
  return {
    background: '#1e1e1e',
    foreground: '#d4d4d4',
    muted: '#9d9d9d',
    edge: '#858585',
    edgeHighlight: '#3794ff',
    selection: '#3794ff',
    searchHit: '#d18616',
    frameFill: ['#222222', '#262626'],
    frameStroke: '#444444',
    groupFill: '#22334a',
    groupStroke: '#3794ff',
    inputFill: '#2a3a2a',
    outputFill: '#3a2a1a',
    ioStroke: '#777777',
    labelBackground: '#1e1e1e',
    added: '#81b88b',
    removed: '#c74e39',
    changed: '#e2c08d',
    fontFamily: '"Segoe UI", sans-serif',
    monoFamily: 'monospace',
    categories,
  };
}
