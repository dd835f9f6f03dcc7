/**
 * Synthetic GraphView objects (the protocol of src/protocol/graph.ts) for the graph benchmark, the harness
 * page and the unit tests — built directly, without an ONNX file, and shaped like what buildGraphView
 * produces: name-scope groups, artificial groups when a scope has more than 1,000 children.
 *
 *   small        ~30 nodes: a CNN stem, an If with two subgraphs, a function call, hostile strings
 *   flat-1k      1,000 nodes, no scopes (a ResNet-like chain of residual blocks)
 *   flat-10k     10,000 nodes, no scopes → ten artificial groups of 1,000
 *   wide-10k     10,000 nodes, no scopes, 40 parallel branches with cross links (10k boxes on screen)
 *   scoped-100k  100,000 nodes in a transformer-like tree /encoder/layer.N/attention/self/…
 * Pure: no DOM, no Node APIs.
 */
import type { DimText, GraphView, GvGroup, GvNode, GvTensor, OpCategory } from '../src/protocol/graph';

export type SyntheticModel = 'small' | 'flat-1k' | 'flat-10k' | 'wide-10k' | 'scoped-100k';
export const SYNTHETIC_MODELS: readonly SyntheticModel[] = ['small', 'flat-1k', 'flat-10k', 'wide-10k', 'scoped-100k'];

/** A string that must show up literally wherever the UI prints model text. */
export const HOSTILE_TEXT = '<img src=x onerror=alert(1)>';

const MAX_CHILDREN = 1000;

const CATEGORY: Readonly<Record<string, OpCategory>> = {
  Conv: 'conv',
  ConvTranspose: 'conv',
  MatMul: 'linear',
  Gemm: 'linear',
  Relu: 'activation',
  Gelu: 'activation',
  Sigmoid: 'activation',
  Softmax: 'activation',
  Erf: 'activation',
  BatchNormalization: 'normalization',
  LayerNormalization: 'normalization',
  MaxPool: 'pool',
  GlobalAveragePool: 'pool',
  Add: 'elementwise',
  Sub: 'elementwise',
  Mul: 'elementwise',
  Div: 'elementwise',
  Pow: 'elementwise',
  Sqrt: 'elementwise',
  ReduceMean: 'reduce',
  Shape: 'shape',
  Reshape: 'shape',
  Flatten: 'shape',
  Unsqueeze: 'shape',
  Squeeze: 'shape',
  Transpose: 'tensor',
  Concat: 'tensor',
  Gather: 'tensor',
  Slice: 'tensor',
  If: 'control',
  Loop: 'control',
  QuantizeLinear: 'quantization',
  DequantizeLinear: 'quantization',
  Equal: 'logic',
  Where: 'logic',
  Constant: 'constant',
};

interface TensorSpec {
  readonly elemType?: string | null;
  readonly shape?: readonly DimText[] | null;
  readonly source?: GvTensor['shapeSource'];
}

/** Builds a GraphView node by node; groups come from scope paths. */
export class GraphViewBuilder {
  private readonly nodes: { name: string; opType: string; domain: string; inputs: number[]; outputs: number[]; scope: string; extra: Partial<GvNode> }[] = [];
  private readonly tensors: { name: string; elemType: string | null; shape: readonly DimText[] | null; shapeSource: GvTensor['shapeSource']; kind: GvTensor['kind'] }[] = [];
  private readonly tensorByName = new Map<string, number>();
  private readonly graphInputs: number[] = [];
  private readonly graphOutputs: number[] = [];

  constructor(
    private readonly path = 'main',
    private readonly name = 'graph',
    private readonly breadcrumb: GraphView['breadcrumb'] = [{ path: 'main', label: 'main' }],
  ) {}

  tensor(name: string, kind: GvTensor['kind'], spec: TensorSpec = {}): number {
    const existing = this.tensorByName.get(name);
    if (existing !== undefined) return existing;
    const id = this.tensors.length;
    this.tensors.push({
      name,
      kind,
      elemType: spec.elemType === undefined ? 'float32' : spec.elemType,
      shape: spec.shape === undefined ? null : spec.shape,
      shapeSource: spec.source ?? (spec.shape ? (kind === 'intermediate' ? 'inferred' : 'declared') : null),
    });
    this.tensorByName.set(name, id);
    return id;
  }

  input(name: string, spec: TensorSpec): number {
    const t = this.tensor(name, 'input', spec);
    this.graphInputs.push(t);
    return t;
  }

  weight(name: string, shape: readonly number[]): number {
    return this.tensor(name, 'initializer', { shape, source: 'declared' });
  }

  output(tensor: number): void {
    this.graphOutputs.push(tensor);
    const t = this.tensors[tensor]!;
    if (t.kind === 'intermediate') t.kind = 'output';
  }

  /** Adds a node in `scope` (e.g. `/encoder/layer.0/attn`, '' = top level); returns its output tensor ids. */
  node(opType: string, name: string, scope: string, inputs: readonly number[], outputs: readonly (string | [string, TensorSpec])[], extra: Partial<GvNode> = {}): number[] {
    const outs = outputs.map((o) => (typeof o === 'string' ? this.tensor(o, 'intermediate') : this.tensor(o[0], 'intermediate', o[1])));
    this.nodes.push({ name, opType, domain: extra.domain ?? '', inputs: [...inputs], outputs: outs, scope, extra });
    return outs;
  }

  build(): GraphView {
    const groups: { label: string; path: string; parent: number; children: number[]; nodes: number[]; artificial?: boolean }[] = [];
    const groupByPath = new Map<string, number>();
    const rootGroups: number[] = [];
    const rootNodes: number[] = [];
    const groupOf = (scope: string): number => {
      if (scope === '' || scope === '/') return -1;
      const known = groupByPath.get(scope);
      if (known !== undefined) return known;
      const cut = scope.lastIndexOf('/');
      const parent = groupOf(cut > 0 ? scope.slice(0, cut) : '');
      const id = groups.length;
      groups.push({ label: scope.slice(cut + 1), path: scope, parent, children: [], nodes: [] });
      groupByPath.set(scope, id);
      if (parent >= 0) groups[parent]!.children.push(id);
      else rootGroups.push(id);
      return id;
    };
    const nodeGroup = this.nodes.map((n) => groupOf(n.scope));
    nodeGroup.forEach((g, id) => (g >= 0 ? groups[g]!.nodes.push(id) : rootNodes.push(id)));

    // Split crowded scopes into artificial groups of at most MAX_CHILDREN children, in graph order (by
    // the first node each child holds), so consecutive children stay together.
    const firstNode = new Map<number, number>();
    const firstOf = (g: number): number => {
      let f = firstNode.get(g);
      if (f === undefined) {
        f = Math.min(Infinity, ...groups[g]!.nodes, ...groups[g]!.children.map(firstOf));
        firstNode.set(g, f);
      }
      return f;
    };
    const split = (parent: number, childGroups: number[], childNodes: number[]): { groups: number[]; nodes: number[] } => {
      const total = childGroups.length + childNodes.length;
      if (total <= MAX_CHILDREN) return { groups: childGroups, nodes: childNodes };
      const chunks = Math.ceil(total / MAX_CHILDREN);
      const size = Math.ceil(total / chunks);
      const items: (['g', number] | ['n', number])[] = [...childGroups.map((g): ['g', number] => ['g', g]), ...childNodes.map((n): ['n', number] => ['n', n])];
      items.sort((a, b) => (a[0] === 'g' ? firstOf(a[1]) : a[1]) - (b[0] === 'g' ? firstOf(b[1]) : b[1]));
      const made: number[] = [];
      const base = parent >= 0 ? groups[parent]!.path : '';
      for (let c = 0; c < chunks; c++) {
        const slice = items.slice(c * size, (c + 1) * size);
        const id = groups.length;
        const label = `[${c * size + 1}–${c * size + slice.length}]`;
        groups.push({ label, path: `${base}/${label}`, parent, children: [], nodes: [], artificial: true });
        for (const [kind, item] of slice) {
          if (kind === 'g') {
            groups[item]!.parent = id;
            groups[id]!.children.push(item);
          } else {
            nodeGroup[item] = id;
            groups[id]!.nodes.push(item);
          }
        }
        made.push(id);
      }
      return { groups: made, nodes: [] };
    };
    const top = split(-1, rootGroups, rootNodes);
    for (let g = 0; g < groups.length; g++) {
      const grp = groups[g]!;
      if (grp.artificial) continue;
      const r = split(g, grp.children, grp.nodes);
      grp.children = r.groups;
      grp.nodes = r.nodes;
    }

    const totals = new Array<number>(groups.length).fill(-1);
    const totalOf = (g: number): number => {
      if (totals[g]! < 0) totals[g] = groups[g]!.nodes.length + groups[g]!.children.reduce((s, c) => s + totalOf(c), 0);
      return totals[g]!;
    };
    const gvGroups: GvGroup[] = groups.map((g, id) => ({
      id,
      label: g.label,
      path: g.path,
      parent: g.parent,
      children: g.children,
      nodes: g.nodes,
      totalNodes: totalOf(id),
      ...(g.artificial ? { artificial: true } : {}),
    }));

    const producer = new Array<number>(this.tensors.length).fill(-1);
    const consumers: number[][] = this.tensors.map(() => []);
    this.nodes.forEach((n, id) => {
      for (const o of n.outputs) producer[o] = id;
      for (const i of n.inputs) if (i >= 0) consumers[i]!.push(id);
    });
    const gvNodes: GvNode[] = this.nodes.map((n, id) => ({
      id,
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      category: n.extra.category ?? CATEGORY[n.opType] ?? (n.domain !== '' ? 'custom' : 'other'),
      inputs: n.inputs,
      outputs: n.outputs,
      group: nodeGroup[id]!,
      ...(n.extra.subgraphs ? { subgraphs: n.extra.subgraphs } : {}),
      ...(n.extra.functionPath ? { functionPath: n.extra.functionPath } : {}),
    }));
    const gvTensors: GvTensor[] = this.tensors.map((t, id) => ({ id, ...t, producer: producer[id]!, consumers: consumers[id]! }));
    return {
      path: this.path,
      breadcrumb: this.breadcrumb,
      name: this.name,
      nodes: gvNodes,
      tensors: gvTensors,
      groups: gvGroups,
      rootGroups: top.groups,
      rootNodes: top.nodes,
      inputs: this.graphInputs,
      outputs: this.graphOutputs,
      functions: [],
    };
  }
}

export function generateGraphView(model: SyntheticModel): GraphView {
  switch (model) {
    case 'small':
      return smallModel();
    case 'flat-1k':
      return residualChain(1000);
    case 'flat-10k':
      return residualChain(10_000);
    case 'wide-10k':
      return wideBranches(40, 250);
    case 'scoped-100k':
      return transformer(100_000);
  }
}

/** ResNet-like: stem, then blocks Conv → BN → Relu → Conv → BN → Add(skip) → Relu, no scopes. */
export function residualChain(nodeCount: number): GraphView {
  const b = new GraphViewBuilder('main', `resnet-like ${nodeCount}`);
  let x = b.input('input', { shape: ['N', 3, 224, 224], source: 'declared' });
  const c = 64;
  const hw = 56;
  let i = 0;
  const shape = () => ['N', c, hw, hw] as DimText[];
  [x] = b.node('Conv', `conv_stem`, '', [x, b.weight('conv_stem.weight', [c, 3, 7, 7])], [[`t${i++}`, { shape: shape() }]]);
  let count = 1;
  while (count + 7 <= nodeCount - 2) {
    const skip = x;
    const blk = count;
    [x] = b.node('Conv', `conv_${blk}_a`, '', [x, b.weight(`w_${blk}_a`, [c, c, 3, 3])], [[`t${i++}`, { shape: shape() }]]);
    [x] = b.node('BatchNormalization', `bn_${blk}_a`, '', [x, b.weight(`bn_${blk}_a.scale`, [c]), b.weight(`bn_${blk}_a.bias`, [c])], [[`t${i++}`, { shape: shape() }]]);
    [x] = b.node('Relu', `relu_${blk}_a`, '', [x], [[`t${i++}`, { shape: shape() }]]);
    [x] = b.node('Conv', `conv_${blk}_b`, '', [x, b.weight(`w_${blk}_b`, [c, c, 3, 3])], [[`t${i++}`, { shape: shape() }]]);
    [x] = b.node('BatchNormalization', `bn_${blk}_b`, '', [x, b.weight(`bn_${blk}_b.scale`, [c]), b.weight(`bn_${blk}_b.bias`, [c])], [[`t${i++}`, { shape: shape() }]]);
    [x] = b.node('Add', `add_${blk}`, '', [x, skip], [[`t${i++}`, { shape: shape() }]]);
    [x] = b.node('Relu', `relu_${blk}_out`, '', [x], [[`t${i++}`, { shape: shape() }]]);
    count += 7;
  }
  while (count < nodeCount - 2) {
    [x] = b.node('Relu', `relu_tail_${count}`, '', [x], [[`t${i++}`, { shape: shape() }]]);
    count++;
  }
  [x] = b.node('GlobalAveragePool', 'pool', '', [x], [[`t${i++}`, { shape: ['N', c, 1, 1] }]]);
  [x] = b.node('Flatten', 'flatten', '', [x], [['logits_in', { shape: ['N', c] }]]);
  b.output(x!);
  return b.build();
}

/**
 * `branches` parallel chains of `depth` nodes after a Split, every 5th step adding the neighbour branch
 * (cross links), joined by a Concat. Nodes are created step by step across branches, so the artificial
 * groups are horizontal bands.
 */
export function wideBranches(branches: number, depth: number): GraphView {
  const b = new GraphViewBuilder('main', `wide ${branches}×${depth}`);
  const x = b.input('input', { shape: ['N', branches * 8, 32, 32], source: 'declared' });
  const shape: DimText[] = ['N', 8, 32, 32];
  let heads = b.node('Split', 'split', '', [x], Array.from({ length: branches }, (_, i): [string, TensorSpec] => [`split_${i}`, { shape }]));
  const ops = ['Conv', 'Relu', 'Mul', 'Add', 'Sigmoid'];
  for (let step = 0; step < depth - 1; step++) {
    heads = heads.map((t, i) => {
      const op = ops[step % ops.length]!;
      const inputs = op === 'Add' ? [t, heads[(i + 1) % branches]!] : op === 'Conv' ? [t, b.weight(`w_${i}_${step}`, [8, 8, 3, 3])] : [t];
      return b.node(op, `b${i}_${op.toLowerCase()}_${step}`, '', inputs, [[`b${i}_s${step}`, { shape }]])[0]!;
    });
  }
  const [y] = b.node('Concat', 'concat', '', heads, [['y', { shape: ['N', branches * 8, 32, 32] }]]);
  b.output(y!);
  return b.build();
}

/** A BERT-like encoder exported with name scopes: ~80 nodes per layer, layers added until `target` nodes. */
export function transformer(target: number): GraphView {
  const b = new GraphViewBuilder('main', `transformer ${target}`);
  const H = 768;
  const seq: DimText[] = ['batch', 'seq', H];
  const ids = b.input('input_ids', { elemType: 'int64', shape: ['batch', 'seq'], source: 'declared' });
  const mask = b.input('attention_mask', { elemType: 'int64', shape: ['batch', 'seq'], source: 'declared' });
  let nodes = 0;
  const counters = new Map<string, number>();
  const n = (op: string, scope: string, inputs: readonly number[], shape: readonly DimText[] | null = seq, elemType = 'float32'): number => {
    const key = `${scope}/${op}`;
    const k = counters.get(key) ?? 0;
    counters.set(key, k + 1);
    const name = k === 0 ? key : `${key}_${k}`;
    nodes++;
    return b.node(op, name, scope, inputs, [[`${name}_output_0`, { shape, elemType }]])[0]!;
  };
  const layerNorm = (scope: string, x: number): number => {
    const mean = n('ReduceMean', scope, [x], ['batch', 'seq', 1]);
    const d = n('Sub', scope, [x, mean]);
    const p = n('Pow', scope, [d]);
    const v = n('ReduceMean', scope, [p], ['batch', 'seq', 1]);
    const e = n('Add', scope, [v], ['batch', 'seq', 1]);
    const s = n('Sqrt', scope, [e], ['batch', 'seq', 1]);
    const q = n('Div', scope, [d, s]);
    const m = n('Mul', scope, [q, b.weight(`${scope}.weight`, [H])]);
    return n('Add', scope, [m, b.weight(`${scope}.bias`, [H])]);
  };
  const linear = (scope: string, x: number, inF: number, outF: number): number => {
    const m = n('MatMul', scope, [x, b.weight(`${scope}.weight`, [inF, outF])], ['batch', 'seq', outF]);
    return n('Add', scope, [m, b.weight(`${scope}.bias`, [outF])], ['batch', 'seq', outF]);
  };
  const shapeChain = (scope: string, x: number): number => {
    const s = n('Shape', scope, [x], [3], 'int64');
    const g0 = n('Gather', scope, [s], [], 'int64');
    const u0 = n('Unsqueeze', scope, [g0], [1], 'int64');
    const g1 = n('Gather', scope, [s], [], 'int64');
    const u1 = n('Unsqueeze', scope, [g1], [1], 'int64');
    return n('Concat', scope, [u0, u1], [4], 'int64');
  };
  // Embeddings.
  const emb = '/embeddings';
  let x = n('Gather', `${emb}/word_embeddings`, [b.weight('embeddings.word_embeddings.weight', [30522, H]), ids]);
  x = n('Add', emb, [x, n('Gather', `${emb}/position_embeddings`, [b.weight('embeddings.position_embeddings.weight', [512, H])])]);
  x = layerNorm(`${emb}/LayerNorm`, x);
  const m0 = n('Unsqueeze', '/encoder', [mask], ['batch', 1, 1, 'seq'], 'int64');
  const maskAdd = n('Mul', '/encoder', [n('Sub', '/encoder', [m0], ['batch', 1, 1, 'seq'])], ['batch', 1, 1, 'seq']);
  const perLayer = 76;
  for (let layer = 0; nodes + perLayer < target - 12; layer++) {
    const L = `/encoder/layer.${layer}`;
    const A = `${L}/attention/self`;
    const heads = (t: number, scope: string) => n('Transpose', scope, [n('Reshape', scope, [t, shapeChain(scope, t)], ['batch', 'seq', 12, 64])], ['batch', 12, 'seq', 64]);
    const q = heads(linear(`${A}/query`, x, H, H), `${A}/query`);
    const k = heads(linear(`${A}/key`, x, H, H), `${A}/key`);
    const v = heads(linear(`${A}/value`, x, H, H), `${A}/value`);
    const kt = n('Transpose', A, [k], ['batch', 12, 64, 'seq']);
    let s = n('MatMul', A, [q, kt], ['batch', 12, 'seq', 'seq']);
    s = n('Div', A, [s], ['batch', 12, 'seq', 'seq']);
    s = n('Add', A, [s, maskAdd], ['batch', 12, 'seq', 'seq']);
    s = n('Softmax', A, [s], ['batch', 12, 'seq', 'seq']);
    let ctx = n('MatMul', A, [s, v], ['batch', 12, 'seq', 64]);
    ctx = n('Transpose', A, [ctx], ['batch', 'seq', 12, 64]);
    ctx = n('Reshape', A, [ctx, shapeChain(A, ctx)]);
    const O = `${L}/attention/output`;
    let h = linear(`${O}/dense`, ctx, H, H);
    h = layerNorm(`${O}/LayerNorm`, n('Add', O, [h, x]));
    const I = `${L}/intermediate`;
    let f = linear(`${I}/dense`, h, H, 4 * H);
    const gelu = `${I}/intermediate_act_fn`;
    f = n('Mul', gelu, [n('Mul', gelu, [f, n('Add', gelu, [n('Erf', gelu, [n('Div', gelu, [f], ['batch', 'seq', 4 * H])], ['batch', 'seq', 4 * H])], ['batch', 'seq', 4 * H])], ['batch', 'seq', 4 * H])], ['batch', 'seq', 4 * H]);
    const OUT = `${L}/output`;
    let o = linear(`${OUT}/dense`, f, 4 * H, H);
    o = layerNorm(`${OUT}/LayerNorm`, n('Add', OUT, [o, h]));
    x = o;
  }
  const pooled = n('Gather', '/pooler', [x], ['batch', H]);
  let y = linear('/pooler/dense', pooled, H, H);
  y = n('Gelu', '/pooler/activation', [y], ['batch', H]);
  // Exactly `target` nodes: the remainder as small post-processing steps.
  for (let step = 0; nodes < target - 1; step++) {
    for (let k = 0; k < 8 && nodes < target - 1; k++) y = n(k % 2 ? 'Relu' : 'Add', `/postprocess/step.${step}`, [y], ['batch', H]);
  }
  b.output(n('Softmax', '/classifier', [y], ['batch', H]));
  return b.build();
}

/** A small CNN with an If (two subgraphs), a function call, unnamed nodes and hostile strings. */
export function smallModel(): GraphView {
  const b = new GraphViewBuilder('main', 'small');
  let x = b.input('image', { shape: [1, 3, 224, 224], source: 'declared' });
  [x] = b.node('Conv', 'stem/conv', '/stem', [x, b.weight('stem.conv.weight', [32, 3, 3, 3]), b.weight('stem.conv.bias', [32])], [['stem_conv_out', { shape: [1, 32, 112, 112] }]]);
  [x] = b.node('BatchNormalization', 'stem/bn', '/stem', [x, b.weight('stem.bn.scale', [32]), b.weight('stem.bn.bias', [32])], [['stem_bn_out', { shape: [1, 32, 112, 112] }]]);
  [x] = b.node('Relu', 'stem/relu', '/stem', [x], [['stem_relu_out', { shape: [1, 32, 112, 112] }]]);
  for (let blk = 0; blk < 3; blk++) {
    const s = `/blocks/block.${blk}`;
    const skip = x;
    [x] = b.node('Conv', `${s}/conv1`, s, [x!, b.weight(`blocks.${blk}.conv1.weight`, [32, 32, 3, 3])], [[`${s}/conv1_out`, { shape: [1, 32, 112, 112] }]]);
    [x] = b.node('Relu', `${s}/relu1`, s, [x!], [[`${s}/relu1_out`, { shape: [1, 32, 112, 112] }]]);
    [x] = b.node('Conv', `${s}/conv2`, s, [x!, b.weight(`blocks.${blk}.conv2.weight`, [32, 32, 3, 3])], [[`${s}/conv2_out`, { shape: [1, 32, 112, 112] }]]);
    [x] = b.node('Add', `${s}/add`, s, [x!, skip!], [[`${s}/add_out`, { shape: [1, 32, 112, 112] }]]);
  }
  [x] = b.node('GlobalAveragePool', HOSTILE_TEXT, '/head', [x!], [['pooled', { shape: [1, 32, 1, 1] }]]);
  [x] = b.node('Flatten', '', '/head', [x!], [['flat', { shape: [1, 32] }]]);
  const cond = b.input('use_fast_path', { elemType: 'bool', shape: [], source: 'declared' });
  const [branch] = b.node('If', 'route', '/head', [cond], [['routed', { shape: [1, 32], source: null, elemType: 'float32' }]], {
    subgraphs: [
      { attr: 'then_branch', path: 'main/route:then_branch' },
      { attr: 'else_branch', path: 'main/route:else_branch' },
    ],
  });
  const [mixed] = b.node('Add', 'mix', '/head', [x!, branch!], [['mixed', { shape: ['N', 32] }]]);
  const [fc] = b.node('Gemm', 'head/fc', '/head', [mixed!, b.weight('head.fc.weight', [10, 32]), b.weight('head.fc.bias', [10])], [['logits', { shape: [1, 10] }]]);
  const [custom] = b.node('MyScale', 'scale', '', [fc!], [['scaled', { shape: [1, 10] }]], { domain: 'local.custom', functionPath: 'function:local.custom/MyScale' });
  const [probs] = b.node('Softmax', 'softmax', '', [custom!], [['probabilities', { shape: [1, 10] }]]);
  b.output(probs!);
  return b.build();
}

/** A subgraph (If branch or function body) for the harness host's `openGraph`. */
export function subgraphView(path: string, parentCrumbs: GraphView['breadcrumb']): GraphView {
  const label = path.startsWith('function:') ? path.slice('function:'.length) : path.slice(path.lastIndexOf('/') + 1);
  const b = new GraphViewBuilder(path, label, [...parentCrumbs, { path, label }]);
  let x = b.input(path.startsWith('function:') ? 'X' : 'flat', { shape: [1, 32], source: 'declared' });
  [x] = b.node('Mul', 'scale', '', [x, b.weight('k', [1])], [['scaled', { shape: [1, 32] }]]);
  [x] = b.node('Relu', 'act', '', [x!], [['out', { shape: [1, 32] }]]);
  if (path.endsWith('then_branch')) {
    const [inner] = b.node('Loop', 'inner_loop', '', [x!], [['looped', { shape: [1, 32] }]], { subgraphs: [{ attr: 'body', path: `${path}/inner_loop:body` }] });
    x = inner!;
  }
  b.output(x!);
  return b.build();
}
