/** eliminate-identity / eliminate-dropout: nodes that forward their input unchanged at inference. */
import type { PassContext } from '../context';
import { intAttr, isOnnxOp, type Node } from '../../shared/nodes';
import { Rewriter } from '../rewriter';
import { bypassNode } from './bypass';

/** Removes Identity nodes (graph output names kept; see `bypassNode`). Returns nodes removed. */
export async function eliminateIdentity(ctx: PassContext): Promise<number> {
  const rw = new Rewriter(ctx);
  let changes = 0;
  for (const n of ctx.nodes()) {
    if (!isOnnxOp(n, 'Identity') || !n.input?.[0] || (n.output ?? []).length !== 1 || !n.output![0]) continue;
    if (bypassNode(rw, n, n.input[0], n.output![0])) changes++;
  }
  rw.commit();
  return changes;
}

/**
 * Removes Dropout nodes, which are the identity at inference: skipped when a `training_mode` input (opset 12+)
 * is not a constant false, when the `mask` output is read, or (opset < 7) when `is_test` is explicitly 0 and
 * the model thus asks for training behaviour. Returns nodes removed.
 */
export async function eliminateDropout(ctx: PassContext): Promise<number> {
  const rw = new Rewriter(ctx);
  let changes = 0;
  for (const n of ctx.nodes()) {
    if (!isOnnxOp(n, 'Dropout') || !n.input?.[0] || !n.output?.[0]) continue;
    if (!(await isInference(ctx, rw, n)) || maskIsRead(rw, n)) continue;
    if (bypassNode(rw, n, n.input[0], n.output[0])) changes++;
  }
  rw.commit();
  return changes;
}

async function isInference(ctx: PassContext, rw: Rewriter, n: Node): Promise<boolean> {
  if (ctx.opset < 7 && (n.attribute ?? []).some((a) => a.name === 'is_test') && intAttr(n, 'is_test', 0) === 0) return false;
  const training = n.input?.[2];
  if (!training) return true;
  const v = await ctx.constant(training, rw.index);
  return !!v && v.size === 1 && !Array.isArray(v.values) && Number(v.values[0]) === 0;
}

function maskIsRead(rw: Rewriter, n: Node): boolean {
  return (n.output ?? []).slice(1).some((m) => m && (rw.pinned.has(m) || rw.consumers(m).length > 0));
}
