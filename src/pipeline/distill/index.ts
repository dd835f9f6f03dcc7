/** Distillation (placeholder until the distillation pipeline lands in this folder). */
import type { DistillParams, DistillResult } from '../../protocol/distill';
import type { OperationContext } from '../types';

export async function distill(_params: DistillParams, _ctx: OperationContext = {}): Promise<DistillResult> {
  throw new Error('distill: not built yet');
}
