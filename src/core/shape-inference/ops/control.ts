/** Constant, If, Loop and Scan. */
import { longToNumber } from '../../long';
import { DataType } from '../../tensor/dtypes';
import { scalarOf, tensorDims } from '../constants';
import type { NodeCtx } from '../context';
import type { Dim, TypeInfo } from '../types';
import { rule } from './registry';

rule('Constant', (c) => {
  const a = c.node.attribute?.find((x) => !!x.name && (x.name.startsWith('value') || x.name === 'sparse_value'));
  if (!a) return;
  switch (a.name) {
    case 'value':
      if (a.t) c.set(0, a.t.dataType ?? 0, tensorDims(a.t), c.constOf(a.t));
      return;
    case 'sparse_value':
      if (a.sparseTensor) c.set(0, a.sparseTensor.values?.dataType ?? 0, (a.sparseTensor.dims ?? []).map((d) => longToNumber(d)));
      return;
    case 'value_float':
      c.set(0, DataType.FLOAT, [], { dims: [], values: [a.f ?? 0] });
      return;
    case 'value_floats': {
      const v = [...(a.floats ?? [])];
      c.set(0, DataType.FLOAT, [v.length], { dims: [v.length], values: v });
      return;
    }
    case 'value_int':
      c.set(0, DataType.INT64, [], { dims: [], values: [longToNumber(a.i)] });
      return;
    case 'value_ints': {
      const v = (a.ints ?? []).map((x) => longToNumber(x));
      c.set(0, DataType.INT64, [v.length], { dims: [v.length], values: v });
      return;
    }
    case 'value_string':
      c.set(0, DataType.STRING, []);
      return;
    case 'value_strings':
      c.set(0, DataType.STRING, [a.strings?.length ?? 0]);
      return;
  }
});

/** Two possible types of one value (If branches, loop iterations): what both agree on. */
function join(a: TypeInfo | undefined, b: TypeInfo | undefined): TypeInfo | undefined {
  if (!a || !b) return undefined;
  const elemType = a.elemType || b.elemType;
  if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return { elemType, shape: null };
  return { elemType, shape: a.shape.map((d, i) => (d === b.shape![i] ? d : null)) };
}

function graphAttr(c: NodeCtx, name: string): NonNullable<ReturnType<NodeCtx['attr']>>['g'] {
  return c.attr(name)?.g ?? null;
}

rule('If', (c) => {
  const thenG = graphAttr(c, 'then_branch');
  const elseG = graphAttr(c, 'else_branch');
  const cond = scalarOf(c.value(0));
  const thenOut = thenG ? c.scope.inferSubgraph(thenG) : undefined;
  const elseOut = elseG ? c.scope.inferSubgraph(elseG) : undefined;
  for (let i = 0; i < c.outputCount; i++) {
    const t = typeof cond === 'number' ? (cond !== 0 ? thenOut?.[i] : elseOut?.[i]) : join(thenOut?.[i], elseOut?.[i]);
    if (t) c.set(i, t.elemType, t.shape);
  }
});

rule('Loop', (c) => {
  const body = graphAttr(c, 'body');
  if (!body) return;
  const carried = Math.max(0, c.inputCount - 2);
  const inputs: (TypeInfo | undefined)[] = [
    { elemType: DataType.INT64, shape: [] },
    { elemType: DataType.BOOL, shape: [] },
  ];
  for (let i = 0; i < carried; i++) inputs.push(c.type(i + 2));
  const out = c.scope.inferSubgraph(body, inputs);
  const trip = c.has(0) && !c.has(1) ? scalarOf(c.value(0)) : undefined;
  for (let i = 0; i < c.outputCount; i++) {
    const b = out[i + 1];
    if (i < carried) {
      const init = c.type(i + 2);
      const t = b && init ? join(b, init) : (b ?? init);
      if (t) c.set(i, t.elemType, t.shape);
    } else if (b) c.set(i, b.elemType, b.shape ? [typeof trip === 'number' ? trip : null, ...b.shape] : null);
  }
});

rule('Scan', (c) => {
  const body = graphAttr(c, 'body');
  if (!body || c.opset < 9) return;
  const m = c.int('num_scan_inputs', 0);
  const n = c.inputCount - m;
  const inAxes = c.ints('scan_input_axes') ?? new Array<number>(m).fill(0);
  const outAxes = c.ints('scan_output_axes');
  const inputs: (TypeInfo | undefined)[] = [];
  let seq: Dim = null;
  for (let i = 0; i < c.inputCount; i++) {
    const t = c.type(i);
    if (i < n || !t || !t.shape) {
      inputs.push(t);
      continue;
    }
    const axis = inAxes[i - n] ?? 0;
    const a = axis < 0 ? axis + t.shape.length : axis;
    seq = seq ?? t.shape[a] ?? null;
    inputs.push({ elemType: t.elemType, shape: t.shape.filter((_, k) => k !== a) });
  }
  const out = c.scope.inferSubgraph(body, inputs);
  for (let i = 0; i < c.outputCount; i++) {
    const b = out[i];
    if (!b) continue;
    if (i < n) c.set(i, b.elemType, b.shape);
    else if (b.shape) {
      const axis = outAxes?.[i - n] ?? 0;
      const a = axis < 0 ? axis + b.shape.length + 1 : axis;
      c.set(i, b.elemType, [...b.shape.slice(0, a), seq, ...b.shape.slice(a)]);
    } else c.set(i, b.elemType, null);
  }
});
