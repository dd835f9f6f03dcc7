/** fuse-consecutive-transposes: Transpose∘Transpose becomes one Transpose, or nothing when the perms cancel. */
import type { TypeInfo } from '../../../core/shape-inference';
import type { PassContext } from '../context';
import { intsAttr, isOnnxOp, makeIntsAttr, withAttr } from '../../shared/nodes';
import { Rewriter } from '../rewriter';
import { bypassNode } from './bypass';

/**
 * Z = Transpose(Transpose(X, p1), p2) → Z = Transpose(X, q) with q[j] = p1[p2[j]] (chains compose in one
 * sweep); when q is the identity the second Transpose goes (as an Identity would; it becomes an Identity if
 * Z is a graph output that cannot take X's place). A missing perm (reverse the axes) needs the rank from shape
 * inference. The first Transpose is removed when nothing else reads it. Returns merges made.
 */
export async function mergeTransposes(ctx: PassContext): Promise<number> {
  if (!ctx.nodes().some((n) => isOnnxOp(n, 'Transpose'))) return 0;
  let shapes: Map<string, TypeInfo> | undefined;
  const reversed = async (name: string): Promise<number[] | undefined> => {
    shapes ??= await ctx.shapes();
    const rank = shapes.get(name)?.shape?.length;
    return rank === undefined ? undefined : Array.from({ length: rank }, (_, i) => rank - 1 - i);
  };
  const rw = new Rewriter(ctx);
  let changes = 0;
  for (const t2 of ctx.nodes()) {
    if (!isOnnxOp(t2, 'Transpose') || !t2.output?.[0] || rw.isTouched(t2)) continue;
    const y = t2.input?.[0] ?? '';
    const t1 = rw.producer(y);
    if (!t1 || !isOnnxOp(t1, 'Transpose') || !t1.input?.[0]) continue;
    const x = t1.input[0];
    const p1 = intsAttr(t1, 'perm') ?? (await reversed(x));
    const p2 = intsAttr(t2, 'perm') ?? (await reversed(y));
    if (!p1 || !p2 || p1.length !== p2.length) continue;
    const q = p2.map((j) => p1[j]!);
    const z = t2.output[0];
    if (!q.every((v, i) => v === i)) rw.replace(t2, { ...t2, input: [x], attribute: withAttr(t2, 'perm', makeIntsAttr('perm', q)) });
    else if (!bypassNode(rw, t2, x, z)) rw.replace(t2, { name: t2.name, opType: 'Identity', domain: '', input: [x], output: [z] });
    if (rw.readOnlyBy(y, t2)) {
      rw.remove(t1);
      rw.forget(y);
    }
    changes++;
  }
  rw.commit();
  return changes;
}
