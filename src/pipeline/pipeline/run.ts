/**
 * Running a pipeline: stages in file order, each keyed by the sha256 of its inputs (its resolved options, the bytes
 * of the model and data files it reads, the tool version; gates and approvals also by every earlier stage's key). An
 * unchanged stage is `cached` and reuses its outputs; a failed gate or a rejected approval stops the run; an approval
 * with nobody to give it stops the run `awaiting-approval` until `approvePipeline` records the decision.
 *
 * Next to the pipeline file: `.ptp/pipelines/<name>/state.json` (cache, decisions, the pending approval) and one
 * folder per run, `.ptp/pipelines/<name>/<run-id>/`, holding the files stages write and the reports.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  UNAVAILABLE_STAGES,
  type ApprovalDecision,
  type CheckResult,
  type PipelineRunResult,
  type PipelineSpec,
  type PipelineState,
  type RunStatus,
  type StageOutputs,
  type StageResult,
  type StageSpec,
} from '../../protocol/pipeline';
import type { OperationContext } from '../operation';
import { actor, isRegistryRef, Registry } from '../registry';
import { sha256File } from '../shared/lineage';
import { withLock } from '../shared/lock';
import { TOOL_VERSION } from '../shared/version';
import { PipelineError } from './errors';
import { evaluateCheck, evaluateExpr, ExprError, parseExpr, substitutions, type Expr, type Lookup } from './expr';
import { copyAtomic, writeJsonAtomic } from './files';
import { writeReports } from './report';
import { modelFile, RUNNERS, withDefaults, type Options, type StageContext } from './stages';

export interface RunOptions {
  /** Stage ids approved up front, or 'all'. */
  readonly approve?: readonly string[] | 'all';
  /** Re-run every stage (no cache). */
  readonly force?: boolean;
  /** Run only these stages; the others reuse their cached outputs, else are skipped. */
  readonly only?: readonly string[];
  /** Also copy the reports here. */
  readonly reportDir?: string;
  /** Asks a person (a terminal); absent: an approval not given up front stops the run. */
  readonly ask?: (question: string) => Promise<{ approved: boolean; comment?: string }>;
}

/** `.ptp/pipelines/<name>/` next to the pipeline file. */
export function pipelineHome(spec: PipelineSpec): string {
  return path.join(spec.dir, '.ptp', 'pipelines', spec.name);
}

const stateFile = (spec: PipelineSpec) => path.join(pipelineHome(spec), 'state.json');

export async function readState(spec: PipelineSpec): Promise<PipelineState> {
  const f = stateFile(spec);
  if (!existsSync(f)) return { format: 'ptp-pipeline-state', format_version: 1, name: spec.name, decisions: {}, cache: {} };
  try {
    return JSON.parse(await readFile(f, 'utf8')) as PipelineState;
  } catch (e) {
    throw new PipelineError('bad-file', `${f}: the pipeline's run state is not valid JSON (${(e as Error).message}); remove it to start over`);
  }
}

/** Reads, changes and writes the run state under its lock, so concurrent runs and approvals do not lose each other's entries. */
async function updateState(spec: PipelineSpec, change: (s: PipelineState) => PipelineState): Promise<void> {
  const home = pipelineHome(spec);
  await mkdir(home, { recursive: true });
  const busy = (file: string) => new PipelineError('locked', `${file}: the run state of ${spec.name} is locked by another ptp process; try again, or remove the file if none is running`);
  await withLock(path.join(home, '.state.lock'), async () => writeJsonAtomic(stateFile(spec), change(await readState(spec))), { busy });
}

/** Cached results kept per stage: the latest few (older inputs rarely come back; the run folders stay). */
const CACHE_PER_STAGE = 8;

function trimCache(cache: PipelineState['cache']): PipelineState['cache'] {
  const entries = Object.entries(cache);
  const count = new Map<string, number>();
  const keep: typeof entries = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const [, e] = entries[i]!;
    const n = count.get(e.stage) ?? 0;
    if (n >= CACHE_PER_STAGE) continue;
    count.set(e.stage, n + 1);
    keep.unshift(entries[i]!);
  }
  return Object.fromEntries(keep);
}

function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

const sha256 = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Options naming files whose bytes are part of a stage's key. */
const FILE_OPTIONS = ['model', 'models', 'data', 'calibration', 'recipe', 'finetune', 'eval_data', 'background'];

/** Walks `fields` into a stage's outputs. */
function lookupIn(results: ReadonlyMap<string, StageResult>): Lookup {
  return (p) => {
    const r = results.get(p.stage);
    if (!r || (r.status !== 'passed' && r.status !== 'cached')) throw new ExprError(`${p.text}: the stage "${p.stage}" has no outputs in this run (${r ? r.status : 'not run'})`, p.at);
    let v: unknown = r.outputs;
    for (const f of p.fields) {
      if (v === null || typeof v !== 'object' || !(f in (v as object))) {
        const have = v !== null && typeof v === 'object' ? Object.keys(v as object).join(', ') : String(v);
        throw new ExprError(`${p.text}: "${f}" is not among the outputs (${have})`, p.at);
      }
      v = (v as Record<string, unknown>)[f];
    }
    return v;
  };
}

/** `${{ … }}` in a stage's options → values (a whole-string substitution keeps the value's type). */
function substitute(spec: PipelineSpec, stage: StageSpec, w: Options, lookup: Lookup): Options {
  const one = (s: string): unknown => {
    const subs = substitutions(s);
    if (!subs.length) return s;
    const value = (src: string): unknown => {
      try {
        return evaluateExpr(parseExpr(src), lookup);
      } catch (e) {
        if (e instanceof ExprError) throw new PipelineError('stage-input', `${spec.file}:${stage.at.line}:${stage.at.col}: stage ${stage.id}: ${e.message}`);
        throw e;
      }
    };
    if (subs.length === 1 && subs[0]!.start === 0 && subs[0]!.end === s.length) return value(subs[0]!.expr);
    let out = '';
    let last = 0;
    for (const sub of subs) {
      out += s.slice(last, sub.start) + String(value(sub.expr));
      last = sub.end;
    }
    return out + s.slice(last);
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w)) {
    if (stage.run === 'gate' && k === 'checks') out[k] = v;
    else out[k] = typeof v === 'string' ? one(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? one(x) : x)) : v;
  }
  return out;
}

/** The sha256 of what a stage reads. */
async function stageKey(ctx: StageContext, o: Options, upstream: readonly string[]): Promise<string> {
  const files: Record<string, string> = {};
  for (const k of FILE_OPTIONS) {
    if (k === 'models' && o.models !== undefined) {
      const models = Array.isArray(o.models) ? o.models.map(String) : String(o.models).split(',').map((m) => m.trim());
      files.models = (await Promise.all(models.map(async (m) => sha256File((await modelFile(ctx, m)).file)))).join(',');
      continue;
    }
    const v = o[k];
    if (typeof v !== 'string') continue;
    const file = k === 'model' ? (await modelFile(ctx, v)).file : path.resolve(ctx.spec.dir, v);
    if (!existsSync(file)) {
      if (k === 'model' && !isRegistryRef(v)) throw new PipelineError('missing-input', `${ctx.spec.file}:${ctx.stage.at.line}:${ctx.stage.at.col}: stage ${ctx.stage.id}: model ${v}: no such file`);
      if (k !== 'model') throw new PipelineError('missing-input', `${ctx.spec.file}:${ctx.stage.at.line}:${ctx.stage.at.col}: stage ${ctx.stage.id}: ${k} ${v}: no such file`);
      continue;
    }
    files[k] = await sha256File(file);
  }
  const usesUpstream = ctx.stage.run === 'gate' || ctx.stage.run === 'approve';
  return sha256({ kind: ctx.stage.run, id: ctx.stage.id, options: o, files, tool_version: TOOL_VERSION, ...(usesUpstream ? { upstream } : {}), ...(ctx.stage.run === 'register' || ctx.stage.run === 'alias' ? { registry: ctx.spec.registry } : {}) });
}

/** Whether cached outputs still stand: the files they name exist, a registered version is still there. */
async function stillValid(registry: Registry, stage: StageSpec, outputs: StageOutputs): Promise<boolean> {
  if (typeof outputs.output === 'string' && !existsSync(outputs.output)) return false;
  if (stage.run === 'register' && typeof outputs.ref === 'string') {
    try {
      const r = await registry.resolve(outputs.ref);
      return r.version.sha256 === outputs.sha256;
    } catch {
      return false;
    }
  }
  return true;
}

function approveMessage(spec: PipelineSpec, stage: StageSpec, o: Options): string {
  return typeof o.message === 'string' ? o.message : `Approve stage ${stage.id} of ${spec.name}?`;
}

function runGate(stage: StageSpec, lookup: Lookup): CheckResult[] {
  return (stage.with.checks as string[]).map((expr) => {
    try {
      const e: Expr = parseExpr(expr);
      const r = evaluateCheck(e, lookup);
      return { expr, passed: r.passed, left: r.left, right: r.right };
    } catch (err) {
      if (err instanceof ExprError) return { expr, passed: false, left: null, right: null, error: err.message };
      throw err;
    }
  });
}

/** Runs the pipeline; reports are written into the run folder (and `reportDir`) whatever the outcome. */
export async function runPipeline(spec: PipelineSpec, options: RunOptions = {}, op: OperationContext = {}): Promise<PipelineRunResult> {
  for (const s of spec.stages) {
    if (options.only && !options.only.includes(s.id)) continue;
    if (UNAVAILABLE_STAGES.includes(s.run)) {
      throw new PipelineError('unavailable-stage', `${spec.file}:${s.at.line}:${s.at.col}: stage ${s.id}: the "${s.run}" stage is not available in this version of ptp (available: ${Object.keys(RUNNERS).join(', ')}, gate, approve)`);
    }
  }
  for (const id of options.only ?? []) if (!spec.stages.some((s) => s.id === id)) throw new PipelineError('stage-input', `--only: no stage "${id}" in ${spec.file} (stages: ${spec.stages.map((s) => s.id).join(', ')})`);
  if (Array.isArray(options.approve)) for (const id of options.approve) if (!spec.stages.some((s) => s.id === id && s.run === 'approve')) throw new PipelineError('stage-input', `--approve: no approve stage "${id}" in ${spec.file}`);

  const started = new Date();
  const t0 = performance.now();
  const runId = newRunId();
  const runDir = path.join(pipelineHome(spec), runId);
  const registry = Registry.at(spec.registry);
  const state = await readState(spec);
  const cache = { ...state.cache };
  const decisions = { ...state.decisions };
  // What this run adds to the state (merged into the state as it is at the end: another run may have written meanwhile).
  const added: { cache: Record<string, PipelineState['cache'][string]>; decisions: Record<string, ApprovalDecision> } = { cache: {}, decisions: {} };
  let pending: PipelineState['pending'];
  const results = new Map<string, StageResult>();
  const keys: string[] = [];
  const approvals: ApprovalDecision[] = [];
  const lookup = lookupIn(results);
  let status: RunStatus = 'passed';
  let stopped: string | undefined;
  let failure: unknown;

  for (const stage of spec.stages) {
    const t = performance.now();
    const done = (r: Omit<StageResult, 'id' | 'run' | 'seconds'>): void => {
      results.set(stage.id, { id: stage.id, run: stage.run, ...r, seconds: Math.round((performance.now() - t) / 10) / 100 });
    };
    if (stopped) {
      done({ status: 'skipped', outputs: {}, message: stopped });
      continue;
    }
    const evaluations = spec.stages
      .filter((s) => s.run === 'evaluate')
      .map((s) => results.get(s.id)?.outputs as { model_sha256?: unknown; evaluation?: unknown } | undefined)
      .flatMap((o) => (o && typeof o.model_sha256 === 'string' && typeof o.evaluation === 'string' ? [{ model_sha256: o.model_sha256, evaluation: o.evaluation }] : []));
    const ctx: StageContext = { spec, stage, dir: path.join(runDir, stage.id), registry, approvals, evaluations, runId, op };
    const selected = !options.only || options.only.includes(stage.id);
    let o: Options;
    let key: string;
    try {
      o = withDefaults(spec, stage, substitute(spec, stage, stage.with, lookup));
      key = await stageKey(ctx, o, keys);
    } catch (e) {
      keys.push('');
      if (selected) {
        status = 'failed';
        stopped = `stage ${stage.id} failed`;
        failure = e;
        done({ status: 'failed', outputs: {}, message: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      } else {
        // Left out by --only, and its inputs are not there (an earlier stage was skipped): skipped too.
        done({ status: 'skipped', outputs: {}, message: 'not in --only, and its inputs did not run' });
      }
      continue;
    }
    keys.push(key);
    try {
      op.onProgress?.({ message: `stage ${stage.id} (${stage.run})` });
      const hit = cache[key];
      if (hit && hit.stage === stage.id && (!options.force || !selected) && (await stillValid(registry, stage, hit.outputs))) {
        added.cache[key] = hit;
        const d = decisions[stage.id];
        if (stage.run === 'approve' && d?.approved) approvals.push({ ...d, comment: d.comment ?? approveMessage(spec, stage, o) });
        done({ status: 'cached', outputs: hit.outputs, ...(hit.checks ? { checks: hit.checks } : {}) });
        continue;
      }
      if (!selected) {
        done({ status: 'skipped', outputs: {}, message: 'not in --only, and no cached result' });
        continue;
      }
      if (stage.run === 'gate') {
        const checks = runGate(stage, lookup);
        const failed = checks.filter((c) => !c.passed);
        if (failed.length) {
          status = 'failed';
          stopped = `gate ${stage.id} failed`;
          done({ status: 'failed', outputs: { passed: false }, checks, message: failed.map((c) => `${c.expr}: ${c.error ?? `${JSON.stringify(c.left)} vs ${JSON.stringify(c.right)}`}`).join('; ') });
        } else {
          cache[key] = added.cache[key] = { stage: stage.id, run_id: runId, outputs: { passed: true }, checks };
          done({ status: 'passed', outputs: { passed: true }, checks });
        }
        continue;
      }
      if (stage.run === 'approve') {
        const message = approveMessage(spec, stage, o);
        let decision = decisions[stage.id]?.key === key ? decisions[stage.id] : undefined;
        // --approve gives the decision unless one was recorded for these inputs; it also overrides a recorded rejection.
        if ((!decision || !decision.approved) && (options.approve === 'all' || options.approve?.includes(stage.id))) decision = { stage: stage.id, key, approved: true, by: actor(), at: new Date().toISOString(), via: 'flag' };
        if (!decision && options.ask) {
          const a = await options.ask(message);
          decision = { stage: stage.id, key, approved: a.approved, by: actor(), at: new Date().toISOString(), via: 'prompt', ...(a.comment ? { comment: a.comment } : {}) };
        }
        if (!decision) {
          status = 'awaiting-approval';
          stopped = `waiting for the approval of ${stage.id}`;
          pending = { stage: stage.id, key, run_id: runId, message };
          done({ status: 'awaiting-approval', outputs: {}, message: `${message} — approve with: ptp pipeline approve ${path.relative(process.cwd(), spec.file) || spec.file} --stage ${stage.id} --by NAME, or run with --approve ${stage.id}` });
          continue;
        }
        decisions[stage.id] = added.decisions[stage.id] = decision;
        const outputs = { approved: decision.approved, by: decision.by, at: decision.at, comment: decision.comment ?? null };
        if (!decision.approved) {
          status = 'failed';
          stopped = `approval ${stage.id} was rejected by ${decision.by}`;
          // Still open for a new decision: `ptp pipeline approve` may approve it after all.
          pending = { stage: stage.id, key, run_id: runId, message };
          done({ status: 'failed', outputs, message: `rejected by ${decision.by}${decision.comment ? `: ${decision.comment}` : ''}` });
          continue;
        }
        approvals.push({ ...decision, comment: decision.comment ?? message });
        cache[key] = added.cache[key] = { stage: stage.id, run_id: runId, outputs };
        done({ status: 'passed', outputs });
        continue;
      }
      const runner = RUNNERS[stage.run]!;
      const outputs = await runner(ctx, o);
      cache[key] = added.cache[key] = { stage: stage.id, run_id: runId, outputs };
      done({ status: 'passed', outputs });
    } catch (e) {
      status = 'failed';
      stopped = `stage ${stage.id} failed`;
      done({ status: 'failed', outputs: {}, message: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      failure = e;
    }
  }

  await updateState(spec, (now) => {
    const { pending: waiting, ...rest } = now;
    // A pending approval this run got past (or that is no longer the one it stops at) is cleared.
    const keep = pending ?? (waiting && !(waiting.stage in added.decisions) && results.get(waiting.stage)?.status !== 'passed' && results.get(waiting.stage)?.status !== 'cached' ? waiting : undefined);
    // Entries this run wrote or used move to the end: the latest are the ones trimCache keeps.
    const merged = { ...now.cache };
    for (const k of Object.keys(added.cache)) delete merged[k];
    return { ...rest, last_run: runId, decisions: { ...now.decisions, ...added.decisions }, cache: trimCache({ ...merged, ...added.cache }), ...(keep ? { pending: keep } : {}) };
  });

  const stages = spec.stages.map((s) => results.get(s.id)!);
  const files = { html: path.join(runDir, 'report.html'), markdown: path.join(runDir, 'summary.md'), junit: path.join(runDir, 'junit.xml') };
  const result: PipelineRunResult = {
    name: spec.name,
    run_id: runId,
    status,
    file: spec.file,
    run_dir: runDir,
    started: started.toISOString(),
    seconds: Math.round((performance.now() - t0) / 10) / 100,
    stages,
    report: files,
  };
  await writeReports(result);
  if (options.reportDir) {
    const dir = path.resolve(options.reportDir);
    for (const f of [files.html, files.markdown, files.junit, path.join(runDir, 'run.json')]) await copyAtomic(f, path.join(dir, path.basename(f)));
  }
  if (failure) throw failure;
  return result;
}

/** Records a decision on the approval a run stopped at (`ptp pipeline approve`); the next run continues from there. */
export async function approvePipeline(spec: PipelineSpec, d: { stage: string; approved: boolean; by: string; comment?: string }): Promise<ApprovalDecision> {
  const stage = spec.stages.find((s) => s.id === d.stage);
  if (!stage || stage.run !== 'approve') {
    const ids = spec.stages.filter((s) => s.run === 'approve').map((s) => s.id);
    throw new PipelineError('stage-input', `${spec.file}: no approve stage "${d.stage}" (approve stages: ${ids.length ? ids.join(', ') : 'none'})`);
  }
  let decision: ApprovalDecision | undefined;
  await updateState(spec, (state) => {
    const { pending, ...rest } = state;
    if (pending?.stage !== d.stage) {
      throw new PipelineError('no-pending-approval', `${spec.file}: no run is waiting for the approval of "${d.stage}" (${pending ? `the last run waits for "${pending.stage}"` : 'none is waiting'}); run the pipeline first`);
    }
    decision = { stage: d.stage, key: pending.key, approved: d.approved, by: d.by, at: new Date().toISOString(), via: 'command', ...(d.comment ? { comment: d.comment } : {}) };
    return { ...rest, decisions: { ...state.decisions, [d.stage]: decision } };
  });
  return decision!;
}
