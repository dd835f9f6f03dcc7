/** Node details on request: attributes formatted for display, with links to tensors and subgraphs. */
import type { AttributeView, NodeDetail } from './graph-types';
import { longToBigInt } from '../long';
import type { OnnxModel } from '../model';
import { onnx } from '../proto/onnx';
import { inlineConst, tensorDims } from '../shape-inference/constants';
import { dataTypeName } from '../tensor/dtypes';
import { describeType } from '../types-text';
import { elementFormatter, formatFloat32, listText } from './format';
import { resolveGraph, subgraphPaths } from './resolve';
import type { Attribute, TensorProto } from '../onnx-types';

const T = onnx.AttributeProto.AttributeType;

/** Tensor elements shown inline in an attribute's text. */
const INLINE_VALUES = 8;

/** Reference to a tensor held in a node attribute: `@<nodeId>:<attr>` (`:<i>` for one of a TENSORS list). */
export function attributeTensorRef(nodeId: number, attr: string, index?: number): string {
  return `@${nodeId}:${attr}${index === undefined ? '' : `:${index}`}`;
}

/** Parses an attribute tensor reference; undefined when `ref` is not one. */
export function parseTensorRef(ref: string): { nodeId: number; attr: string; index?: number } | undefined {
  const m = /^@(\d+):(.*?)(?::(\d+))?$/.exec(ref);
  if (!m) return undefined;
  return { nodeId: Number(m[1]), attr: m[2]!, index: m[3] === undefined ? undefined : Number(m[3]) };
}

function present(a: Attribute, key: keyof Attribute): boolean {
  if (!Object.prototype.hasOwnProperty.call(a, key)) return false;
  const v = a[key];
  if (v === null || v === undefined) return false;
  return !Array.isArray(v) || v.length > 0;
}

/** The attribute's type, guessed from its fields when the model leaves `type` unset (very old exporters). */
export function attributeType(a: Attribute): number {
  if (a.type) return a.type;
  const order: [keyof Attribute, number][] = [
    ['f', T.FLOAT], ['i', T.INT], ['s', T.STRING], ['t', T.TENSOR], ['g', T.GRAPH], ['sparseTensor', T.SPARSE_TENSOR],
    ['tp', T.TYPE_PROTO], ['floats', T.FLOATS], ['ints', T.INTS], ['strings', T.STRINGS], ['tensors', T.TENSORS],
    ['graphs', T.GRAPHS], ['sparseTensors', T.SPARSE_TENSORS], ['typeProtos', T.TYPE_PROTOS],
  ];
  for (const [k, t] of order) if (present(a, k)) return t;
  return T.UNDEFINED;
}

function bytesText(b: Uint8Array | null | undefined): string {
  return JSON.stringify(Buffer.from(b ?? new Uint8Array()).toString('utf8'));
}

function tensorText(t: TensorProto): string {
  const dims = tensorDims(t);
  let text = `tensor ${dataTypeName(t.dataType ?? 0)}[${dims.join(',')}]`;
  const v = dims.reduce((a, b) => a * b, 1) <= INLINE_VALUES ? inlineConst(t) : undefined;
  if (v) {
    const fmt = elementFormatter(t.dataType ?? 0);
    const items = v.values.map((x) => fmt(x ?? NaN));
    text += ` = ${dims.length === 0 ? (items[0] ?? '') : listText(items)}`;
  }
  return text;
}

function sparseText(s: onnx.SparseTensorProto.$Properties): string {
  const dims = (s.dims ?? []).map((d) => Number(longToBigInt(d)));
  const nnz = s.values?.dims?.[0];
  return `sparse tensor ${dataTypeName(s.values?.dataType ?? 0)}[${dims.join(',')}]${nnz !== undefined ? ` (${Number(longToBigInt(nnz))} values)` : ''}`;
}

/** One attribute as display text; `graphPath` and `nodeId` locate it for tensor references and subgraph paths. */
export function formatAttribute(a: Attribute, nodeId: number, subgraphs: readonly { attr: string; path: string }[]): AttributeView {
  const name = a.name ?? '';
  const type = attributeType(a);
  const typeName = (T as unknown as Record<number, string>)[type] ?? `UNKNOWN(${type})`;
  if (a.refAttrName) return { name, type: typeName, text: `→ ${a.refAttrName} (function attribute)` };
  switch (type) {
    case T.FLOAT:
      return { name, type: typeName, text: formatFloat32(a.f ?? 0) };
    case T.INT:
      return { name, type: typeName, text: longToBigInt(a.i ?? 0).toString() };
    case T.STRING:
      return { name, type: typeName, text: bytesText(a.s) };
    case T.FLOATS:
      return { name, type: typeName, text: listText((a.floats ?? []).map(formatFloat32)) };
    case T.INTS:
      return { name, type: typeName, text: listText((a.ints ?? []).map((v) => longToBigInt(v).toString())) };
    case T.STRINGS:
      return { name, type: typeName, text: listText((a.strings ?? []).map(bytesText)) };
    case T.TENSOR:
      return a.t ? { name, type: typeName, text: tensorText(a.t), tensorRef: attributeTensorRef(nodeId, name) } : { name, type: typeName, text: 'tensor ?' };
    case T.TENSORS: {
      const ts = a.tensors ?? [];
      return {
        name,
        type: typeName,
        text: listText(ts.map(tensorText), 16),
        ...(ts.length > 0 ? { tensorRef: attributeTensorRef(nodeId, name, 0) } : {}),
      };
    }
    case T.SPARSE_TENSOR:
      return a.sparseTensor ? { name, type: typeName, text: sparseText(a.sparseTensor), tensorRef: attributeTensorRef(nodeId, name) } : { name, type: typeName, text: 'sparse tensor ?' };
    case T.SPARSE_TENSORS:
      return { name, type: typeName, text: listText((a.sparseTensors ?? []).map(sparseText), 16) };
    case T.GRAPH:
    case T.GRAPHS: {
      const paths = subgraphs.filter((s) => s.attr === name).map((s) => s.path);
      const graphs = type === T.GRAPH ? (a.g ? [a.g] : []) : (a.graphs ?? []);
      const text = graphs.map((g) => `graph${g.name ? ` ${JSON.stringify(g.name)}` : ''} (${g.node?.length ?? 0} nodes)`).join(', ');
      return { name, type: typeName, text: type === T.GRAPHS ? `[${text}]` : text || 'graph ?', graphs: paths };
    }
    case T.TYPE_PROTO:
      return { name, type: typeName, text: describeType(a.tp ?? undefined).text };
    case T.TYPE_PROTOS:
      return { name, type: typeName, text: listText((a.typeProtos ?? []).map((t) => describeType(t).text)) };
    default:
      return { name, type: typeName, text: '?' };
  }
}

/** Details of node `nodeId` (its index) of the graph at `path`. */
export function nodeDetail(model: OnnxModel, path: string, nodeId: number): NodeDetail {
  return nodeDetailOfProto(model.proto, path, nodeId);
}

export function nodeDetailOfProto(proto: onnx.ModelProto.$Properties, path: string, nodeId: number): NodeDetail {
  const r = resolveGraph(proto, path);
  const n = r.graph.node?.[nodeId];
  if (!n) throw new RangeError(`graph '${path}' has no node #${nodeId}`);
  const subs = subgraphPaths(path, n, nodeId);
  return {
    graphPath: path,
    nodeId,
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain && n.domain !== 'ai.onnx' ? n.domain : '',
    docString: n.docString ?? '',
    attributes: (n.attribute ?? []).map((a) => formatAttribute(a, nodeId, subs)),
  };
}
