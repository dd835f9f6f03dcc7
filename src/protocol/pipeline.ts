/**
 * The pipeline as code (`ptp.pipeline.yaml`, `ptp pipeline run|validate|approve`): the file as read, the run's
 * result (what `ptp pipeline run --json` prints and `run.json` holds — snake_case, a published contract) and the
 * run state kept under `.ptp/pipelines/<name>/`. Read and run by src/pipeline/pipeline.
 */

/** Every stage kind the file format knows (some are refused at run time in this version: see UNAVAILABLE_STAGES). */
export const STAGE_KINDS = [
  'evaluate',
  'compare',
  'quantize',
  'optimize',
  'prune',
  'distill',
  'explain',
  'register',
  'alias',
  'card',
  'export',
  'serve-check',
  'drift',
  'monitor',
  'gate',
  'approve',
] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Kinds the file may name but this version cannot run yet (the run stops there with a clear message): none now. */
export const UNAVAILABLE_STAGES: readonly StageKind[] = [];

/** Where something is in the pipeline file (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

export interface PipelineData {
  /** Absolute paths (given relative to the pipeline file). */
  readonly test?: string;
  readonly calibration?: string;
  readonly train?: string;
  /** undefined = auto-detect (label/target/y). */
  readonly label?: string;
  readonly sensitive: readonly string[];
}

export interface StageSpec {
  readonly id: string;
  readonly run: StageKind;
  /** The stage's options as written (snake_case keys; `${{ … }}` still unresolved). */
  readonly with: Readonly<Record<string, unknown>>;
  /** Where the stage starts in the file. */
  readonly at: SourcePosition;
}

export interface PipelineSpec {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** The folder relative paths are resolved against (the file's folder). */
  readonly dir: string;
  readonly version: 1;
  readonly name: string;
  /** A path (absolute) or NAME@VERSION / NAME@ALIAS. */
  readonly model: string;
  /** The registry folder (absolute). */
  readonly registry: string;
  readonly data: PipelineData;
  readonly stages: readonly StageSpec[];
}

export type StageStatus = 'passed' | 'failed' | 'cached' | 'skipped' | 'awaiting-approval';
export type RunStatus = 'passed' | 'failed' | 'awaiting-approval';

/** One gate check: `left`/`right` are both sides' values when the check is a comparison, else `left` is its value. */
export interface CheckResult {
  readonly expr: string;
  readonly passed: boolean;
  readonly left: unknown;
  readonly right: unknown;
  /** Why the check could not be evaluated (a value missing from a stage's outputs …). */
  readonly error?: string;
}

export type StageOutputs = Readonly<Record<string, unknown>>;

export interface StageResult {
  readonly id: string;
  readonly run: StageKind;
  readonly status: StageStatus;
  readonly seconds: number;
  readonly outputs: StageOutputs;
  readonly checks?: readonly CheckResult[];
  /** Why it failed, was skipped or waits. */
  readonly message?: string;
}

export interface ReportFiles {
  readonly html: string;
  readonly markdown: string;
  readonly junit: string;
}

/** `ptp pipeline run --json`, and `run.json` in the run folder. */
export interface PipelineRunResult {
  readonly name: string;
  readonly run_id: string;
  readonly status: RunStatus;
  readonly file: string;
  readonly run_dir: string;
  readonly started: string;
  readonly seconds: number;
  readonly stages: readonly StageResult[];
  readonly report: ReportFiles;
}

/** `ptp pipeline validate --json`. */
export interface PipelineValidation {
  readonly file: string;
  readonly name: string;
  readonly valid: true;
  readonly stages: readonly { readonly id: string; readonly run: StageKind; readonly available: boolean }[];
}

/** A recorded approval decision (`--approve`, the terminal prompt or `ptp pipeline approve`). */
export interface ApprovalDecision {
  readonly stage: string;
  /** The stage's cache key when it was decided: a decision holds only for the same inputs. */
  readonly key: string;
  readonly approved: boolean;
  readonly by: string;
  readonly at: string;
  readonly comment?: string;
  /** How it was given: `flag` (--approve), `prompt` (a terminal), `command` (ptp pipeline approve). */
  readonly via: 'flag' | 'prompt' | 'command';
}

/** `.ptp/pipelines/<name>/state.json`. */
export interface PipelineState {
  readonly format: 'ptp-pipeline-state';
  readonly format_version: 1;
  readonly name: string;
  readonly last_run?: string;
  /** The approval the last run stopped at. */
  readonly pending?: { readonly stage: string; readonly key: string; readonly run_id: string; readonly message: string };
  /** stage id → the latest decision. */
  readonly decisions: Readonly<Record<string, ApprovalDecision>>;
  /** cache key → the stage's outputs when it last passed. */
  readonly cache: Readonly<Record<string, { readonly stage: string; readonly run_id: string; readonly outputs: StageOutputs; readonly checks?: readonly CheckResult[] }>>;
}

/** Worker op `pipeline-run`: run a pipeline file (the VS Code extension; the CLI calls runPipeline itself). */
export interface PipelineRunParams {
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /** Approve these approve stages up front, or all. */
  readonly approve?: readonly string[] | 'all';
  readonly force?: boolean;
  /** Run only these stages (the others reuse their cached outputs, else are skipped). */
  readonly only?: readonly string[];
  /** The registry when the file names none (else `.ptp/registry` next to it). */
  readonly registry?: string;
}

/** Worker op `pipeline-approve`: record a decision on the approval a run waits for. */
export interface PipelineApproveParams {
  readonly file: string;
  readonly stage: string;
  readonly approved: boolean;
  readonly by: string;
  readonly comment?: string;
  readonly registry?: string;
}
