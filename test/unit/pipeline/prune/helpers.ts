/** Shared pieces of the pruning-operation tests: the shipped examples they prune, and a temp folder per test. */
import { join } from 'node:path';
import { ROOT } from '../quantize/helpers';

export { Scratch } from '../quantize/helpers';
export { ROOT };

/** Div(16) → Gemm(64→256) → Relu → Gemm(256→10), trained (examples/make_pruning_example.py). */
export const DIGITS_MLP_WIDE = join(ROOT, 'examples/digits/digits_mlp_wide.onnx');
/** Residual CNN with BatchNormalization kept: Conv→BN→Relu, [Conv→BN→Relu→Conv→BN] + skip, Conv→BN→Relu, GAP, Gemm. */
export const DIGITS_RESNET = join(ROOT, 'examples/digits/digits_resnet.onnx');
export const DIGITS_MLP = join(ROOT, 'examples/digits/digits_mlp.onnx');
export const DIGITS_CSV = join(ROOT, 'examples/digits/digits_test.csv');
export const CREDIT_CSV = join(ROOT, 'examples/credit/credit_test.csv');

/** Accuracy out of a metrics object (classification). */
export function accuracyOf(m: unknown): number {
  const a = (m as { accuracy?: unknown } | null)?.accuracy;
  if (typeof a !== 'number') throw new Error(`no accuracy in ${JSON.stringify(m)}`);
  return a;
}
