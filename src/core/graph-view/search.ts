/** Find in the graph view: node names, op types, tensor names (substring, any case) and tensor shapes. */
import type { DimText, GraphView } from './graph-types';

export interface GraphSearchResult {
  readonly nodes: number[];
  readonly tensors: number[];
}

/** A dim pattern: a number matches that number; `?` any unknown or symbolic dim; `*` anything; a name that symbol. */
type DimPattern = number | '?' | '*' | { sym: string };

/**
 * Reads `1,3,224,224`, `[1, 3, 224, 224]`, `(N,3,?,?)`, `1x3x224x224` or `[]` as a shape; undefined when the
 * query is not written as a shape (a lone word or number is a name query).
 */
export function parseShapeQuery(query: string): DimPattern[] | undefined {
  let q = query.trim();
  const bracketed = /^[[(].*[\])]$/.test(q);
  if (bracketed) q = q.slice(1, -1).trim();
  let parts: string[];
  if (q.includes(',')) parts = q.split(',');
  else if (/^\d+(\s*x\s*\d+)+$/i.test(q)) parts = q.split(/x/i);
  else if (bracketed) parts = q === '' ? [] : [q];
  else return undefined;
  const out: DimPattern[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (/^-?\d+$/.test(p)) out.push(Number(p));
    else if (p === '?' || p === '*') out.push(p);
    else if (/^[A-Za-z_][\w.:-]*$/.test(p)) out.push({ sym: p.toLowerCase() });
    else return undefined;
  }
  return out;
}

function dimMatches(d: DimText, p: DimPattern): boolean {
  if (p === '*') return true;
  if (typeof p === 'number') return d === p;
  if (p === '?') return typeof d !== 'number';
  return typeof d === 'string' && d.toLowerCase() === p.sym;
}

export function shapeMatches(shape: readonly DimText[] | null, pattern: readonly DimPattern[]): boolean {
  if (!shape || shape.length !== pattern.length) return false;
  for (let i = 0; i < shape.length; i++) if (!dimMatches(shape[i]!, pattern[i]!)) return false;
  return true;
}

/** Nodes whose name or op type contains the query, tensors whose name contains it or whose shape it spells. */
export function graphSearch(view: GraphView, query: string): GraphSearchResult {
  const q = query.trim().toLowerCase();
  if (q === '') return { nodes: [], tensors: [] };
  const nodes: number[] = [];
  for (const n of view.nodes) {
    if (n.name.toLowerCase().includes(q) || n.opType.toLowerCase().includes(q)) nodes.push(n.id);
  }
  const pattern = parseShapeQuery(query);
  const tensors: number[] = [];
  for (const t of view.tensors) {
    if (t.name.toLowerCase().includes(q) || (pattern && shapeMatches(t.shape, pattern))) tensors.push(t.id);
  }
  return { nodes, tensors };
}
