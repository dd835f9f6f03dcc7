/** Element-wise, broadcasting, activation, normalization and quantization rules. */
import { DataType } from '../../tensor/dtypes';
import { castNumber, foldElementwise, isIntegerType } from '../constants';
import type { NodeCtx } from '../context';
import { broadcastShapes, normAxis } from '../dims';
import type { ConstValue, Dim } from '../types';
import { rule } from './registry';

const UNARY_SAME = [
  'Identity', 'Relu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'Erf', 'Gelu', 'LeakyRelu', 'Elu',
  'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Mish', 'ThresholdedRelu', 'Shrink', 'Clip',
  'Softmax', 'LogSoftmax', 'Hardmax', 'Ceil', 'Floor', 'Round', 'Reciprocal', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin',
  'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'BitwiseNot', 'CumSum', 'Trilu', 'ReverseSequence',
  'InstanceNormalization', 'GroupNormalization', 'LpNormalization', 'LRN', 'MeanVarianceNormalization',
  'ScatterND', 'ScatterElements', 'Scatter', 'Swish', 'Binarizer', 'Normalizer', 'Scaler', 'Optional',
];

/** Unary ops folded on constants (integer shape arithmetic mostly). */
const UNARY_FOLD: Partial<Record<string, (x: number) => number>> = {
  Identity: (x) => x,
  Neg: (x) => -x,
  Abs: (x) => Math.abs(x),
  Ceil: (x) => Math.ceil(x),
  Floor: (x) => Math.floor(x),
  Round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  Sqrt: (x) => Math.sqrt(x),
  Reciprocal: (x) => 1 / x,
  Relu: (x) => Math.max(0, x),
  Sign: (x) => Math.sign(x),
  Exp: (x) => Math.exp(x),
  Log: (x) => Math.log(x),
};

rule(UNARY_SAME, (c) => {
  c.same(0, 0);
  const fn = UNARY_FOLD[c.node.opType ?? ''];
  const v = fn ? c.value(0) : undefined;
  if (!fn || !v || !c.outs[0]) return;
  const elem = c.elem(0);
  const keepSymbol = c.node.opType === 'Identity' || c.node.opType === 'Abs' || c.node.opType === 'Relu';
  c.outs[0].value = {
    dims: v.dims,
    values: v.values.map((x) => (typeof x === 'number' ? castNumber(fn(x), elem) : keepSymbol ? x : null)),
  };
});
// ONNX Runtime contrib ops that keep the shape of their first input.
rule(['Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'BiasAdd', 'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization', 'SimplifiedLayerNormalization', 'RotaryEmbedding'], (c) => c.same(0, 0), 'com.microsoft');

rule(['Not', 'IsNaN', 'IsInf'], (c) => c.same(0, 0, DataType.BOOL));

rule('Dropout', (c) => {
  c.same(0, 0);
  c.same(1, 0, DataType.BOOL);
});

rule(['RandomNormalLike', 'RandomUniformLike', 'Bernoulli', 'EyeLike'], (c) => {
  const dt = c.int('dtype', 0);
  c.same(0, 0, dt || c.elem(0));
});

rule(['RandomNormal', 'RandomUniform'], (c) => c.set(0, c.int('dtype', DataType.FLOAT), c.ints('shape') ?? null));

rule('Cast', (c) => {
  const to = c.int('to', 0);
  const v = c.value(0);
  c.set(0, to, c.shape(0), v ? castValue(v, to) : undefined);
});

rule('CastLike', (c) => {
  const to = c.elem(1);
  const v = c.value(0);
  c.set(0, to, c.shape(0), v && to ? castValue(v, to) : undefined);
});

function castValue(v: ConstValue, to: number): ConstValue {
  return { dims: v.dims, values: v.values.map((x) => (typeof x === 'number' ? castNumber(x, to) : isIntegerType(to) || to === DataType.FLOAT || to === DataType.DOUBLE ? x : null)) };
}

type Binary = (a: number, b: number, intType: boolean) => number;

const ARITH: Partial<Record<string, Binary>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b, int) => (int ? Math.trunc(a / b) : a / b),
  Pow: (a, b) => a ** b,
  Max: (a, b) => Math.max(a, b),
  Min: (a, b) => Math.min(a, b),
  Mod: (a, b, int) => (int ? ((a % b) + b) % b : a % b),
};

/** Identities that keep a symbolic dim symbolic: N + 0, N * 1, N / 1, max(N, 1)… */
function symbolic(op: string, a: Dim, b: Dim): Dim {
  if (typeof a === 'string' && typeof b === 'number') {
    if ((op === 'Add' || op === 'Sub') && b === 0) return a;
    if ((op === 'Mul' || op === 'Div') && b === 1) return a;
    if (op === 'Max' && b <= 1) return a;
  }
  if (typeof b === 'string' && typeof a === 'number') {
    if (op === 'Add' && a === 0) return b;
    if (op === 'Mul' && a === 1) return b;
    if (op === 'Max' && a <= 1) return b;
  }
  if (typeof a === 'string' && a === b && (op === 'Max' || op === 'Min')) return a;
  return null;
}

function foldArith(c: NodeCtx, op: string, elemType: number): ConstValue | undefined {
  const fn = ARITH[op];
  if (!fn || c.inputCount < 2) return undefined;
  const vals: ConstValue[] = [];
  for (let i = 0; i < c.inputCount; i++) {
    const v = c.value(i);
    if (!v) return undefined;
    vals.push(v);
  }
  const int = isIntegerType(elemType);
  return foldElementwise(vals, (xs) => {
    let acc: Dim = xs[0]!;
    for (let j = 1; j < xs.length; j++) {
      const b = xs[j]!;
      if (typeof acc === 'number' && typeof b === 'number') {
        const r = fn(acc, b, int);
        acc = Number.isFinite(r) || !int ? castNumber(r, elemType) : null;
      } else acc = symbolic(op, acc, b);
    }
    return acc;
  });
}

function allShapes(c: NodeCtx): (Dim[] | null)[] {
  const out: (Dim[] | null)[] = [];
  for (let i = 0; i < c.inputCount; i++) if (c.has(i)) out.push(c.shape(i));
  return out;
}

// PRelu's slope broadcasts to X (unidirectionally): Y has X's shape.
rule('PRelu', (c) => c.same(0, 0));

rule(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mean', 'Sum', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor'], (c) => {
  const op = c.node.opType ?? '';
  const elem = c.elem(0) || c.elem(1);
  c.set(0, elem, broadcastShapes(allShapes(c)), foldArith(c, op === 'Sum' ? 'Add' : op, elem));
});

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  Equal: (a, b) => a === b,
  Less: (a, b) => a < b,
  Greater: (a, b) => a > b,
  LessOrEqual: (a, b) => a <= b,
  GreaterOrEqual: (a, b) => a >= b,
  And: (a, b) => a !== 0 && b !== 0,
  Or: (a, b) => a !== 0 || b !== 0,
  Xor: (a, b) => (a !== 0) !== (b !== 0),
};

rule(Object.keys(COMPARE), (c) => {
  const op = c.node.opType ?? '';
  const a = c.value(0);
  const b = c.value(1);
  const fn = COMPARE[op]!;
  const value =
    a && b
      ? foldElementwise([a, b], ([x, y]) => {
          if (typeof x === 'number' && typeof y === 'number') return fn(x, y) ? 1 : 0;
          if (op === 'Equal' && typeof x === 'string' && x === y) return 1;
          // A symbolic dim is a size: never negative (so `N == -1` is false).
          if (op === 'Equal' && ((typeof x === 'string' && typeof y === 'number' && y < 0) || (typeof y === 'string' && typeof x === 'number' && x < 0))) return 0;
          return null;
        })
      : undefined;
  c.set(0, DataType.BOOL, broadcastShapes([c.shape(0), c.shape(1)]), value);
});

rule('Where', (c) => {
  const cond = c.value(0);
  const x = c.value(1);
  const y = c.value(2);
  const value = cond && x && y ? foldElementwise([cond, x, y], ([k, a, b]) => (typeof k === 'number' ? (k !== 0 ? a! : b!) : null)) : undefined;
  c.set(0, c.elem(1) || c.elem(2), broadcastShapes([c.shape(0), c.shape(1), c.shape(2)]), value);
});

rule('LayerNormalization', (c) => {
  c.same(0, 0);
  const s = c.shape(0);
  const stash = c.int('stash_type', DataType.FLOAT);
  if (!s) {
    c.set(1, stash, null);
    c.set(2, stash, null);
    return;
  }
  const axis = normAxis(c.int('axis', -1), s.length);
  const reduced = axis === null ? null : s.map((d, i) => (i < axis ? d : 1));
  c.set(1, stash, reduced);
  c.set(2, stash, reduced);
});

rule('BatchNormalization', (c) => {
  c.same(0, 0);
  for (let i = 1; i < c.outputCount; i++) c.set(i, c.elem(1) || c.elem(0), c.shape(1) ?? c.shape(3));
});

rule('QuantizeLinear', (c) => {
  const out = c.int('output_dtype', 0) || (c.has(2) ? c.elem(2) : 0) || DataType.UINT8;
  c.set(0, out, c.shape(0));
});

rule('DequantizeLinear', (c) => {
  c.set(0, c.int('output_dtype', 0) || c.elem(1) || DataType.FLOAT, c.shape(0));
});

rule('DynamicQuantizeLinear', (c) => {
  c.set(0, DataType.UINT8, c.shape(0));
  c.set(1, DataType.FLOAT, []);
  c.set(2, DataType.UINT8, []);
});

// com.microsoft quantized element-wise ops: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp.
rule(['QLinearAdd', 'QLinearMul'], (c) => c.set(0, c.elem(0), broadcastShapes([c.shape(0), c.shape(3)])), 'com.microsoft');
rule(['QLinearSigmoid', 'QLinearLeakyRelu', 'QLinearSoftmax'], (c) => c.same(0, 0), 'com.microsoft');
