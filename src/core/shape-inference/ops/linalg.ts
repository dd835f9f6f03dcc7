/** Matrix products (Gemm, MatMul and its quantized forms, Einsum) and recurrent layers. */
import { DataType } from '../../tensor/dtypes';
import { broadcastShapes, mergeDim } from '../dims';
import type { Dim } from '../types';
import { rule } from './registry';

rule('Gemm', (c) => {
  const a = c.shape(0);
  const b = c.shape(1);
  const m = a && a.length === 2 ? a[c.int('transA', 0) ? 1 : 0]! : null;
  const n = b && b.length === 2 ? b[c.int('transB', 0) ? 0 : 1]! : null;
  c.set(0, c.elem(0) || c.elem(1), [m, n]);
});

/** Numpy matmul shape: batch dims broadcast, 1-D operands promoted then their added dim removed. */
export function matmulShape(a: readonly Dim[] | null, b: readonly Dim[] | null, transA = false, transB = false): Dim[] | null {
  if (!a || !b || a.length === 0 || b.length === 0) return null;
  const aVec = a.length === 1;
  const bVec = b.length === 1;
  let am = aVec ? [1, a[0]!] : [...a];
  let bm = bVec ? [b[0]!, 1] : [...b];
  if (transA && !aVec) am = [...am.slice(0, -2), am[am.length - 1]!, am[am.length - 2]!];
  if (transB && !bVec) bm = [...bm.slice(0, -2), bm[bm.length - 1]!, bm[bm.length - 2]!];
  const batch = broadcastShapes([am.slice(0, -2), bm.slice(0, -2)])!;
  const out: Dim[] = [...batch];
  if (!aVec) out.push(am[am.length - 2]!);
  if (!bVec) out.push(bm[bm.length - 1]!);
  return out;
}

rule('MatMul', (c) => c.set(0, c.elem(0) || c.elem(1), matmulShape(c.shape(0), c.shape(1))));
rule('MatMulInteger', (c) => c.set(0, DataType.INT32, matmulShape(c.shape(0), c.shape(1))));
// a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
rule('QLinearMatMul', (c) => c.set(0, c.elem(7) || c.elem(0), matmulShape(c.shape(0), c.shape(3))));
rule('FusedMatMul', (c) => c.set(0, c.elem(0), matmulShape(c.shape(0), c.shape(1), c.int('transA', 0) !== 0, c.int('transB', 0) !== 0)), 'com.microsoft');
rule('MatMulNBits', (c) => {
  const a = c.shape(0);
  c.set(0, c.elem(0), a ? [...a.slice(0, -1), c.int('N', 0) || null] : null);
}, 'com.microsoft');

/** Einsum, with `...` and implicit output (letters used once, in alphabetical order). */
rule('Einsum', (c) => {
  const eq = c.str('equation', '').replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const letters = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ellipsis: Dim[] | null = [];
  terms.forEach((term, i) => {
    const s = c.shape(i);
    const hasEll = term.includes('...');
    const parts = term.split('...');
    const before = parts[0] ?? '';
    const after = hasEll ? (parts[1] ?? '') : '';
    const ellRank = s ? s.length - before.length - after.length : null;
    if (hasEll) {
      if (s && ellRank !== null && ellRank >= 0 && ellipsis) ellipsis = broadcastShapes([ellipsis, s.slice(before.length, before.length + ellRank)]);
      else ellipsis = null;
    }
    const place = (str: string, offset: number): void => {
      for (let k = 0; k < str.length; k++) {
        const ch = str[k]!;
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
        const d = s ? s[offset + k] ?? null : null;
        const prev = letters.get(ch);
        letters.set(ch, prev === undefined ? d : prev === 1 ? d : d === 1 ? prev : mergeDim(prev, d));
      }
    };
    place(before, 0);
    if (hasEll && s && ellRank !== null) place(after, before.length + ellRank);
    else place(after, 0);
  });
  let out: string;
  if (rhs !== undefined) out = rhs;
  else {
    const once = [...counts.entries()].filter(([, n]) => n === 1).map(([ch]) => ch).filter((ch) => ch !== '.').sort();
    out = (lhs.includes('...') ? '...' : '') + once.join('');
  }
  const shape: Dim[] = [];
  const outParts = out.split('...');
  for (let p = 0; p < outParts.length; p++) {
    if (p > 0) {
      if (!ellipsis) return c.set(0, c.elem(0), null);
      shape.push(...(ellipsis as Dim[]));
    }
    for (const ch of outParts[p]!) shape.push(letters.get(ch) ?? null);
  }
  c.set(0, c.elem(0), shape);
});

rule(['RNN', 'GRU', 'LSTM'], (c) => {
  const xs = c.shape(0);
  const hidden: Dim = c.int('hidden_size', 0) || null;
  const dirs = c.str('direction', 'forward') === 'bidirectional' ? 2 : 1;
  const layout = c.int('layout', 0);
  const elem = c.elem(0);
  const seq = xs ? xs[layout ? 1 : 0]! : null;
  const batch = xs ? xs[layout ? 0 : 1]! : null;
  c.set(0, elem, layout ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden]);
  const state = layout ? [batch, dirs, hidden] : [dirs, batch, hidden];
  c.set(1, elem, state);
  c.set(2, elem, state);
});
