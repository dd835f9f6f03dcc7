/** Rules that select or combine parts of tensors: Concat, Split, Slice, Gather*, TopK, NonZero, OneHot, Compress, Unique. */
import { DataType } from '../../tensor/dtypes';
import { numbersOf, scalarOf } from '../constants';
import { mergeDim, normAxis, numel, sumDims } from '../dims';
import { MAX_CONST_ELEMENTS, type ConstValue, type Dim } from '../types';
import { rule } from './registry';

rule('Concat', (c) => {
  const shapes: (Dim[] | null)[] = [];
  for (let i = 0; i < c.inputCount; i++) if (c.has(i)) shapes.push(c.shape(i));
  const known = shapes.filter((s): s is Dim[] => s !== null);
  const elem = c.elem(0);
  if (known.length === 0) return c.set(0, elem, null);
  const rank = known[0]!.length;
  const axis = normAxis(c.int('axis', 0), rank);
  if (axis === null) return c.set(0, elem, null);
  const out: Dim[] = [];
  for (let d = 0; d < rank; d++) {
    if (d === axis) out.push(known.length === shapes.length ? sumDims(known.map((s) => s[d] ?? null)) : null);
    else out.push(known.reduce<Dim>((acc, s) => mergeDim(acc, s[d] ?? null), null));
  }
  let value: ConstValue | undefined;
  if (rank === 1) {
    const values: Dim[] = [];
    let ok = true;
    for (let i = 0; i < c.inputCount && ok; i++) {
      if (!c.has(i)) continue;
      const v = c.value(i);
      if (v && v.dims.length === 1) values.push(...v.values);
      else ok = false;
    }
    if (ok && values.length <= MAX_CONST_ELEMENTS) value = { dims: [values.length], values };
  }
  c.set(0, elem, out, value);
});

rule('Split', (c) => {
  const s = c.shape(0);
  const elem = c.elem(0);
  const n = c.outputCount;
  if (!s) {
    for (let i = 0; i < n; i++) c.set(i, elem, null);
    return;
  }
  const axis = normAxis(c.int('axis', 0), s.length);
  if (axis === null) return;
  let sizes: Dim[] | undefined = c.has(1) ? numbersOf(c.value(1)) : c.ints('split');
  if (!sizes && !c.has(1)) {
    const parts = c.int('num_outputs', 0) || n;
    const dim = s[axis];
    if (typeof dim === 'number' && parts > 0) {
      const chunk = Math.ceil(dim / parts);
      sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - chunk * i)));
    }
  }
  const v = c.value(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const size = sizes ? (sizes[i] ?? null) : null;
    const out = s.map((d, k) => (k === axis ? size : d));
    let value: ConstValue | undefined;
    if (v && v.dims.length === 1 && typeof size === 'number') value = { dims: [size], values: v.values.slice(offset, offset + size) };
    offset += typeof size === 'number' ? size : NaN;
    c.set(i, elem, out, value);
  }
});

/** Start and length of a Slice along a dim of size `dim`, clamped as ONNX does. */
function sliceRange(dim: number, start: number, end: number, step: number): { start: number; len: number } {
  if (step > 0) {
    let s = start < 0 ? start + dim : start;
    let e = end < 0 ? end + dim : end;
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { start: s, len: Math.max(0, Math.ceil((e - s) / step)) };
  }
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return { start: s, len: Math.max(0, Math.ceil((s - e) / -step)) };
}

const BIG = 2 ** 62;

rule('Slice', (c) => {
  const s = c.shape(0);
  const elem = c.elem(0);
  if (!s) return c.set(0, elem, null);
  let starts: number[] | undefined;
  let ends: number[] | undefined;
  let axes: number[] | undefined;
  let steps: number[] | undefined;
  let axesKnown = true;
  if (c.has(1) || c.opset >= 10) {
    starts = numbersOf(c.value(1));
    ends = numbersOf(c.value(2));
    if (c.has(3)) {
      axes = numbersOf(c.value(3));
      axesKnown = axes !== undefined;
    }
    if (c.has(4)) steps = numbersOf(c.value(4));
    if (c.has(4) && !steps) starts = undefined;
  } else {
    starts = c.ints('starts');
    ends = c.ints('ends');
    axes = c.ints('axes');
  }
  if (!starts || !ends || starts.length !== ends.length || !axesKnown) {
    const unknownAxes = axes && axesKnown ? new Set(axes.map((a) => normAxis(a, s.length))) : null;
    return c.set(0, elem, s.map((d, i) => (unknownAxes && !unknownAxes.has(i) ? d : null)));
  }
  const out: Dim[] = [...s];
  const v = c.value(0);
  let value: ConstValue | undefined;
  for (let k = 0; k < starts.length; k++) {
    const axis = normAxis(axes ? (axes[k] ?? k) : k, s.length);
    if (axis === null) return c.set(0, elem, s.map(() => null));
    const step = steps ? (steps[k] ?? 1) : 1;
    if (step === 0) return c.set(0, elem, s.map(() => null));
    const dim = s[axis]!;
    const start = starts[k]!;
    const end = ends[k]!;
    if (typeof dim !== 'number') {
      out[axis] = start === 0 && step === 1 && end >= BIG ? dim : null;
      continue;
    }
    const r = sliceRange(dim, start, end, step);
    out[axis] = r.len;
    if (v && v.dims.length === 1 && axis === 0) {
      const vals: Dim[] = [];
      for (let j = 0; j < r.len; j++) vals.push(v.values[r.start + j * step] ?? null);
      value = { dims: [r.len], values: vals };
    }
  }
  c.set(0, elem, out, value);
});

rule('Gather', (c) => {
  const s = c.shape(0);
  const q = c.shape(1);
  const elem = c.elem(0);
  if (!s || !q) return c.set(0, elem, null);
  const axis = normAxis(c.int('axis', 0), s.length);
  if (axis === null) return c.set(0, elem, null);
  const out = [...s.slice(0, axis), ...q, ...s.slice(axis + 1)];
  const data = c.value(0);
  const idx = c.value(1);
  let value: ConstValue | undefined;
  if (data && idx && data.dims.length === 1) {
    const len = data.values.length;
    value = {
      dims: idx.dims,
      values: idx.values.map((i) => (typeof i === 'number' ? (data.values[i < 0 ? i + len : i] ?? null) : null)),
    };
  }
  c.set(0, elem, out, value);
});

rule('GatherElements', (c) => c.set(0, c.elem(0), c.shape(1)));

rule('GatherND', (c) => {
  const r = c.shape(0);
  const q = c.shape(1);
  const b = c.int('batch_dims', 0);
  const last = q ? q[q.length - 1] : null;
  if (!r || !q || typeof last !== 'number') return c.set(0, c.elem(0), null);
  c.set(0, c.elem(0), [...q.slice(0, -1), ...r.slice(b + last)]);
});
rule('TopK', (c) => {
  const s = c.shape(0);
  const k = c.has(1) ? scalarOf(c.value(1)) : c.int('k', 0);
  if (!s) {
    c.set(0, c.elem(0), null);
    c.set(1, DataType.INT64, null);
    return;
  }
  const axis = normAxis(c.int('axis', -1), s.length);
  const out = s.map((d, i) => (i === axis ? (k ?? null) : d));
  c.set(0, c.elem(0), out);
  c.set(1, DataType.INT64, out);
});

rule('NonZero', (c) => c.set(0, DataType.INT64, [c.rank(0), null]));
rule('NonMaxSuppression', (c) => c.set(0, DataType.INT64, [null, 3]));

rule('OneHot', (c) => {
  const q = c.shape(0);
  const depth = scalarOf(c.value(1));
  if (!q) return c.set(0, c.elem(2), null);
  const axis = normAxis(c.int('axis', -1), q.length + 1);
  if (axis === null) return c.set(0, c.elem(2), null);
  const d: Dim = typeof depth === 'number' ? Math.trunc(depth) : null;
  c.set(0, c.elem(2), [...q.slice(0, axis), d, ...q.slice(axis)]);
});

rule('Compress', (c) => {
  const s = c.shape(0);
  const a = c.attr('axis');
  if (!s || !a) return c.set(0, c.elem(0), [null]);
  const axis = normAxis(c.int('axis', 0), s.length);
  c.set(0, c.elem(0), s.map((d, i) => (i === axis ? null : d)));
});

rule('Unique', (c) => {
  const s = c.shape(0);
  const a = c.attr('axis');
  const axis = s && a ? normAxis(c.int('axis', 0), s.length) : null;
  c.set(0, c.elem(0), s && axis !== null ? s.map((d, i) => (i === axis ? null : d)) : [null]);
  c.set(1, DataType.INT64, [null]);
  c.set(2, DataType.INT64, s && axis !== null ? [s[axis]!] : [numel(s)]);
  c.set(3, DataType.INT64, [null]);
});
