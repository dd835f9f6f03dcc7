/** Rules that rearrange dimensions: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Expand, Tile. */
import { foldElementwise, numbersOf } from '../constants';
import { broadcastShapes, normAxis, numel, productDim } from '../dims';
import { MAX_CONST_ELEMENTS, type ConstValue, type Dim } from '../types';
import { rule } from './registry';
import { axesOf, reshapeValue, unknownDims } from './shape-helpers';

/**
 * The size of Reshape's -1 dim: the input's element count over the other target dims. Symbolic dims cancel
 * out when the target names them too (`['N', 12, 64] → ['N', -1]` gives 768).
 */
function solveInferred(input: readonly Dim[], others: readonly Dim[]): Dim {
  let num = 1;
  const syms = new Map<string, number>();
  for (const d of input) {
    if (typeof d === 'number') num *= d;
    else if (typeof d === 'string') syms.set(d, (syms.get(d) ?? 0) + 1);
    else return null;
  }
  let den = 1;
  for (const d of others) {
    if (typeof d === 'number') den *= d;
    else if (typeof d === 'string' && (syms.get(d) ?? 0) > 0) syms.set(d, syms.get(d)! - 1);
    else return null;
  }
  const rest = [...syms.entries()].filter(([, k]) => k > 0);
  if (rest.length === 0) return den !== 0 && num % den === 0 ? num / den : null;
  if (rest.length === 1 && rest[0]![1] === 1 && num === den) return rest[0]![0];
  return null;
}

rule('Reshape', (c) => {
  const input = c.shape(0);
  const elem = c.elem(0);
  const attrShape = c.ints('shape');
  const target: readonly Dim[] | undefined = c.has(1) ? c.value(1)?.values : attrShape;
  if (!target) {
    const ts = c.shape(1);
    c.set(0, elem, ts && ts.length === 1 ? unknownDims(ts[0]!) : null);
    return;
  }
  const allowZero = c.int('allowzero', 0) !== 0;
  const out: Dim[] = [];
  let inferAt = -1;
  target.forEach((t, i) => {
    if (t === 0 && !allowZero) out.push(input ? (input[i] ?? null) : null);
    else if (t === -1) {
      inferAt = i;
      out.push(null);
    } else if (typeof t === 'number' && t < 0) out.push(null);
    else out.push(t);
  });
  if (inferAt >= 0 && input) {
    const others = out.filter((_, i) => i !== inferAt);
    out[inferAt] = solveInferred(input, others);
  }
  c.set(0, elem, out, reshapeValue(c.value(0), out));
});

rule('Flatten', (c) => {
  const s = c.shape(0);
  if (!s) return c.set(0, c.elem(0), [null, null]);
  const axis = c.int('axis', 1);
  const a = axis < 0 ? axis + s.length : axis;
  if (a < 0 || a > s.length) return c.set(0, c.elem(0), [null, null]);
  const out = [productDim(s.slice(0, a)), productDim(s.slice(a))];
  c.set(0, c.elem(0), out, reshapeValue(c.value(0), out));
});
rule('Squeeze', (c) => {
  const s = c.shape(0);
  const elem = c.elem(0);
  const axes = axesOf(c, 1);
  if (!s) return c.set(0, elem, null);
  if (axes === 'unknown') return c.set(0, elem, null);
  let out: Dim[] | null;
  if (axes && axes.length > 0) {
    const drop = new Set(axes.map((a) => normAxis(a, s.length)));
    out = s.filter((_, i) => !drop.has(i));
  } else out = s.every((d) => typeof d === 'number') ? s.filter((d) => d !== 1) : null;
  c.set(0, elem, out, reshapeValue(c.value(0), out));
});

rule('Unsqueeze', (c) => {
  const s = c.shape(0);
  const elem = c.elem(0);
  const axes = axesOf(c, 1);
  if (!s || !axes) return c.set(0, elem, null);
  if (axes === 'unknown') {
    const as = c.shape(1);
    const k = as && as.length === 1 ? as[0] : as && as.length === 0 ? 1 : null;
    return c.set(0, elem, typeof k === 'number' ? unknownDims(s.length + k) : null);
  }
  const rank = s.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(a, rank)));
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : (s[j++] ?? null));
  c.set(0, elem, out, reshapeValue(c.value(0), out));
});

rule('Transpose', (c) => {
  const s = c.shape(0);
  if (!s) return c.set(0, c.elem(0), null);
  const perm = c.ints('perm') ?? s.map((_, i) => s.length - 1 - i);
  const out = perm.map((p) => s[p] ?? null);
  c.set(0, c.elem(0), out, s.length <= 1 ? c.value(0) : undefined);
});
rule('Expand', (c) => {
  const s = c.shape(0);
  const target = c.value(1);
  const elem = c.elem(0);
  if (!target) {
    const ts = c.shape(1);
    const k = ts && ts.length === 1 ? ts[0] : null;
    c.set(0, elem, s && typeof k === 'number' ? new Array<Dim>(Math.max(k, s.length)).fill(null) : null);
    return;
  }
  const out = broadcastShapes([s, target.values as Dim[]]);
  const v = c.value(0);
  let value: ConstValue | undefined;
  const n = numel(out);
  if (v && out && n !== null && n <= MAX_CONST_ELEMENTS) value = foldElementwise([v, { dims: out as number[], values: new Array<Dim>(n).fill(0) }], (xs) => xs[0]!);
  c.set(0, elem, out, value);
});

rule('Tile', (c) => {
  const s = c.shape(0);
  const reps = numbersOf(c.value(1));
  if (!s) return c.set(0, c.elem(0), null);
  if (!reps) return c.set(0, c.elem(0), s.map(() => null));
  c.set(0, c.elem(0), s.map((d, i) => {
    const r = reps[i] ?? 1;
    return typeof d === 'number' ? d * r : r === 1 ? d : null;
  }));
});
