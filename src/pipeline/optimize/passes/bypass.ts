/** Removing a node whose output equals one of its inputs (Identity, inference Dropout, identity Transpose). */
import type { Node } from '../../shared/nodes';
import type { Rewriter } from '../rewriter';

/**
 * Records the removal of `node`, which forwards tensor `from` unchanged as `to`, and returns whether it could:
 * - `to` is an ordinary tensor: its readers read `from` instead;
 * - `to` is a graph output: `from`'s producer is renamed to write `to` directly (graph output names are the
 *   model's interface and are kept), unless `from` is a graph input, an initializer, another graph output,
 *   or has no producer in the main graph — then the node is kept;
 * - either name is read from inside a subgraph: the node is kept (subgraphs are not rewritten).
 */
export function bypassNode(rw: Rewriter, node: Node, from: string, to: string): boolean {
  if (rw.outerScope.has(to) || from === to || rw.isTouched(node)) return false;
  if (!rw.graphOutputs.has(to)) {
    rw.alias(to, from);
    rw.remove(node);
    return true;
  }
  const root = rw.resolve(from);
  if (rw.graphOutputs.has(root) || rw.outerScope.has(root) || rw.graphInputs.has(root) || rw.initializers.has(root) || rw.hasRename(root)) return false;
  const producer = rw.producer(root);
  if (!producer || producer === node) return false;
  rw.rename(root, to);
  rw.remove(node);
  return true;
}
