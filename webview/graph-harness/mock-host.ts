/**
 * A GraphHost for the harness: synthetic attributes and doc strings (with hostile text in the small
 * model), tensor statistics computed from seeded random values, subgraphs from bench/graph-models, and a
 * log of every call (window.__harness.calls) so checks can see what the component asked for.
 */
import { HOSTILE_TEXT, subgraphView } from '../../bench/graph-models';
import type { AttributeView, GraphView, NodeDetail, TensorDetail } from '../../src/protocol/graph';
import type { ExportKind, GraphHost } from '../graph/index';

export interface HostCall {
  readonly method: string;
  readonly args: readonly (string | number)[];
  /** For saveExport: characters or bytes received. */
  readonly size?: number;
  /** For saveExport('svg'): the document. */
  readonly text?: string;
}

export class MockHost implements GraphHost {
  readonly calls: HostCall[] = [];
  private readonly views = new Map<string, GraphView>();

  constructor(main: GraphView) {
    this.views.set(main.path, main);
  }

  async nodeDetail(path: string, nodeId: number): Promise<NodeDetail> {
    this.calls.push({ method: 'nodeDetail', args: [path, nodeId] });
    const view = this.views.get(path);
    const node = view?.nodes[nodeId];
    if (!view || !node) throw new Error(`No node ${nodeId} in ${path}.`);
    return {
      graphPath: path,
      nodeId,
      name: node.name,
      opType: node.opType,
      domain: node.domain,
      docString: view.name === 'small' ? `Doc of ${node.opType}: ${HOSTILE_TEXT} & "quotes"\nsecond line` : '',
      attributes: attributesOf(node.opType, node.subgraphs ?? []),
    };
  }

  async tensorDetail(path: string, tensorName: string): Promise<TensorDetail> {
    this.calls.push({ method: 'tensorDetail', args: [path, tensorName] });
    const view = this.views.get(path);
    const t = view?.tensors.find((x) => x.name === tensorName);
    const shape = (t?.shape ?? [4]).map((d) => (typeof d === 'number' ? d : 1));
    const size = shape.reduce((a, b) => a * b, 1);
    const n = Math.min(size, 200_000);
    const values = new Float64Array(n);
    let seed = hash(tensorName);
    for (let i = 0; i < n; i++) {
      seed = (seed * 16807) % 2147483647;
      const u = seed / 2147483647;
      seed = (seed * 16807) % 2147483647;
      const v = seed / 2147483647;
      values[i] = i % 10 === 0 ? 0 : Math.sqrt(-2 * Math.log(u + 1e-12)) * Math.cos(2 * Math.PI * v) * 0.05;
    }
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let zeros = 0;
    for (const x of values) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      if (x === 0) zeros++;
    }
    const mean = sum / n;
    let sq = 0;
    for (const x of values) sq += (x - mean) ** 2;
    const counts = new Array<number>(32).fill(0);
    for (const x of values) counts[Math.min(31, Math.floor(((x - min) / (max - min || 1)) * 32))]!++;
    return {
      name: tensorName,
      elemType: t?.elemType ?? 'float32',
      shape,
      size,
      stats: { min, max, mean, std: Math.sqrt(sq / n), sparsity: zeros / n, nan: 0 },
      histogram: { min, max, counts },
      preview: Array.from(values.slice(0, 8), (x) => x.toPrecision(4)),
      ...(size > n ? { note: `Statistics over the first ${n} values.` } : {}),
    };
  }

  async openGraph(path: string): Promise<GraphView> {
    this.calls.push({ method: 'openGraph', args: [path] });
    let view = this.views.get(path);
    if (!view) {
      if (path.startsWith('function:')) view = subgraphView(path, [{ path: 'main', label: 'main' }]);
      else {
        const parts = path.split('/');
        const crumbs = parts.slice(0, -1).map((_, i) => {
          const p = parts.slice(0, i + 1).join('/');
          return { path: p, label: i === 0 ? 'main' : p.slice(p.lastIndexOf(':') + 1) };
        });
        view = subgraphView(path, crumbs);
      }
      this.views.set(path, view);
    }
    return view;
  }

  async saveNpy(path: string, tensorName: string): Promise<void> {
    this.calls.push({ method: 'saveNpy', args: [path, tensorName] });
  }

  async saveExport(kind: ExportKind, data: string | Uint8Array): Promise<void> {
    this.calls.push({ method: 'saveExport', args: [kind], size: data.length, ...(typeof data === 'string' ? { text: data } : {}) });
  }
}

function attributesOf(opType: string, subgraphs: readonly { attr: string; path: string }[]): AttributeView[] {
  switch (opType) {
    case 'Conv':
      return [
        { name: 'kernel_shape', type: 'INTS', text: '[3, 3]' },
        { name: 'strides', type: 'INTS', text: '[1, 1]' },
        { name: 'pads', type: 'INTS', text: '[1, 1, 1, 1]' },
        { name: 'auto_pad', type: 'STRING', text: `"NOTSET"` },
      ];
    case 'Gemm':
      return [
        { name: 'alpha', type: 'FLOAT', text: '1.0' },
        { name: 'transB', type: 'INT', text: '1' },
      ];
    case 'Softmax':
      return [{ name: 'axis', type: 'INT', text: '-1' }];
    case 'GlobalAveragePool':
      return [{ name: 'note', type: 'STRING', text: JSON.stringify(HOSTILE_TEXT) }];
    case 'Constant':
      return [{ name: 'value', type: 'TENSOR', text: 'tensor float32[4]', tensorRef: 'const_value' }];
    default:
      return subgraphs.map((s) => ({ name: s.attr, type: 'GRAPH', text: `graph ${s.path}`, graphs: [s.path] }));
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % 2147483646 || 1;
}
