/**
 * The pipeline as worker operations (`pipeline-run`, `pipeline-approve`): the file path in, the file read and checked
 * here, so the VS Code extension runs a pipeline without onnxruntime on its own thread.
 */
import type { ApprovalDecision, PipelineApproveParams, PipelineRunParams, PipelineRunResult } from '../../protocol/pipeline';
import type { OperationContext } from '../operation';
import { readPipeline } from './file';
import { approvePipeline, runPipeline } from './run';

export async function pipelineRun(params: PipelineRunParams, ctx: OperationContext = {}): Promise<PipelineRunResult> {
  const spec = await readPipeline(params.file, params.registry ? { registry: params.registry } : {});
  return runPipeline(
    spec,
    {
      ...(params.approve ? { approve: params.approve } : {}),
      ...(params.force ? { force: true } : {}),
      ...(params.only ? { only: params.only } : {}),
    },
    ctx,
  );
}

export async function pipelineApprove(params: PipelineApproveParams): Promise<ApprovalDecision> {
  const spec = await readPipeline(params.file, params.registry ? { registry: params.registry } : {});
  return approvePipeline(spec, { stage: params.stage, approved: params.approved, by: params.by, ...(params.comment ? { comment: params.comment } : {}) });
}
