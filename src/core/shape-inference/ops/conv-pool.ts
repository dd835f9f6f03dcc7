/** Convolution and pooling rules (NCHW layouts, any number of spatial dims). */
import { DataType } from '../../tensor/dtypes';
import type { NodeCtx } from '../context';
import type { Dim } from '../types';
import { rule } from './registry';

interface Window {
  kernel: readonly Dim[];
  strides: readonly number[];
  dilations: readonly number[];
  pads: readonly number[];
  autoPad: string;
  ceil: boolean;
}

function windowOf(c: NodeCtx, nsp: number, kernel: readonly Dim[]): Window {
  const ones = new Array<number>(nsp).fill(1);
  return {
    kernel,
    strides: c.ints('strides') ?? ones,
    dilations: c.ints('dilations') ?? ones,
    pads: c.ints('pads') ?? new Array<number>(2 * nsp).fill(0),
    autoPad: c.str('auto_pad', 'NOTSET'),
    ceil: c.int('ceil_mode', 0) !== 0,
  };
}

/** Output size of a sliding window over `input` along spatial axis `i` (Conv, pooling). */
function slide(input: Dim, i: number, nsp: number, w: Window): Dim {
  const k = w.kernel[i];
  const s = w.strides[i] ?? 1;
  const d = w.dilations[i] ?? 1;
  if (typeof k !== 'number') return null;
  const eff = (k - 1) * d + 1;
  const pb = w.pads[i] ?? 0;
  const pe = w.pads[i + nsp] ?? 0;
  if (typeof input !== 'number') {
    // A 1×1 window with stride 1 and no padding keeps even a symbolic size.
    return eff === 1 && s === 1 && (w.autoPad !== 'NOTSET' || pb + pe === 0) ? input : null;
  }
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(input / s);
  if (w.autoPad === 'VALID') return Math.max(0, Math.floor((input - eff) / s) + 1);
  const span = input + pb + pe - eff;
  if (span < 0) return 0;
  let out = (w.ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // With ceil_mode, a last window that would start in the end padding is dropped.
  if (w.ceil && (out - 1) * s >= input + pb) out--;
  return out;
}

function conv(c: NodeCtx, x: number, w: number, elemType: number): void {
  const xs = c.shape(x);
  const ws = c.shape(w);
  const rank = xs?.length ?? ws?.length ?? null;
  if (rank === null || rank < 2) {
    c.set(0, elemType, null);
    return;
  }
  const nsp = rank - 2;
  const kernel: Dim[] = c.ints('kernel_shape') ?? (ws ? ws.slice(2) : new Array<Dim>(nsp).fill(null));
  const win = windowOf(c, nsp, kernel);
  const out: Dim[] = [xs ? xs[0]! : null, ws ? ws[0]! : null];
  for (let i = 0; i < nsp; i++) out.push(xs ? slide(xs[2 + i]!, i, nsp, win) : null);
  c.set(0, elemType, out);
}

rule('Conv', (c) => conv(c, 0, 1, c.elem(0)));
rule('ConvInteger', (c) => conv(c, 0, 1, DataType.INT32));
// x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B
rule('QLinearConv', (c) => conv(c, 0, 3, c.elem(7) || c.elem(0)));
rule(['FusedConv', 'NhwcConv'], (c) => conv(c, 0, 1, c.elem(0)), 'com.microsoft');

rule('ConvTranspose', (c) => {
  const xs = c.shape(0);
  const ws = c.shape(1);
  const rank = xs?.length ?? ws?.length ?? null;
  const elem = c.elem(0);
  if (rank === null || rank < 2) {
    c.set(0, elem, null);
    return;
  }
  const nsp = rank - 2;
  const group = c.int('group', 1);
  const kernel: Dim[] = c.ints('kernel_shape') ?? (ws ? ws.slice(2) : new Array<Dim>(nsp).fill(null));
  const win = windowOf(c, nsp, kernel);
  const outPad = c.ints('output_padding') ?? new Array<number>(nsp).fill(0);
  const outShape = c.ints('output_shape');
  const channels: Dim = ws && typeof ws[1] === 'number' ? ws[1] * group : null;
  const out: Dim[] = [xs ? xs[0]! : null, channels];
  for (let i = 0; i < nsp; i++) {
    if (outShape && outShape.length >= nsp) {
      out.push(outShape[outShape.length - nsp + i]!);
      continue;
    }
    const input = xs ? xs[2 + i]! : null;
    const k = kernel[i];
    const s = win.strides[i] ?? 1;
    if (typeof input !== 'number' || typeof k !== 'number') {
      out.push(null);
      continue;
    }
    if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') {
      out.push(input * s);
      continue;
    }
    const d = win.dilations[i] ?? 1;
    const pads = win.autoPad === 'VALID' ? 0 : (win.pads[i] ?? 0) + (win.pads[i + nsp] ?? 0);
    out.push(s * (input - 1) + (outPad[i] ?? 0) + (k - 1) * d + 1 - pads);
  }
  c.set(0, elem, out);
});

rule(['MaxPool', 'AveragePool', 'LpPool'], (c) => {
  const xs = c.shape(0);
  const elem = c.elem(0);
  if (!xs || xs.length < 2) {
    c.set(0, elem, null);
    c.set(1, DataType.INT64, null);
    return;
  }
  const nsp = xs.length - 2;
  const win = windowOf(c, nsp, c.ints('kernel_shape') ?? new Array<Dim>(nsp).fill(null));
  const out: Dim[] = [xs[0]!, xs[1]!];
  for (let i = 0; i < nsp; i++) out.push(slide(xs[2 + i]!, i, nsp, win));
  c.set(0, elem, out);
  c.set(1, DataType.INT64, out);
});

rule(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'], (c) => {
  const xs = c.shape(0);
  c.set(0, c.elem(0), xs && xs.length >= 2 ? [xs[0]!, xs[1]!, ...new Array<Dim>(xs.length - 2).fill(1)] : null);
});

rule('MaxRoiPool', (c) => {
  const xs = c.shape(0);
  const rois = c.shape(1);
  const pooled = c.ints('pooled_shape') ?? [null, null];
  c.set(0, c.elem(0), [rois ? rois[0]! : null, xs ? xs[1]! : null, ...pooled]);
});

rule('RoiAlign', (c) => {
  const xs = c.shape(0);
  const rois = c.shape(1);
  c.set(0, c.elem(0), [rois ? rois[0]! : null, xs ? xs[1]! : null, c.int('output_height', 1), c.int('output_width', 1)]);
});

rule('GridSample', (c) => {
  const xs = c.shape(0);
  const grid = c.shape(1);
  if (!xs || !grid) return c.set(0, c.elem(0), null);
  c.set(0, c.elem(0), [xs[0]!, xs[1]!, ...grid.slice(1, -1)]);
});

rule(['DepthToSpace', 'SpaceToDepth'], (c) => {
  const xs = c.shape(0);
  const b = c.int('blocksize', 1);
  if (!xs || xs.length !== 4) return c.set(0, c.elem(0), null);
  const [n, ch, h, w] = xs as [Dim, Dim, Dim, Dim];
  const mul = (d: Dim, f: number): Dim => (typeof d === 'number' ? d * f : f === 1 ? d : null);
  const div = (d: Dim, f: number): Dim => (typeof d === 'number' ? (d % f === 0 ? d / f : null) : f === 1 ? d : null);
  if (c.node.opType === 'DepthToSpace') c.set(0, c.elem(0), [n, div(ch, b * b), mul(h, b), mul(w, b)]);
  else c.set(0, c.elem(0), [n, mul(ch, b * b), div(h, b), div(w, b)]);
});
