/**
 * The runners of the stage kinds that run operations: each takes the stage's resolved options (snake_case, as in
 * the file; pipeline defaults filled in) and calls the operation with its own params, returning the outputs other
 * stages read. Files a stage writes go to its folder in the run folder unless `output` says otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ApprovalDecision, PipelineSpec, StageKind, StageOutputs, StageSpec } from '../../protocol/pipeline';
import type { EvaluateResult } from '../../protocol/evaluate';
import type { ExplainBackground } from '../../protocol/explain';
import type { QuantizeMode, QuantizeSettings } from '../../protocol/quantize';
import type { StatTestName } from '../../protocol/drift';
import type { OperationContext } from '../operation';
import { modelCard, type CardInputs } from '../card';
import { distill, parseStudentSpec } from '../distill';
import { compare, evaluate } from '../evaluate';
import { explain } from '../explain';
import { drift, monitor } from '../monitor';
import { exportDocker, exportKServe, exportMlflow, exportTriton } from '../export';
import { optimizeModel } from '../optimize';
import { prune } from '../prune';
import { quantize } from '../quantize';
import { formatRef, isRegistryRef, Registry } from '../registry';
import { ortVersion } from '../runtime';
import { configOf, startServer } from '../serve';
import { endpointModelUrl } from '../serve/remote-model';
import { sha256File } from '../shared/lineage';
import { defaultOutputPath } from '../shared/output-name';
import { PipelineError } from './errors';
import { writeAtomic, writeJsonAtomic } from './files';

export type Options = Readonly<Record<string, unknown>>;

export interface StageContext {
  readonly spec: PipelineSpec;
  readonly stage: StageSpec;
  /** This stage's folder in the run folder (created on first use). */
  readonly dir: string;
  readonly registry: Registry;
  /** Approvals given earlier in this run (the register stage stores them with the version). */
  readonly approvals: readonly ApprovalDecision[];
  /** Evaluate stages earlier in this run: the sha256 of the file they evaluated and their saved result. */
  readonly evaluations: readonly { readonly model_sha256: string; readonly evaluation: string }[];
  readonly runId: string;
  readonly op: OperationContext;
}

/** A model option: a registry reference resolves to its stored file; a path is relative to the pipeline file. */
export async function modelFile(ctx: StageContext, model: string): Promise<{ file: string; ref?: { name: string; version: number } }> {
  if (isRegistryRef(model) && !model.toLowerCase().endsWith('.onnx')) {
    const r = await ctx.registry.resolve(model);
    return { file: r.file, ref: { name: r.version.name, version: r.version.version } };
  }
  return { file: path.resolve(ctx.spec.dir, model) };
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((s) => s.trim()).filter(Boolean);
const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const inDir = (ctx: StageContext, o: Options, fallback: string): string => (o.output !== undefined ? path.resolve(ctx.spec.dir, String(o.output)) : path.join(ctx.dir, fallback));
const latencyOf = (o: Options) => (o.latency === false ? (false as const) : o.latency_batch !== undefined ? { batchSizes: list(o.latency_batch)!.map(Number) } : undefined);
const ratio = (after: number, before: number) => (before > 0 ? after / before : null);

/** The options evaluate and compare share, from the stage's `with:` (the CLI flags of both). */
function evaluationOptions(o: Options) {
  return {
    data: String(o.data),
    label: str(o.label),
    task: o.task as 'auto' | undefined,
    sensitive: list(o.sensitive),
    excludeColumns: list(o.exclude),
    positiveClass: str(o.positive),
    batchSize: num(o.batch),
    bootstrap: num(o.bootstrap),
    seed: num(o.seed),
    maxRows: num(o.max_rows),
    intraOpNumThreads: num(o.threads),
  };
}

async function ensureDir(ctx: StageContext): Promise<void> {
  await mkdir(ctx.dir, { recursive: true });
}

async function runEvaluate(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  if (o.outputs !== undefined) await ensureDir(ctx);
  const r = await evaluate(
    defined({
      model: file,
      ...evaluationOptions(o),
      robustness: o.robustness === true,
      outputsFile: o.outputs !== undefined ? inDir(ctx, { output: o.outputs }, 'predictions.csv') : undefined,
    }),
    ctx.op,
  );
  // The whole result stays in the run folder: a later register stage attaches it to the version of the same file.
  await ensureDir(ctx);
  const evaluation = path.join(ctx.dir, 'evaluation.json');
  await writeJsonAtomic(evaluation, r);
  return { model: r.model, model_sha256: await sha256File(file), samples: r.samples, task: r.task, metrics: r.metrics ?? {}, latency: r.latency, ...(r.robustness ? { robustness: r.robustness } : {}), evaluation };
}

async function runQuantize(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  const mode = o.mode as QuantizeMode;
  await ensureDir(ctx);
  const output = inDir(ctx, o, path.basename(defaultOutputPath('quantize', file, mode)));
  const settings: Record<string, unknown> = defined({
    method: o.method,
    percentile: o.percentile,
    per_channel: o.per_channel,
    reduce_range: o.reduce_range,
    activation_type: o.activation_type,
    op_types: list(o.op_types),
    exclude: list(o.exclude),
    block_size: o.block_size,
    accuracy_level: o.accuracy_level,
    fp16_block_list: list(o.fp16_block_list),
    calibration_rows: o.calibration_rows,
  });
  if (o.symmetric !== undefined) settings[mode === 'int4' ? 'weight_symmetric' : 'activation_symmetric'] = o.symmetric;
  const r = await quantize(
    defined({
      model: file,
      mode,
      output,
      data: str(o.data),
      label: str(o.label),
      sensitive: list(o.sensitive) ?? [],
      excludeColumns: list(o.exclude_columns) ?? [],
      calibration: mode === 'static' ? str(o.calibration) : undefined,
      recipe: o.recipe !== undefined ? path.resolve(ctx.spec.dir, String(o.recipe)) : undefined,
      settings: settings as QuantizeSettings,
      sqnrRows: num(o.sqnr_rows),
      latency: latencyOf(o),
      batchSize: num(o.batch),
      intraOpNumThreads: num(o.threads),
    }),
    ctx.op,
  );
  return {
    output: r.output,
    size_bytes: r.size_bytes_after,
    size_bytes_before: r.size_bytes_before,
    size_ratio: ratio(r.size_bytes_after, r.size_bytes_before),
    mode: r.mode,
    quantized_nodes: r.quantized_nodes,
    skipped: r.skipped.length,
    weight_bytes_before: r.weight_bytes_before,
    weight_bytes_after: r.weight_bytes_after,
    ...beforeAfter(r),
  };
}

function beforeAfter(r: { samples?: number; agreement?: number; max_abs_diff?: number; metrics_before?: object | null; metrics_after?: object | null }): StageOutputs {
  return defined({ samples: r.samples, agreement: r.agreement, max_abs_diff: r.max_abs_diff, metrics_before: r.metrics_before ?? undefined, metrics_after: r.metrics_after ?? undefined });
}

async function runOptimize(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  await ensureDir(ctx);
  const passesList = list(o.passes);
  const level = (o.level ?? o.ort) as 'basic' | undefined;
  const passes = passesList === undefined ? (o.level ? 'none' : 'all') : passesList.length === 1 && (passesList[0] === 'all' || passesList[0] === 'none') ? (passesList[0] as 'all' | 'none') : passesList;
  const r = await optimizeModel(
    defined({ model: file, output: inDir(ctx, o, path.basename(defaultOutputPath('optimize', file))), passes, ortLevel: level, symbolicDimValue: num(o.dim), seed: num(o.seed), rtol: num(o.rtol), atol: num(o.atol), intraOpNumThreads: num(o.threads) }),
    ctx.op,
  );
  return {
    output: r.output,
    size_bytes: r.size_bytes_after,
    size_bytes_before: r.size_bytes_before,
    size_ratio: ratio(r.size_bytes_after, r.size_bytes_before),
    node_count_before: r.node_count_before,
    node_count_after: r.node_count_after,
    max_abs_diff: r.max_abs_diff,
    rounds: r.rounds,
  };
}

async function runPrune(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  await ensureDir(ctx);
  let nm: { n: number; m: number } | undefined;
  if (o.pattern !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(String(o.pattern));
    if (!m) throw new PipelineError('stage-input', `${ctx.stage.id}: pattern must be N:M, e.g. 2:4, got "${String(o.pattern)}"`);
    nm = { n: Number(m[1]), m: Number(m[2]) };
  }
  const r = await prune(
    defined({
      model: file,
      method: o.method as 'magnitude',
      sparsity: num(o.sparsity),
      scope: o.scope as 'layer' | undefined,
      ...(nm ?? {}),
      criterion: o.criterion as 'l1' | undefined,
      layers: list(o.layers),
      excludeNodes: list(o.exclude),
      roundTo: num(o.round_to),
      output: inDir(ctx, o, path.basename(defaultOutputPath('prune', file))),
      data: str(o.data),
      label: str(o.label),
      sensitive: list(o.sensitive) ?? [],
      excludeColumns: list(o.exclude_columns) ?? [],
      latency: latencyOf(o),
      batchSize: num(o.batch),
      intraOpNumThreads: num(o.threads),
      finetune: o.finetune !== undefined ? defined({ data: path.resolve(ctx.spec.dir, String(o.finetune)), epochs: num(o.finetune_epochs), label: str(o.finetune_label) }) : undefined,
    }),
    ctx.op,
  );
  return {
    output: r.output,
    size_bytes: r.size_bytes_after,
    size_bytes_before: r.size_bytes_before,
    size_ratio: ratio(r.size_bytes_after, r.size_bytes_before),
    achieved_weight_sparsity: r.achieved_weight_sparsity,
    params_before: r.params_before,
    params_after: r.params_after,
    ...beforeAfter(r),
  };
}

/** Compares models on the same rows (withDefaults puts the pipeline's model first when one is given). Outputs: the last against the first. */
async function runCompare(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const refs = list(o.models) ?? [];
  if (refs.length < 2) throw new PipelineError('stage-input', `${ctx.stage.id}: compare needs "models": one model (compared with the pipeline's) or more`);
  const files = await Promise.all(refs.map(async (m) => (await modelFile(ctx, m)).file));
  const r = await compare(
    defined({
      models: files,
      ...evaluationOptions(o),
    }),
    ctx.op,
  );
  const last = files.length - 1;
  return {
    models: files,
    samples: r.samples,
    task: r.task,
    agreement: r.agreement[last] ?? null,
    max_abs_diff: r.max_abs_diff[last] ?? null,
    deltas: Object.fromEntries(r.table.map((row) => [row.metric, row.deltas[last] ?? null])),
  };
}

/** Distills the stage's model (the teacher) into a student trained on `data` (default: the pipeline's data.train). */
async function runDistill(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  await ensureDir(ctx);
  let student = o.student !== undefined ? parseStudentSpec(String(o.student)) : undefined;
  if (student !== undefined && student !== 'default' && student.kind === 'model') student = { ...student, path: path.resolve(ctx.spec.dir, student.path) };
  if (o.activation !== undefined) {
    if (!student || student === 'default' || student.kind !== 'mlp') throw new PipelineError('stage-input', `${ctx.stage.id}: "activation" needs student: mlp:<widths>`);
    student = { ...student, activation: o.activation as 'relu' | 'tanh' };
  }
  const r = await distill(
    defined({
      teacher: file,
      data: String(o.data),
      label: str(o.label),
      excludeColumns: list(o.exclude_columns) ?? [],
      student: student === 'default' ? undefined : student,
      temperature: num(o.temperature),
      alpha: num(o.alpha),
      epochs: num(o.epochs),
      batchSize: num(o.batch_size),
      learningRate: num(o.lr),
      validationSplit: num(o.val_split),
      patience: num(o.patience),
      seed: num(o.seed),
      evalData: str(o.eval_data),
      output: inDir(ctx, o, path.basename(defaultOutputPath('distill', file))),
      latency: latencyOf(o),
      intraOpNumThreads: num(o.threads),
    }),
    ctx.op,
  );
  return {
    output: r.output,
    size_bytes: r.size_bytes_student,
    size_bytes_before: r.size_bytes_teacher,
    size_ratio: ratio(r.size_bytes_student, r.size_bytes_teacher),
    params_before: r.params_teacher,
    params_after: r.params_student,
    epochs_run: r.epochs_run,
    best_epoch: r.best_epoch,
    ...beforeAfter({ samples: r.samples, agreement: r.agreement, max_abs_diff: r.max_abs_diff, metrics_before: r.metrics_teacher, metrics_after: r.metrics_student }),
  };
}

/**
 * SHAP-style attributions of the stage's model on the data's rows. Outputs: `importance.<feature>` (mean |φ| over the
 * rows and outputs), `top_features` (by importance, at most 10); the whole result is kept in the run folder.
 */
async function runExplain(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  if (o.background_sample !== undefined && o.background_kmeans !== undefined) throw new PipelineError('stage-input', `${ctx.stage.id}: give background_sample or background_kmeans, not both`);
  const bgFile = o.background !== undefined ? path.resolve(ctx.spec.dir, String(o.background)) : undefined;
  const background: ExplainBackground | undefined =
    o.background_sample !== undefined ? { ...(bgFile ? { file: bgFile } : {}), sample: Number(o.background_sample) } : o.background_kmeans !== undefined ? { ...(bgFile ? { file: bgFile } : {}), kmeans: Number(o.background_kmeans) } : bgFile;
  const output = o.output === undefined || o.output === 'all' ? 'all' : /^\d+$/.test(String(o.output)) ? Number(o.output) : String(o.output);
  const rows = list(o.rows)?.map(Number);
  const r = await explain(
    defined({
      model: file,
      data: String(o.data),
      label: str(o.label),
      sensitive: list(o.sensitive),
      excludeColumns: list(o.exclude),
      background,
      output,
      method: o.method as 'kernel' | undefined,
      nsamples: num(o.nsamples),
      topK: num(o.top_k),
      maxEvals: num(o.max_evals),
      targetError: num(o.target_error),
      maxCoalitions: num(o.max_coalitions),
      seed: num(o.seed),
      rows,
      maxRows: num(o.max_rows),
      task: o.task as 'auto' | undefined,
      batchSize: num(o.batch),
      intraOpNumThreads: num(o.threads),
    }),
    ctx.op,
  );
  const importance: Record<string, number> = {};
  r.feature_names.forEach((name, j) => {
    let sum = 0;
    let n = 0;
    for (const row of r.shap_values) {
      for (const v of row[j] ?? []) {
        sum += Math.abs(v);
        n++;
      }
    }
    importance[name] = n ? sum / n : 0;
  });
  await ensureDir(ctx);
  const explanation = path.join(ctx.dir, 'explanation.json');
  await writeJsonAtomic(explanation, r);
  const top = Object.entries(importance).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name]) => name);
  return { rows: r.rows.length, method: r.method, top_features: top, importance, efficiency_max_error: r.efficiency_max_error, explanation };
}

async function runRegister(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  const tags: Record<string, string> = {};
  for (const t of list(o.tag) ?? []) {
    const i = t.indexOf('=');
    if (i <= 0) throw new PipelineError('stage-input', `${ctx.stage.id}: a tag is key=value, got "${t}"`);
    tags[t.slice(0, i)] = t.slice(i + 1);
  }
  const r = await ctx.registry.add(file, defined({ name: String(o.name), aliases: list(o.alias), tags, description: str(o.description) }), ctx.op);
  // Evaluations of this very file earlier in the run go with the version (registry show, compare and the card read them).
  if (!r.existing) {
    for (const e of ctx.evaluations) {
      if (e.model_sha256 !== r.sha256 || !existsSync(e.evaluation)) continue;
      await ctx.registry.attachEvaluation({ name: r.name, ref: r.version }, JSON.parse(await readFile(e.evaluation, 'utf8')) as EvaluateResult);
    }
  }
  for (const a of ctx.approvals) {
    if (!a.approved) continue;
    await ctx.registry.addApproval(r.name, r.version, { by: a.by, at: a.at, message: a.comment ?? '', context: `pipeline ${ctx.spec.name}, stage ${a.stage}, run ${ctx.runId}` });
  }
  return { ref: formatRef(r.name, r.version), name: r.name, version: r.version, sha256: r.sha256, existing: r.existing, parent: r.parent ? formatRef(r.parent.name, r.parent.version) : null };
}

async function runAlias(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const r = await ctx.registry.resolve(String(o.model));
  const move = await ctx.registry.setAlias(r.version.name, r.version.version, String(o.alias));
  return { ref: formatRef(r.version.name, r.version.version), name: r.version.name, version: r.version.version, alias: move.alias, from: move.from };
}

async function runCard(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const model = String(o.model);
  const { file, ref } = await modelFile(ctx, model);
  let inputs: CardInputs = { model: file };
  if (ref) {
    const resolved = await ctx.registry.resolve(formatRef(ref.name, ref.version));
    const chain = await ctx.registry.lineage(formatRef(ref.name, ref.version));
    inputs = { model: file, record: { model: resolved.model, version: resolved.version, chain }, evaluations: await ctx.registry.evaluations(ref.name, ref.version) };
  }
  const card = await modelCard(inputs);
  await ensureDir(ctx);
  const output = inDir(ctx, o, 'MODEL_CARD.md');
  await writeAtomic(output, card.markdown);
  return { output, placeholders: card.placeholders.length };
}

async function runExport(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file, ref } = await modelFile(ctx, String(o.model));
  await ensureDir(ctx);
  const out = inDir(ctx, o, String(o.format));
  // A pipeline re-run replaces its own export (the CLI's --force); `force: false` refuses instead.
  const force = o.force !== false;
  const name = str(o.name) ?? ref?.name;
  const version = num(o.version) ?? ref?.version;
  switch (o.format) {
    case 'kserve': {
      if (o.storage_uri === undefined) throw new PipelineError('stage-input', `${ctx.stage.id}: export kserve needs "storage_uri"`);
      const r = await exportKServe(file, out, defined({ name, storageUri: String(o.storage_uri), canaryPercent: num(o.canary_percent), cpu: str(o.cpu) ?? '1', memory: str(o.memory) ?? '2Gi', force }), ctx.op);
      return { output: r.output, format: 'kserve', name: r.name, files: r.files };
    }
    case 'mlflow': {
      const r = await exportMlflow(file, out, { force, onnxruntimeVersion: ortVersion() }, ctx.op);
      return { output: r.output, format: 'mlflow', name: r.name, files: r.files };
    }
    case 'docker': {
      const r = await exportDocker(file, out, defined({ name, version, maxBatchSize: num(o.max_batch_size), maxQueueDelayUs: num(o.max_queue_delay_us), instances: num(o.instances), force, runtime: o.runtime as 'ptp' | undefined }), ctx.op);
      return { output: r.output, format: 'docker', name: r.name, files: r.files };
    }
    default: {
      const r = await exportTriton(file, out, defined({ name, version, maxBatchSize: num(o.max_batch_size), maxQueueDelayUs: num(o.max_queue_delay_us), instances: num(o.instances), force }), ctx.op);
      return { output: r.output, format: 'triton', name: r.name, files: r.files };
    }
  }
}

/**
 * Serves the model in-process (`ptp serve`'s server on 127.0.0.1, a port the system picks), sends the data's rows
 * through it as an Open Inference Protocol client and compares the answers with the file run locally: the largest
 * |output difference| and the served run's per-batch latency. The server is stopped whatever happens.
 */
const SERVE_CHECK_BATCH = 8;

async function runServeCheck(ctx: StageContext, o: Options): Promise<StageOutputs> {
  const { file } = await modelFile(ctx, String(o.model));
  const name = 'model';
  const server = await startServer(
    configOf(
      `${ctx.spec.file} (stage ${ctx.stage.id})`,
      { host: '127.0.0.1', http_port: 0, grpc_port: null, models: [{ name, model: file, instances: num(o.instances) ?? 1, threads: num(o.threads) ?? 0, batching: defined({ max_batch_size: num(o.max_batch_size) }) }] },
      ctx.spec.dir,
      { registry: ctx.spec.registry },
    ),
    ctx.op,
  );
  try {
    const notReady = server.models.find((m) => m.state !== 'ready');
    if (notReady) throw new PipelineError('stage-input', `${ctx.stage.id}: the server could not load ${file}: ${notReady.reason ?? notReady.state}`);
    const endpoint = endpointModelUrl({ url: server.url, model: name });
    const r = await compare(
      defined({
        models: [file, endpoint],
        data: String(o.data),
        label: str(o.label),
        sensitive: list(o.sensitive),
        excludeColumns: list(o.exclude),
        maxRows: num(o.max_rows),
        // Small batches, so the served latency has a distribution (p99 of many requests, not of one).
        batchSize: num(o.batch) ?? SERVE_CHECK_BATCH,
        endpointConcurrency: num(o.concurrency),
        bootstrap: 0,
      }),
      ctx.op,
    );
    const served = r.evaluations[1]!;
    return { max_abs_diff: r.max_abs_diff[1] ?? null, p50_ms: served.latency.p50_ms, p99_ms: served.latency.p99_ms, samples: r.samples, agreement: r.agreement[1] ?? null, endpoint };
  } finally {
    await server.close();
  }
}

export const RUNNERS: Partial<Record<StageKind, (ctx: StageContext, o: Options) => Promise<StageOutputs>>> = {
  evaluate: runEvaluate,
  quantize: runQuantize,
  optimize: runOptimize,
  prune: runPrune,
  compare: runCompare,
  distill: runDistill,
  explain: runExplain,
  register: runRegister,
  alias: runAlias,
  card: runCard,
  export: runExport,
  'serve-check': runServeCheck,
  drift: runDrift,
  monitor: runMonitor,
};

async function runDrift(ctx: StageContext, o: Options): Promise<StageOutputs> {
  await ensureDir(ctx);
  const r = await drift(
    defined({
      reference: String(o.reference),
      current: String(o.current),
      columns: list(o.columns),
      excludeColumns: list(o.exclude),
      categorical: list(o.categorical),
      numerical: list(o.numerical),
      stattest: o.stattest as StatTestName | 'auto' | undefined,
      threshold: num(o.threshold),
      driftShare: num(o.drift_share),
      html: o.html !== undefined ? path.resolve(ctx.spec.dir, String(o.html)) : path.join(ctx.dir, 'drift.html'),
    }),
    ctx.op,
  );
  await writeJsonAtomic(path.join(ctx.dir, 'drift.json'), r);
  return { dataset_drift: r.dataset_drift, drift_share: r.drift_share, drifted_columns: r.drifted_columns, share_of_drifted_columns: r.share_of_drifted_columns, n_columns: r.n_columns, drifted: r.columns.filter((c) => c.drift).map((c) => c.name), html: r.html };
}

async function runMonitor(ctx: StageContext, o: Options): Promise<StageOutputs> {
  await ensureDir(ctx);
  const { file } = await modelFile(ctx, String(o.model));
  const r = await monitor(
    defined({
      reference: String(o.reference),
      current: String(o.current),
      model: file,
      label: str(o.label),
      labels: str(o.labels),
      idColumn: str(o.id_column),
      timeColumn: str(o.time_column),
      chunkSize: num(o.chunk_size),
      chunkPeriod: str(o.chunk_period),
      columns: list(o.columns),
      excludeColumns: list(o.exclude),
      categorical: list(o.categorical),
      numerical: list(o.numerical),
      stattest: o.stattest as StatTestName | 'auto' | undefined,
      threshold: num(o.threshold),
      driftShare: num(o.drift_share),
      prometheus: str(o.prometheus),
      intraOpNumThreads: num(o.threads),
      html: o.html !== undefined ? path.resolve(ctx.spec.dir, String(o.html)) : path.join(ctx.dir, 'monitor.html'),
    }),
    ctx.op,
  );
  await writeJsonAtomic(path.join(ctx.dir, 'monitor.json'), r);
  // The worst chunk per metric: a gate says how low it may go.
  const worst = (pick: (c: (typeof r.chunks)[number]) => Readonly<Record<string, unknown>> | null): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const c of r.chunks) for (const [k, v] of Object.entries(pick(c) ?? {})) if (typeof v === 'number' && k !== 'sampling_error') out[k] = Math.min(out[k] ?? Infinity, v);
    return out;
  };
  return { alerts: r.alerts, chunks: r.chunks.length, dataset_drift_chunks: r.chunks.filter((c) => c.drift.dataset_drift).length, estimated: worst((c) => c.estimated), realized: worst((c) => c.realized), html: r.html };
}

/** The options a stage runs with: the pipeline's model and data filled in where the stage gives none. */
export function withDefaults(spec: PipelineSpec, stage: StageSpec, w: Options): Options {
  const kind = stage.run;
  const o: Record<string, unknown> = { ...w };
  const usesModel = kind !== 'gate' && kind !== 'approve' && kind !== 'drift';
  if (usesModel && o.model === undefined) o.model = spec.model;
  if (kind === 'compare') {
    // One model given: it is compared with the pipeline's (which comes first).
    delete o.model;
    const models = list(o.models);
    if (models?.length === 1) o.models = [spec.model, ...models];
  }
  if (kind === 'distill') {
    if (o.data === undefined && spec.data.train) o.data = spec.data.train;
    else if (typeof o.data === 'string') o.data = path.resolve(spec.dir, o.data);
    if (o.data === undefined) throw new PipelineError('stage-input', `${spec.file}:${stage.at.line}:${stage.at.col}: distill needs training data: give data.train or with.data`);
    if (o.eval_data === undefined && spec.data.test) o.eval_data = spec.data.test;
    else if (typeof o.eval_data === 'string') o.eval_data = path.resolve(spec.dir, o.eval_data);
    if (o.label === undefined && spec.data.label !== undefined) o.label = spec.data.label;
  }
  if (kind === 'drift' || kind === 'monitor') {
    // The reference defaults to the test data; paths are relative to the pipeline file.
    if (o.reference === undefined && spec.data.test) o.reference = spec.data.test;
    for (const key of ['reference', 'current', 'labels']) if (typeof o[key] === 'string') o[key] = path.resolve(spec.dir, o[key] as string);
    if (o.reference === undefined) throw new PipelineError('stage-input', `${spec.file}:${stage.at.line}:${stage.at.col}: ${kind} needs a reference: give data.test or with.reference`);
    if (kind === 'monitor' && o.label === undefined && spec.data.label !== undefined) o.label = spec.data.label;
  }
  const dataKinds: StageKind[] = ['evaluate', 'compare', 'explain', 'quantize', 'prune', 'serve-check'];
  if (dataKinds.includes(kind)) {
    if (o.data === undefined && spec.data.test) o.data = spec.data.test;
    else if (typeof o.data === 'string') o.data = path.resolve(spec.dir, o.data);
    if (o.label === undefined && spec.data.label !== undefined) o.label = spec.data.label;
    if (o.sensitive === undefined && spec.data.sensitive.length) o.sensitive = spec.data.sensitive;
    if ((kind === 'evaluate' || kind === 'compare' || kind === 'explain' || kind === 'serve-check') && o.data === undefined) throw new PipelineError('stage-input', `${spec.file}:${stage.at.line}:${stage.at.col}: ${kind} needs data: give data.test or with.data`);
  }
  if (kind === 'quantize') {
    if (o.calibration === undefined && o.mode === 'static' && spec.data.calibration) o.calibration = spec.data.calibration;
    else if (typeof o.calibration === 'string') o.calibration = path.resolve(spec.dir, o.calibration);
  }
  return o;
}
