/** fuse-matmul-add-bias-into-gemm: MatMul followed by Add of a bias becomes one Gemm. */
import { DataType } from '../../../core/tensor/dtypes';
import type { Dim } from '../../../core/shape-inference';
import type { PassContext } from '../context';
import { isOnnxOp } from '../../shared/nodes';
import { Rewriter } from '../rewriter';

/**
 * Y = Add(MatMul(A, B), C) → Y = Gemm(A, B, C) when A and B are known to be 2-D ([N, K] and [K, M]), the element
 * type is FLOAT or DOUBLE, the MatMul result is read by the Add only (and is no graph output), and C broadcasts
 * to [N, M] without growing it (rank ≤ 2; each dim 1 or equal to the output's). Opset 7 and later only (older
 * Add/Gemm broadcast differently). Returns fusions made.
 */
export async function fuseMatMulAdd(ctx: PassContext): Promise<number> {
  if (ctx.opset < 7 || !ctx.nodes().some((n) => isOnnxOp(n, 'MatMul'))) return 0;
  const shapes = await ctx.shapes();
  const rw = new Rewriter(ctx);
  let changes = 0;
  for (const mm of ctx.nodes()) {
    if (!isOnnxOp(mm, 'MatMul') || (mm.input ?? []).length !== 2 || !mm.output?.[0]) continue;
    const y = mm.output[0];
    const add = rw.consumers(y)[0];
    if (!add || !isOnnxOp(add, 'Add') || !rw.readOnlyBy(y, add) || rw.isTouched(mm, add) || !add.output?.[0]) continue;
    const [a0, a1] = add.input ?? [];
    if (a0 === a1) continue;
    const cName = a0 === y ? a1 : a0;
    const [aName, bName] = mm.input as [string, string];
    const a = shapes.get(aName);
    const b = shapes.get(bName);
    const c = shapes.get(cName ?? '');
    if (!cName || !a?.shape || !b?.shape || !c?.shape || a.shape.length !== 2 || b.shape.length !== 2) continue;
    if (!(a.elemType === DataType.FLOAT || a.elemType === DataType.DOUBLE) || b.elemType !== a.elemType || c.elemType !== a.elemType) continue;
    if (!biasFits(c.shape, a.shape[0]!, b.shape[1]!)) continue;
    rw.replace(mm, { name: mm.name || add.name, opType: 'Gemm', domain: '', input: [aName, bName, cName], output: [add.output[0]], attribute: [] });
    rw.remove(add);
    rw.forget(y);
    changes++;
  }
  rw.commit();
  return changes;
}

/** Whether a bias of shape `c` broadcasts to [n, m] and the result is [n, m] (known dims only). */
export function biasFits(c: readonly Dim[], n: Dim, m: Dim): boolean {
  if (c.length > 2) return false;
  const same = (d: Dim, want: Dim) => d === 1 || (d !== null && d === want);
  const last = c.length >= 1 ? c[c.length - 1]! : 1;
  const first = c.length === 2 ? c[0]! : 1;
  return same(last, m) && same(first, n);
}
