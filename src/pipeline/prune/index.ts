/** Pruning (placeholder until the pruning pipeline lands in this folder). */
import type { PruneParams, PruneResult, PruneSensitivityParams, PruneSensitivityResult } from '../../protocol/prune';
import type { OperationContext } from '../types';

export async function prune(_params: PruneParams, _ctx: OperationContext = {}): Promise<PruneResult> {
  throw new Error('prune: not built yet');
}

export async function pruneSensitivity(_params: PruneSensitivityParams, _ctx: OperationContext = {}): Promise<PruneSensitivityResult> {
  throw new Error('prune-sensitivity: not built yet');
}
