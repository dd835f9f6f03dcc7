/** Compare Models: nodes matched by name (unnamed ones by op type and position), then what changed in each pair. */
import type { OnnxModel } from '../model';
import { onnx } from '../proto/onnx';
import { nodeOrder } from '../shape-inference/infer';
import { tensorDims } from '../shape-inference/constants';
import { dataTypeName } from '../tensor/dtypes';
import { formatAttribute } from './node-detail';
import { resolveGraph, subgraphPaths, type ResolvedGraph } from './resolve';
import type { Node, Attribute } from '../onnx-types';


export interface GraphDiff {
  /** Nodes only in B (name, or `OpType #k` for unnamed ones). */
  readonly added: string[];
  /** Nodes only in A. */
  readonly removed: string[];
  readonly changed: { node: string; changes: string[] }[];
  /** Matched node indices (A, B), for synchronised navigation in a split view. */
  readonly pairs: { a: number; b: number }[];
}

interface Keyed {
  key: string;
  label: string;
  index: number;
}

/** Keys in topological order: the name (with `#k` for repeats), or `op_type #k` for unnamed nodes. */
function keysOf(nodes: readonly Node[]): Keyed[] {
  const order = nodeOrder(nodes) ?? nodes.map((_, i) => i);
  const seen = new Map<string, number>();
  return order.map((index) => {
    const n = nodes[index]!;
    const base = n.name ? `n:${n.name}` : `op:${n.domain ?? ''}:${n.opType ?? ''}`;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    const key = `${base}#${k}`;
    const label = n.name ? (k > 1 ? `${n.name} #${k}` : n.name) : `${n.opType ?? '?'} #${k}`;
    return { key, label, index };
  });
}

function initializerMap(r: ResolvedGraph): Map<string, onnx.TensorProto.$Properties> {
  const m = new Map<string, onnx.TensorProto.$Properties>();
  for (const level of r.levels) for (const t of level.graph.initializer ?? []) if (t.name) m.set(t.name, t);
  return m;
}

function tensorTypeText(t: onnx.TensorProto.$Properties): string {
  return `${dataTypeName(t.dataType ?? 0)}[${tensorDims(t).join(',')}]`;
}

function encodeAttr(a: Attribute): Uint8Array {
  try {
    return onnx.AttributeProto.encode({ ...a, docString: '' }).finish();
  } catch {
    return new Uint8Array();
  }
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function attributeChanges(a: Node, b: Node, ia: number, ib: number, pa: string, pb: string): string[] {
  const out: string[] = [];
  const subsA = subgraphPaths(pa, a, ia);
  const subsB = subgraphPaths(pb, b, ib);
  const mapA = new Map((a.attribute ?? []).map((x) => [x.name ?? '', x]));
  const mapB = new Map((b.attribute ?? []).map((x) => [x.name ?? '', x]));
  for (const [name, x] of mapA) {
    const y = mapB.get(name);
    const tx = formatAttribute(x, ia, subsA).text;
    if (!y) {
      out.push(`attribute ${name} removed (was ${tx})`);
      continue;
    }
    const ty = formatAttribute(y, ib, subsB).text;
    if (tx !== ty) out.push(`attribute ${name}: ${tx} → ${ty}`);
    else if (!sameBytes(encodeAttr(x), encodeAttr(y))) out.push(`attribute ${name}: value changed (${tx})`);
  }
  for (const [name, y] of mapB) if (!mapA.has(name)) out.push(`attribute ${name} added: ${formatAttribute(y, ib, subsB).text}`);
  return out;
}

/** Differences between the graphs at `path` of two models. */
export function graphDiff(modelA: OnnxModel, modelB: OnnxModel, path = 'main'): GraphDiff {
  return graphDiffOfProtos(modelA.proto, modelB.proto, path);
}

export function graphDiffOfProtos(protoA: onnx.ModelProto.$Properties, protoB: onnx.ModelProto.$Properties, path = 'main'): GraphDiff {
  const ra = resolveGraph(protoA, path);
  const rb = resolveGraph(protoB, path);
  const na = ra.graph.node ?? [];
  const nb = rb.graph.node ?? [];
  const ka = keysOf(na);
  const kb = keysOf(nb);
  const byKeyB = new Map(kb.map((k) => [k.key, k]));
  const initA = initializerMap(ra);
  const initB = initializerMap(rb);
  const matchedB = new Set<string>();
  const removed: string[] = [];
  const changed: { node: string; changes: string[] }[] = [];
  const pairs: { a: number; b: number }[] = [];
  for (const x of ka) {
    const y = byKeyB.get(x.key);
    if (!y) {
      removed.push(x.label);
      continue;
    }
    matchedB.add(y.key);
    pairs.push({ a: x.index, b: y.index });
    const a = na[x.index]!;
    const b = nb[y.index]!;
    const changes: string[] = [];
    if ((a.opType ?? '') !== (b.opType ?? '')) changes.push(`op type: ${a.opType ?? ''} → ${b.opType ?? ''}`);
    if ((a.domain ?? '') !== (b.domain ?? '')) changes.push(`domain: ${a.domain || 'ai.onnx'} → ${b.domain || 'ai.onnx'}`);
    changes.push(...attributeChanges(a, b, x.index, y.index, path, path));
    const ia = a.input ?? [];
    const ib = b.input ?? [];
    if (ia.length !== ib.length) changes.push(`inputs: ${ia.length} → ${ib.length}`);
    for (let i = 0; i < Math.min(ia.length, ib.length); i++) {
      const ta = ia[i] ? initA.get(ia[i]!) : undefined;
      const tb = ib[i] ? initB.get(ib[i]!) : undefined;
      if (ta && tb) {
        const sa = tensorTypeText(ta);
        const sb = tensorTypeText(tb);
        if (sa !== sb) changes.push(`input ${i} (${ib[i]}): ${sa} → ${sb}`);
      } else if (ta && !tb) changes.push(`input ${i}: initializer ${ia[i]} (${tensorTypeText(ta)}) → computed ${ib[i] || '(omitted)'}`);
      else if (!ta && tb) changes.push(`input ${i}: computed ${ia[i] || '(omitted)'} → initializer ${ib[i]} (${tensorTypeText(tb)})`);
    }
    if ((a.output ?? []).length !== (b.output ?? []).length) changes.push(`outputs: ${(a.output ?? []).length} → ${(b.output ?? []).length}`);
    if (changes.length > 0) changed.push({ node: y.label === x.label ? x.label : `${x.label} → ${y.label}`, changes });
  }
  const added = kb.filter((k) => !matchedB.has(k.key)).map((k) => k.label);
  return { added, removed, changed, pairs };
}
