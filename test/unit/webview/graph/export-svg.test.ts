import assert from 'node:assert/strict';
import { GraphViewBuilder, HOSTILE_TEXT } from '../../../../bench/graph-models';
import { escapeXml, sceneToSvg } from '../../../../webview/graph/export-svg';
import { GraphIndex } from '../../../../webview/graph/graph-index';
import { expandAll } from '../../../../webview/graph/hierarchy';
import { runLayout } from '../../../../webview/graph/layout-run';
import { composeScene } from '../../../../webview/graph/scene';
import { computeVisibleGraph } from '../../../../webview/graph/visible-graph';
import { edgeLabelText } from '../../../../webview/graph/edge-labels';
import { containerInput } from '../../../../webview/graph/layout-plan';
import type { LayoutOutput } from '../../../../webview/graph/layout-types';
import { boxes, theme } from './fixtures';

describe('graph-ui: SVG export', () => {
  it('escapes markup characters and drops characters XML forbids', () => {
    assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    assert.equal(escapeXml('a\u0000b\u0008c\u000Bd'), 'a\uFFFDb\uFFFDc\uFFFDd');
    assert.equal(escapeXml('tab\tnewline\n'), 'tab\tnewline\n');
    assert.equal(escapeXml('\uD800x'), '\uFFFDx', 'a lone surrogate');
    assert.equal(escapeXml('😀'), '😀', 'a surrogate pair stays');
  });

  it('writes model strings as text: hostile names, scopes and tensor names stay inert', () => {
    const b = new GraphViewBuilder('main', `${HOSTILE_TEXT} graph`);
    const x = b.input(`${HOSTILE_TEXT}_in`, { shape: [1] });
    const [y] = b.node('Relu', HOSTILE_TEXT, `/${HOSTILE_TEXT}`, [x], [['y', { shape: [1] }]]);
    const [z] = b.node(`Op"><script>alert(1)</script>`, 'z', '', [y!], [['z', { shape: [1] }]]);
    b.output(z!);
    const index = new GraphIndex(b.build());
    const vg = computeVisibleGraph(index, expandAll(index));
    const bx = boxes(index, true);
    const layouts = new Map<number, LayoutOutput>();
    for (const c of [...vg.containers].reverse()) {
      layouts.set(c.id, runLayout('layered', containerInput(index, c, bx, layouts).input));
    }
    const scene = composeScene(index, vg, layouts, bx);
    const svg = sceneToSvg(scene, index, bx, theme(), {
      title: index.view.name,
      overlay: null,
      marks: null,
      edgeLabel: (e) => edgeLabelText(index.view.tensors[scene.edgeTensor[e]!], scene.edgeMulti[e]!),
    });
    assert.ok(!svg.includes('<img'), 'no img element');
    assert.ok(!svg.includes('<script'), 'no script element');
    assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the name is there, as text');
    assert.ok(svg.includes('font-family="&quot;Segoe UI&quot;, sans-serif"'), 'attribute values are escaped too');
    const tags = new Set([...svg.matchAll(/<([a-zA-Z]+)/g)].map((m) => m[1]));
    assert.deepEqual([...tags].sort(), ['g', 'path', 'rect', 'svg', 'text', 'title']);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
  });
});
