/**
 * Find in the graph: case-insensitive substring over node names, op types and tensor names; a shape query
 * (`1,3,224,224`, `[1, 3, 224, 224]`, `1x3x224x224`, `batch,seq,768`, `?` = any dim) matches tensors of
 * exactly that shape. Each hit names the node to jump to (a tensor's producer, else its first consumer).
 * Lower-cased strings are computed once per graph. Pure: no DOM.
 */
import type { DimText, GraphView } from '../../src/protocol/graph';

export interface SearchHit {
  readonly kind: 'node' | 'tensor';
  /** Node id or tensor id. */
  readonly id: number;
  /** Node to select and reveal (-1: nothing to jump to, e.g. an unused initializer). */
  readonly node: number;
  readonly label: string;
  readonly detail: string;
}

export interface SearchResult {
  readonly query: string;
  readonly mode: 'text' | 'shape' | 'empty';
  readonly hits: readonly SearchHit[];
  /** All matches (hits are cut at the limit). */
  readonly total: number;
}

export type ShapeQuery = readonly (number | string | '?')[];

/** The dims of a shape query, or null when the query is not one. */
export function parseShapeQuery(query: string): ShapeQuery | null {
  let q = query.trim();
  const bracketed = /^[[(].*[\])]$/.test(q);
  if (bracketed) q = q.slice(1, -1).trim();
  if (bracketed && q === '') return [];
  if (/^\d+(\s*[x×]\s*\d+)+$/i.test(q)) return q.split(/\s*[x×]\s*/i).map(Number);
  const parts = q.split(/\s*[,×]\s*/);
  if (parts.length < 2 && !bracketed) return null;
  const dims: (number | string)[] = [];
  let numeric = 0;
  for (const p of parts) {
    if (/^\d+$/.test(p)) {
      dims.push(Number(p));
      numeric++;
    } else if (p === '?') dims.push('?');
    else if (/^[A-Za-z_][\w.-]*$/.test(p)) dims.push(p.toLowerCase());
    else return null;
  }
  return numeric > 0 || bracketed ? dims : null;
}

export function shapeMatches(shape: readonly DimText[] | null, query: ShapeQuery): boolean {
  if (!shape || shape.length !== query.length) return false;
  for (let i = 0; i < query.length; i++) {
    const q = query[i]!;
    const d = shape[i];
    if (q === '?') continue;
    if (typeof q === 'number' ? d !== q : typeof d !== 'string' || d.toLowerCase() !== q) return false;
  }
  return true;
}

export function formatShapeText(shape: readonly DimText[] | null): string {
  if (!shape) return '?';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

export class GraphSearch {
  private readonly nodeNames: string[];
  private readonly opTypes: string[];
  private readonly tensorNames: string[];

  constructor(private readonly view: GraphView) {
    this.nodeNames = view.nodes.map((n) => n.name.toLowerCase());
    this.opTypes = view.nodes.map((n) => n.opType.toLowerCase());
    this.tensorNames = view.tensors.map((t) => t.name.toLowerCase());
  }

  run(query: string, limit = 500): SearchResult {
    const q = query.trim();
    if (q === '') return { query, mode: 'empty', hits: [], total: 0 };
    const shape = parseShapeQuery(q);
    return shape ? this.byShape(query, shape, limit) : this.byText(query, q.toLowerCase(), limit);
  }

  private byText(query: string, q: string, limit: number): SearchResult {
    const view = this.view;
    const ranked: { hit: SearchHit; rank: number }[] = [];
    for (let n = 0; n < view.nodes.length; n++) {
      const name = this.nodeNames[n]!;
      const op = this.opTypes[n]!;
      const inName = name.indexOf(q);
      const inOp = op.indexOf(q);
      if (inName < 0 && inOp < 0 && `#${n}` !== q) continue;
      const rank = name === q || `#${n}` === q ? 0 : op === q ? 1 : inName === 0 ? 2 : 3;
      ranked.push({ hit: this.nodeHit(n), rank });
    }
    for (let t = 0; t < view.tensors.length; t++) {
      const name = this.tensorNames[t]!;
      const at = name.indexOf(q);
      if (at < 0) continue;
      ranked.push({ hit: this.tensorHit(t), rank: name === q ? 0.5 : at === 0 ? 4 : 5 });
    }
    ranked.sort((a, b) => a.rank - b.rank);
    return { query, mode: 'text', hits: ranked.slice(0, limit).map((r) => r.hit), total: ranked.length };
  }

  private byShape(query: string, shape: ShapeQuery, limit: number): SearchResult {
    const hits: SearchHit[] = [];
    let total = 0;
    for (const t of this.view.tensors) {
      if (!shapeMatches(t.shape, shape)) continue;
      total++;
      if (hits.length < limit) hits.push(this.tensorHit(t.id));
    }
    return { query, mode: 'shape', hits, total };
  }

  private nodeHit(n: number): SearchHit {
    const node = this.view.nodes[n]!;
    return { kind: 'node', id: n, node: n, label: node.name !== '' ? node.name : `${node.opType} #${n}`, detail: node.domain ? `${node.domain}::${node.opType}` : node.opType };
  }

  private tensorHit(t: number): SearchHit {
    const tensor = this.view.tensors[t]!;
    const node = tensor.producer >= 0 ? tensor.producer : (tensor.consumers[0] ?? -1);
    return {
      kind: 'tensor',
      id: t,
      node,
      label: tensor.name,
      detail: `${tensor.kind} · ${tensor.elemType ?? '?'} ${formatShapeText(tensor.shape)}`,
    };
  }
}
