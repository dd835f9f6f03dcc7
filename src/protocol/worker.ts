/**
 * Messages between the extension host (client) and the worker process (`ptp worker`, started with
 * child_process.fork and an IPC channel). One request at a time per op id; every request gets exactly one
 * `result` or `error` reply; any number of `progress` messages may come before it.
 * Cancellation: the client kills the worker process (SIGKILL) — the only way to stop a blocking
 * onnxruntime `session.run` — and starts a fresh one for the next request.
 */
import type { BenchParams, BenchResult, CompareParams, CompareResult, EvaluateParams, EvaluateResult, ProfileParams, ProfileResult } from './evaluate';
import type { QuantizeParams, QuantizeResult } from './quantize';
import type { OptimizeParams, OptimizeResult } from './optimize';
import type { ExplainParams, ExplainResult } from './explain';
import type { PruneParams, PruneResult, PruneSensitivityParams, PruneSensitivityResult } from './prune';
import type { DistillParams, DistillResult } from './distill';
import type { PredictParams, PredictResult } from './predict';
import type { DriftParams, DriftResult } from './drift';
import type { MonitorParams, MonitorResult } from './monitor';
import type { ApprovalDecision, PipelineApproveParams, PipelineRunParams, PipelineRunResult } from './pipeline';

/** Options every onnxruntime-backed operation takes. */
export interface RuntimeOptions {
  /** Intra-op threads (0 = onnxruntime's default). */
  readonly intraOpNumThreads?: number;
  readonly executionProviders?: readonly string[];
  /** Requests in flight at once when the model is at an Open Inference Protocol endpoint (a URL; default 4). */
  readonly endpointConcurrency?: number;
}

export interface RuntimeCheckParams extends RuntimeOptions {
  readonly model: string;
}

/** Whether onnxruntime can create a session for the model. */
export interface RuntimeCheckResult {
  readonly ok: boolean;
  /** onnxruntime's own message when it refused the model. */
  readonly message?: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly ortVersion: string;
  readonly ms: number;
}

export interface SampleParams extends RuntimeOptions {
  readonly model: string;
  /** Value substituted for symbolic/unknown dims (default 1). */
  readonly symbolicDimValue?: number;
  readonly seed?: number;
  /** Number of timed runs after the first (default 0). */
  readonly repeat?: number;
}

export interface ValueStats {
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  readonly nan: number;
  readonly inf: number;
  readonly zeros: number;
}

export interface SampleTensorSummary {
  readonly name: string;
  readonly elem_type: string;
  readonly shape: readonly number[];
  /** Numeric summary (null for strings and other non-numeric values). */
  readonly stats: ValueStats | null;
  /** First values, as text-safe JSON (numbers, or strings for int64 and string tensors). */
  readonly preview: readonly (number | string | boolean)[];
}

export interface SampleResult {
  readonly model: string;
  readonly inputs: readonly SampleTensorSummary[];
  readonly outputs: readonly SampleTensorSummary[];
  /** Wall time of the first run and of each repeat, in ms. */
  readonly run_ms: readonly number[];
  readonly session_ms: number;
  readonly ort_version: string;
}

/** The operations the worker serves: params in, result out. */
export interface WorkerOps {
  'runtime-check': { params: RuntimeCheckParams; result: RuntimeCheckResult };
  sample: { params: SampleParams; result: SampleResult };
  evaluate: { params: EvaluateParams; result: EvaluateResult };
  bench: { params: BenchParams; result: BenchResult };
  compare: { params: CompareParams; result: CompareResult };
  predict: { params: PredictParams; result: PredictResult };
  profile: { params: ProfileParams; result: ProfileResult };
  quantize: { params: QuantizeParams; result: QuantizeResult };
  optimize: { params: OptimizeParams; result: OptimizeResult };
  explain: { params: ExplainParams; result: ExplainResult };
  prune: { params: PruneParams; result: PruneResult };
  'prune-sensitivity': { params: PruneSensitivityParams; result: PruneSensitivityResult };
  distill: { params: DistillParams; result: DistillResult };
  drift: { params: DriftParams; result: DriftResult };
  monitor: { params: MonitorParams; result: MonitorResult };
  'pipeline-run': { params: PipelineRunParams; result: PipelineRunResult };
  'pipeline-approve': { params: PipelineApproveParams; result: ApprovalDecision };
}
export type WorkerOp = keyof WorkerOps;

export type WorkerRequest = {
  [K in WorkerOp]: { readonly kind: 'request'; readonly id: number; readonly op: K; readonly params: WorkerOps[K]['params'] };
}[WorkerOp];

export interface WorkerProgress {
  readonly kind: 'progress';
  readonly id: number;
  readonly message?: string;
  /** 0..1 when known. */
  readonly fraction?: number;
}
export interface WorkerResult {
  readonly kind: 'result';
  readonly id: number;
  readonly result: unknown;
}
export interface WorkerErrorReply {
  readonly kind: 'error';
  readonly id: number;
  readonly error: {
    /** 'user' = bad input the user can fix (exit code 2 in the CLI); 'internal' otherwise. */
    readonly type: 'user' | 'internal';
    readonly code?: string;
    /** The user error's stable category (core/user-error.ts: ONNX, DATASET, QUANTIZE, CANCELLED …), for 'user' errors. */
    readonly category?: string;
    readonly message: string;
  };
}
export type WorkerReply = WorkerProgress | WorkerResult | WorkerErrorReply;
