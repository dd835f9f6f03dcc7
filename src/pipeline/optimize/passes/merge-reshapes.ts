/** fuse-consecutive-reshapes: Reshape (or Flatten) followed by a Reshape to a constant shape becomes one Reshape. */
import type { TypeInfo } from '../../../core/shape-inference';
import type { PassContext } from '../context';
import { intAttr, isOnnxOp } from '../../shared/nodes';
import { Rewriter } from '../rewriter';
import { int64Vector, integerValues } from '../../shared/tensors';

/**
 * Z = Reshape(Reshape(X, s1) | Flatten(X), s2) → Z = Reshape(X, s2): a reshape only depends on the element
 * count and order, which the first node keeps. `s2` must be a constant; its 0 entries (copy a dim of the
 * intermediate tensor, unless allowzero = 1) are replaced by that dim when shape inference knows it, else
 * the pair is left alone. Chains merge in one sweep. The first node is removed when nothing else reads it.
 * Opset 5+ (shape as input). Returns merges made.
 */
export async function mergeReshapes(ctx: PassContext): Promise<number> {
  if (ctx.opset < 5 || !ctx.nodes().some((n) => isOnnxOp(n, 'Reshape'))) return 0;
  let shapes: Map<string, TypeInfo> | undefined;
  const rw = new Rewriter(ctx);
  let changes = 0;
  for (const r2 of ctx.nodes()) {
    if (!isOnnxOp(r2, 'Reshape') || rw.isTouched(r2)) continue;
    const [y, s2Name] = r2.input ?? [];
    const first = rw.producer(y ?? '');
    if (!y || !s2Name || !first || !(isOnnxOp(first, 'Reshape') || isOnnxOp(first, 'Flatten')) || !first.input?.[0]) continue;
    const s2 = await ctx.constant(s2Name, rw.index);
    const target = s2 && s2.dims.length === 1 ? integerValues(s2) : undefined;
    if (!target) continue;
    let shapeInput = s2Name;
    if (intAttr(r2, 'allowzero', 0) === 0 && target.includes(0)) {
      shapes ??= await ctx.shapes();
      const mid = shapes.get(y)?.shape;
      const resolved = target.map((d, i) => (d === 0 ? mid?.[i] : d));
      if (!resolved.every((d): d is number => typeof d === 'number')) continue;
      shapeInput = ctx.uniqueName(`${s2Name}_resolved`);
      ctx.addInitializer(int64Vector(shapeInput, resolved));
    }
    rw.replace(r2, { ...r2, input: [first.input[0], shapeInput] });
    if (rw.readOnlyBy(y, r2)) {
      rw.remove(first);
      rw.forget(y);
    }
    changes++;
  }
  rw.commit();
  return changes;
}
