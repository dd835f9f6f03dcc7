/**
 * The Pipeline view's nodes: the stages of a pipeline file with their live status (queued, running, the run's
 * statuses), durations, gate checks as children. No vscode.
 */
import type { CheckResult, PipelineRunResult, StageKind, StageResult } from '../../../protocol/pipeline';

/** A run's statuses, plus queued, running and done (finished earlier in a run still going: passed or cached). */
export type LiveStatus = StageResult['status'] | 'queued' | 'running' | 'done';

export interface StageNode {
  readonly kind: 'stage';
  readonly id: string;
  readonly run: StageKind;
  readonly status: LiveStatus;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** `ptp.pipeline.stage.<status>`: awaiting-approval stages get the Approve / Reject actions. */
  readonly contextValue: string;
  readonly line: number;
  /** The stage's folder in the run folder, or a file it wrote (undefined: none). */
  readonly output?: string;
  readonly children: readonly CheckNode[];
}

export interface CheckNode {
  readonly kind: 'check';
  readonly label: string;
  readonly description: string;
  readonly passed: boolean;
}

export interface LiveRun {
  /** The stages of the file, in order. */
  readonly stages: readonly { readonly id: string; readonly run: StageKind; readonly line: number }[];
  /** The stage the progress message names as running now. */
  readonly running?: string;
  /** The stages that started in this run, in order (the ones before `running` are done). */
  readonly started?: readonly string[];
  /** The last finished run of this file. */
  readonly result?: PipelineRunResult;
}

/** The stage id in a progress message `stage <id> (<kind>)`. */
export function runningStage(message: string | undefined): string | undefined {
  return message ? /^stage (\S+) \(/.exec(message)?.[1] : undefined;
}

const value = (v: unknown): string => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : JSON.stringify(v) ?? 'undefined');

export function checkNode(c: CheckResult): CheckNode {
  return { kind: 'check', label: `${c.passed ? '✔' : '✘'} ${c.expr}`, description: c.error ?? `left ${value(c.left)}, right ${value(c.right)}`, passed: c.passed };
}

/** A file or folder the stage wrote: `outputs.output` when it is a path, else undefined. */
function outputOf(s: StageResult | undefined): string | undefined {
  const o = s?.outputs.output;
  return typeof o === 'string' && o.startsWith('/') ? o : typeof o === 'string' && /^[A-Za-z]:[\\/]/.test(o) ? o : undefined;
}

export function stageNodes(live: LiveRun): StageNode[] {
  const results = new Map((live.running ? [] : (live.result?.stages ?? [])).map((s) => [s.id, s]));
  const started = live.started ?? [];
  return live.stages.map((s) => {
    const r = results.get(s.id);
    const status: LiveStatus = live.running ? (s.id === live.running ? 'running' : started.includes(s.id) ? 'done' : 'queued') : (r?.status ?? 'queued');
    const description = [status, r && !live.running ? `${r.seconds.toFixed(2)} s` : undefined].filter(Boolean).join(' · ');
    const output = live.running ? undefined : outputOf(r);
    return {
      kind: 'stage',
      id: s.id,
      run: s.run,
      status,
      label: `${s.id} (${s.run})`,
      description,
      tooltip: [`**${s.id}** — ${s.run}, ${status}`, r?.message && !live.running ? r.message : undefined].filter(Boolean).join('\n\n'),
      contextValue: `ptp.pipeline.stage.${status}`,
      line: s.line,
      ...(output ? { output } : {}),
      children: live.running ? [] : (r?.checks ?? []).map(checkNode),
    };
  });
}
