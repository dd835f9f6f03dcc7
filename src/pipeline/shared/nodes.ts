/** Small helpers over NodeProto: attributes, domains, subgraph references (pure). */
import { longToNumber, toLong } from '../../core/long';
import { onnx } from '../../core/proto/onnx';
import type { Node, Attribute, Graph } from '../../core/onnx-types';
export type { Node, Attribute, Graph } from '../../core/onnx-types';


const AttrType = onnx.AttributeProto.AttributeType;

/** Whether the node is an operator of the default ONNX domain ('' or 'ai.onnx'). */
export function isOnnxOp(n: Node, opType?: string): boolean {
  const d = n.domain ?? '';
  return (d === '' || d === 'ai.onnx') && (opType === undefined || n.opType === opType);
}

export function findAttr(n: Node, name: string): Attribute | undefined {
  return (n.attribute ?? []).find((a) => a.name === name);
}

export function intAttr(n: Node, name: string, dflt: number): number {
  const a = findAttr(n, name);
  return a && a.i !== undefined && a.i !== null ? longToNumber(a.i) : dflt;
}

export function floatAttr(n: Node, name: string, dflt: number): number {
  const a = findAttr(n, name);
  return a && typeof a.f === 'number' ? a.f : dflt;
}

/** INTS attribute as numbers, or undefined when absent. */
export function intsAttr(n: Node, name: string): number[] | undefined {
  const a = findAttr(n, name);
  return a ? (a.ints ?? []).map((v) => longToNumber(v)) : undefined;
}

export function makeIntAttr(name: string, v: number): Attribute {
  return { name, type: AttrType.INT, i: toLong(v) };
}

export function makeIntsAttr(name: string, v: readonly number[]): Attribute {
  return { name, type: AttrType.INTS, ints: v.map((x) => toLong(x)) };
}

export function makeFloatAttr(name: string, v: number): Attribute {
  return { name, type: AttrType.FLOAT, f: v };
}

/** The node's attributes with `name` replaced by `attr` (or removed when `attr` is undefined). */
export function withAttr(n: Node, name: string, attr: Attribute | undefined): Attribute[] {
  const rest = (n.attribute ?? []).filter((a) => a.name !== name);
  return attr ? [...rest, attr] : rest;
}

/** Whether any attribute of the node holds a graph (If/Loop/Scan bodies). */
export function hasSubgraph(n: Node): boolean {
  return (n.attribute ?? []).some((a) => !!a.g || (a.graphs?.length ?? 0) > 0);
}

/**
 * Names a node's subgraphs may read from enclosing scopes: every node input and graph output named inside them,
 * recursively (a superset of the true outer references, which is what the passes need to stay safe).
 */
export function subgraphReferences(n: Node, into = new Set<string>()): Set<string> {
  const stack: Graph[] = [];
  for (const a of n.attribute ?? []) {
    if (a.g) stack.push(a.g);
    for (const g of a.graphs ?? []) stack.push(g);
  }
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const o of g.output ?? []) if (o.name) into.add(o.name);
    for (const inner of g.node ?? []) {
      for (const i of inner.input ?? []) if (i) into.add(i);
      for (const a of inner.attribute ?? []) {
        if (a.g) stack.push(a.g);
        for (const sg of a.graphs ?? []) stack.push(sg);
      }
    }
  }
  return into;
}
