/** Rules that make or resize tensors from values: Pad, Resize, Shape, Size, ConstantOfShape, Range, Reduce*, ArgMax. */
import { DataType } from '../../tensor/dtypes';
import { numbersOf, scalarOf } from '../constants';
import type { NodeCtx } from '../context';
import { normAxis, numel } from '../dims';
import { MAX_CONST_ELEMENTS, type ConstValue, type Dim } from '../types';
import { rule } from './registry';
import { axesOf, unknownDims } from './shape-helpers';

rule('Pad', (c) => {
  const s = c.shape(0);
  if (!s) return c.set(0, c.elem(0), null);
  const pads = c.has(1) ? numbersOf(c.value(1)) : (c.ints('pads') ?? c.ints('paddings'));
  if (!pads) return c.set(0, c.elem(0), s.map(() => null));
  const axes = c.has(3) ? numbersOf(c.value(3)) : undefined;
  if (c.has(3) && !axes) return c.set(0, c.elem(0), s.map(() => null));
  const list = (axes ?? s.map((_, i) => i)).map((a) => normAxis(a, s.length));
  const n = list.length;
  const out = [...s];
  list.forEach((a, k) => {
    if (a === null) return;
    const add = (pads[k] ?? 0) + (pads[k + n] ?? 0);
    const d = s[a]!;
    out[a] = typeof d === 'number' ? d + add : add === 0 ? d : null;
  });
  c.set(0, c.elem(0), out);
});

function resize(c: NodeCtx, scalesAt: number, sizesAt: number): void {
  const s = c.shape(0);
  const elem = c.elem(0);
  if (!s) return c.set(0, elem, null);
  const axes = (c.ints('axes') ?? s.map((_, i) => i)).map((a) => normAxis(a, s.length));
  const sizes = sizesAt >= 0 && c.has(sizesAt) ? numbersOf(c.value(sizesAt)) : undefined;
  const scales = (scalesAt >= 0 && c.has(scalesAt) ? numbersOf(c.value(scalesAt)) : undefined) ?? (scalesAt < 0 || !c.has(scalesAt) ? c.floats('scales') : undefined);
  const out: Dim[] = [...s];
  if (sizes && sizes.length > 0) {
    const policy = c.str('keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') {
      axes.forEach((a, k) => {
        if (a !== null) out[a] = sizes[k] ?? null;
      });
    } else {
      const ratios = axes.map((a, k) => (a !== null && typeof s[a] === 'number' ? sizes[k]! / (s[a] as number) : NaN));
      if (ratios.some((r) => Number.isNaN(r))) axes.forEach((a) => a !== null && (out[a] = null));
      else {
        const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
        axes.forEach((a) => a !== null && (out[a] = Math.round((s[a] as number) * scale)));
      }
    }
  } else if (scales && scales.length > 0) {
    axes.forEach((a, k) => {
      if (a === null) return;
      const f = scales[k] ?? 1;
      const d = s[a]!;
      out[a] = typeof d === 'number' ? Math.floor(d * f) : f === 1 ? d : null;
    });
  } else return c.set(0, elem, s.map(() => null));
  c.set(0, elem, out);
}

rule('Resize', (c) => (c.opset >= 11 ? resize(c, 2, 3) : resize(c, 1, -1)));
rule('Upsample', (c) => resize(c, c.has(1) ? 1 : -1, -1));

rule('Shape', (c) => {
  const s = c.shape(0);
  if (!s) return c.set(0, DataType.INT64, [null]);
  const r = s.length;
  const clamp = (x: number): number => Math.min(Math.max(x < 0 ? x + r : x, 0), r);
  const start = clamp(c.int('start', 0));
  const endAttr = c.attr('end');
  const end = endAttr ? clamp(c.int('end', r)) : r;
  const values = s.slice(start, Math.max(start, end));
  c.set(0, DataType.INT64, [values.length], { dims: [values.length], values });
});

rule('Size', (c) => {
  const n = numel(c.shape(0));
  c.set(0, DataType.INT64, [], n === null ? undefined : { dims: [], values: [n] });
});

rule('ConstantOfShape', (c) => {
  const shape = c.value(0);
  const t = c.attr('value')?.t;
  const elem = t?.dataType || DataType.FLOAT;
  if (!shape) {
    const ts = c.shape(0);
    return c.set(0, elem, ts && ts.length === 1 ? unknownDims(ts[0]!) : null);
  }
  const dims = [...shape.values];
  const n = numel(dims);
  let value: ConstValue | undefined;
  if (n !== null && n <= MAX_CONST_ELEMENTS) {
    const fill = t ? (scalarOf(c.constOf(t)) ?? null) : 0;
    if (fill !== null) value = { dims: dims as number[], values: new Array<Dim>(n).fill(fill) };
  }
  c.set(0, elem, dims, value);
});

rule('Range', (c) => {
  const start = scalarOf(c.value(0));
  const limit = scalarOf(c.value(1));
  const delta = scalarOf(c.value(2));
  const elem = c.elem(0) || c.elem(1);
  if (typeof start !== 'number' || typeof limit !== 'number' || typeof delta !== 'number' || delta === 0) return c.set(0, elem, [null]);
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  const value = n <= MAX_CONST_ELEMENTS ? { dims: [n], values: Array.from({ length: n }, (_, i) => start + i * delta) } : undefined;
  c.set(0, elem, [n], value);
});
const REDUCE = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

rule(REDUCE, (c) => {
  const s = c.shape(0);
  const elem = c.elem(0);
  const keep = c.int('keepdims', 1) !== 0;
  const axes = axesOf(c, 1);
  if (!s) return c.set(0, elem, null);
  if (axes === 'unknown') return c.set(0, elem, keep ? s.map(() => null) : null);
  let list = axes ?? [];
  if (list.length === 0) {
    if (c.int('noop_with_empty_axes', 0) !== 0) return c.set(0, elem, s, c.value(0));
    list = s.map((_, i) => i);
  }
  const set = new Set(list.map((a) => normAxis(a, s.length)));
  const out = keep ? s.map((d, i) => (set.has(i) ? 1 : d)) : s.filter((_, i) => !set.has(i));
  let value: ConstValue | undefined;
  const v = numbersOf(c.value(0));
  const op = c.node.opType;
  if (v && s.length === 1 && set.has(0) && (op === 'ReduceProd' || op === 'ReduceSum' || op === 'ReduceMax' || op === 'ReduceMin')) {
    const r = op === 'ReduceProd' ? v.reduce((a, b) => a * b, 1) : op === 'ReduceSum' ? v.reduce((a, b) => a + b, 0) : op === 'ReduceMax' ? Math.max(...v) : Math.min(...v);
    value = { dims: keep ? [1] : [], values: [r] };
  }
  c.set(0, elem, out, value);
});

rule(['ArgMax', 'ArgMin'], (c) => {
  const s = c.shape(0);
  if (!s) return c.set(0, DataType.INT64, null);
  const axis = normAxis(c.int('axis', 0), s.length);
  const keep = c.int('keepdims', 1) !== 0;
  c.set(0, DataType.INT64, keep ? s.map((d, i) => (i === axis ? 1 : d)) : s.filter((_, i) => i !== axis));
});
