/**
 * The laid-out graph (everything currently drawn, at any zoom) as a standalone SVG document: <rect> per
 * box, <path> per edge with arrowheads, <text> for labels. Every string is escaped (and characters XML
 * forbids are dropped), so model text cannot become markup. Pure: no DOM.
 */
import { GraphIndex, KIND_GROUP, KIND_NODE } from './graph-index';
import { FONT_SIZE, FRAME_HEADER, type ItemBoxes } from './item-boxes';
import { SvgPathBuilder, traceArrow, tracePath, traceStubDot } from './edge-path';
import { boxFill, boxRadius, boxStroke, type OverlayPaint } from './paint';
import type { EdgeLabel } from './renderer';
import { BOX_GROUP, BOX_INPUT, BOX_NODE, BOX_OUTPUT, type Scene } from './scene';
import type { GraphTheme } from './theme';

const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export interface SvgOptions {
  readonly title: string;
  readonly overlay: ReadonlyMap<number, OverlayPaint> | null;
  readonly marks: ReadonlyMap<number, string> | null;
  readonly edgeLabel: ((edge: number) => EdgeLabel | null) | null;
}

/** Hover text of a box in SVG viewers: the node name and op type, the scope, or the tensor name. */
function tooltip(index: GraphIndex, item: number): string {
  const kind = index.kind(item);
  if (kind === KIND_NODE) return `${index.nodeLabel(item)} (${index.node(item).opType})`;
  if (kind === KIND_GROUP) return index.group(index.groupOf(item)).path;
  return index.view.tensors[index.ioTensorOf(item)]!.name;
}

export function sceneToSvg(scene: Scene, index: GraphIndex, boxes: ItemBoxes, theme: GraphTheme, opts: SvgOptions): string {
  const pad = 20;
  const b = scene.bounds;
  const width = Math.ceil(b.maxX - b.minX + 2 * pad);
  const height = Math.ceil(b.maxY - b.minY + 2 * pad);
  const num = (v: number) => String(Math.round(v * 10) / 10);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${num(b.minX - pad)} ${num(b.minY - pad)} ${width} ${height}" font-family="${escapeXml(theme.fontFamily)}">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<rect x="${num(b.minX - pad)}" y="${num(b.minY - pad)}" width="${width}" height="${height}" fill="${escapeXml(theme.background)}"/>`,
  );
  const text = (x: number, y: number, content: string, attrs: string) =>
    `<text x="${num(x)}" y="${num(y)}" dominant-baseline="middle" ${attrs}>${escapeXml(content)}</text>`;

  out.push('<g class="frames">');
  for (let i = 0; i < scene.frameCount; i++) {
    const g = index.groupOf(scene.item[i]!);
    const mark = opts.marks?.get(scene.item[i]!);
    out.push(
      `<rect x="${num(scene.x[i]!)}" y="${num(scene.y[i]!)}" width="${num(scene.w[i]!)}" height="${num(scene.h[i]!)}" fill="${escapeXml(theme.frameFill[index.groupDepth[g]! % 2]!)}" stroke="${escapeXml(mark ?? theme.frameStroke)}"/>`,
      text(scene.x[i]! + 10, scene.y[i]! + FRAME_HEADER / 2, boxes.frameHeader(g), `font-size="${FONT_SIZE.group}" font-weight="600" fill="${escapeXml(theme.muted)}"`),
    );
  }
  out.push('</g>', `<g class="edges" fill="none" stroke="${escapeXml(theme.edge)}" stroke-width="1.2">`);
  const arrows = new SvgPathBuilder();
  for (let e = 0; e < scene.edgeCount; e++) {
    const path = new SvgPathBuilder();
    tracePath(path, scene.points, scene.edgeStart[e]!, scene.edgeStart[e + 1]!, true);
    traceArrow(arrows, scene.points, scene.edgeStart[e]!, scene.edgeStart[e + 1]!, true);
    if (scene.edgeStub[e]) traceStubDot(arrows, scene.points, scene.edgeStart[e]!);
    const d = path.toString();
    if (d !== '') out.push(`<path d="${d}"/>`);
  }
  out.push('</g>', `<path class="arrows" d="${arrows.toString()}" fill="${escapeXml(theme.edge)}"/>`);

  out.push('<g class="nodes">');
  for (let i = scene.frameCount; i < scene.count; i++) {
    const item = scene.item[i]!;
    const kind = scene.kind[i]!;
    const t = boxes.textOf(item);
    const x = scene.x[i]!;
    const y = scene.y[i]!;
    const w = scene.w[i]!;
    const h = scene.h[i]!;
    const mark = opts.marks?.get(item);
    const r = boxRadius(scene, i);
    out.push(`<g><title>${escapeXml(tooltip(index, item))}</title>`);
    if (kind === BOX_GROUP) out.push(`<rect x="${num(x + 4)}" y="${num(y + 4)}" width="${num(w)}" height="${num(h)}" rx="4" fill="${escapeXml(theme.frameStroke)}"/>`);
    out.push(
      `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="${num(r)}" fill="${escapeXml(boxFill(index, scene, i, theme, opts.overlay, false))}" stroke="${escapeXml(mark ?? boxStroke(index, scene, i, theme))}" stroke-width="${mark ? 3 : 1}"/>`,
    );
    const fg = escapeXml((kind === BOX_NODE && opts.overlay?.get(item)?.text) || theme.foreground);
    const muted = escapeXml(theme.muted);
    if (kind === BOX_NODE) {
      const two = boxes.showNames && t.line2 !== '';
      out.push(text(x + w / 2, y + (two ? h / 2 - 7 : h / 2), t.line1, `text-anchor="middle" font-size="${FONT_SIZE.op}" font-weight="600" fill="${fg}"`));
      if (two) out.push(text(x + w / 2, y + h / 2 + 8, t.line2, `text-anchor="middle" font-size="${FONT_SIZE.name}" fill="${muted}"`));
    } else if (kind === BOX_GROUP) {
      out.push(
        text(x + w / 2 - 7, y + h / 2 - 7, t.line1, `text-anchor="middle" font-size="${FONT_SIZE.group}" font-weight="600" fill="${fg}"`),
        text(x + w / 2 - 7, y + h / 2 + 8, t.line2, `text-anchor="middle" font-size="${FONT_SIZE.small}" fill="${muted}"`),
      );
    } else if (kind === BOX_INPUT || kind === BOX_OUTPUT) {
      out.push(text(x + w / 2, y + h / 2, t.line1, `text-anchor="middle" font-size="${FONT_SIZE.small}" fill="${fg}"`));
    }
    out.push('</g>');
  }
  out.push('</g>');

  if (opts.edgeLabel) {
    out.push(`<g class="edge-labels" font-family="${escapeXml(theme.monoFamily)}" font-size="${FONT_SIZE.small}">`);
    for (let e = 0; e < scene.edgeCount; e++) {
      const label = opts.edgeLabel(e);
      if (!label) continue;
      const attrs = label.inferred ? `fill="${escapeXml(theme.muted)}" font-style="italic"` : `fill="${escapeXml(theme.foreground)}"`;
      out.push(text(scene.edgeMid[2 * e]! + 6, scene.edgeMid[2 * e + 1]!, label.text, attrs));
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

