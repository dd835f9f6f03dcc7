/** The registry of our graph passes, in the order one fixpoint round runs them. */
import { RuntimeError } from '../../runtime/errors';
import type { PassContext } from '../context';
import { eliminateDeadEnd } from './eliminate-deadend';
import { eliminateDropout, eliminateIdentity } from './eliminate-identity';
import { eliminateUnusedInitializer } from './eliminate-unused-initializer';
import { foldConstants } from './fold-constants';
import { fuseBatchNorm } from './fuse-bn';
import { fuseMatMulAdd } from './fuse-matmul-add';
import { mergeReshapes } from './merge-reshapes';
import { mergeTransposes } from './merge-transposes';

/** One pass: rewrites the main graph of `ctx` in place and returns how many changes it made (0 = nothing to do). */
export interface OptimizationPass {
  readonly name: string;
  readonly description: string;
  readonly run: (ctx: PassContext) => Promise<number> | number;
}

export const OPTIMIZATION_PASSES: readonly OptimizationPass[] = [
  { name: 'eliminate-identity', description: 'remove Identity nodes (graph output names kept)', run: eliminateIdentity },
  { name: 'eliminate-dropout', description: 'remove Dropout nodes (identity at inference)', run: eliminateDropout },
  { name: 'fold-constants', description: 'evaluate constant subgraphs with onnxruntime into initializers', run: foldConstants },
  { name: 'fuse-bn', description: 'fold BatchNormalization into a preceding Conv, Gemm or 2-D MatMul', run: fuseBatchNorm },
  { name: 'fuse-matmul-add-bias-into-gemm', description: 'MatMul + Add of a bias (2-D) → Gemm', run: fuseMatMulAdd },
  { name: 'fuse-consecutive-transposes', description: 'Transpose∘Transpose → one Transpose (none for identity perms)', run: mergeTransposes },
  { name: 'fuse-consecutive-reshapes', description: 'Reshape/Flatten → Reshape(constant shape) → one Reshape', run: mergeReshapes },
  { name: 'eliminate-deadend', description: 'remove nodes whose outputs reach no graph output', run: eliminateDeadEnd },
  { name: 'eliminate-unused-initializer', description: 'remove initializers (and their graph inputs) nothing reads', run: eliminateUnusedInitializer },
];

/**
 * The passes `selection` names, in registry order: 'all', 'none', or names (`_` and `-` are equivalent, so
 * onnxoptimizer's spellings work). Throws RuntimeError('invalid-params') naming the unknown passes and the known ones.
 */
export function selectPasses(selection: 'all' | 'none' | readonly string[] | undefined, registry: readonly OptimizationPass[] = OPTIMIZATION_PASSES): OptimizationPass[] {
  if (selection === undefined || selection === 'all') return [...registry];
  if (selection === 'none') return [];
  const norm = (s: string) => s.trim().toLowerCase().replace(/_/g, '-');
  const wanted = new Set(selection.map(norm).filter(Boolean));
  if (wanted.has('all')) return [...registry];
  const unknown = [...wanted].filter((w) => !registry.some((p) => norm(p.name) === w));
  if (unknown.length > 0) {
    throw new RuntimeError('invalid-params', `unknown optimization pass${unknown.length > 1 ? 'es' : ''} ${unknown.join(', ')} (known: ${registry.map((p) => p.name).join(', ')})`);
  }
  return registry.filter((p) => wanted.has(norm(p.name)));
}
