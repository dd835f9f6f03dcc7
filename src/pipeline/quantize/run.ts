/**
 * `quantize`: one run from a float model to a new quantized model file, with the report the UI shows.
 *
 *   settings (params over recipe over defaults) → open the model (weights stay on disk) → select nodes →
 *   [static: calibrate on data] → rewrite (one weight in memory at a time) → write `.<output>.<pid>.tmp` next to the
 *   output → onnxruntime must load it → activation SQNR on data rows → evaluate both models on `data` →
 *   latency of both → rename to the output → [write the recipe where `saveRecipe` asks]. The output carries its
 *   lineage (`ptp.lineage`: the source's sha256, `quantize`, the recipe) in its own metadata_props.
 *
 * The source model is never written. On any failure the temp output (and its external data file, if any) is
 * removed, so a failed run leaves no file behind; an existing output is replaced only by a run that succeeded.
 */
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deriveModel, inspect, openModel, writeModel, type OnnxModel, WriteError } from '../../core';
import type { onnx } from '../../core/proto/onnx';
import { DataType } from '../../core/tensor/dtypes';
import type { QuantizeParams, QuantizeRecipe, QuantizeResult } from '../../protocol/quantize';
import type { RuntimeOptions } from '../../protocol/worker';
import type { OrtSession } from '../runtime';
import type { OperationContext } from '../operation';
import { activationSqnr } from './activations';
import { calibrate, type CalibrationResult } from './calibrate';
import { checkOpset, noQuantizableOps } from './checks';
import { evaluateBoth, latencyBoth, type Evaluation, type LatencyPair } from '../evaluate/before-after';
import { rewriteDynamic } from './dynamic';
import { QuantizeError } from './errors';
import { exposedSession } from './expose';
import { rewriteFp16, type Fp16Stats } from './fp16';
import { GraphEditor, elementTypes } from '../shared/graph-editor';
import { rewriteInt4 } from './int4';
import type { RewriteOutcome } from './outcome';
import { applyQdq, planQdq, type QdqPlan } from './qdq';
import { defaultOutputFor, recipeOf } from './recipe';
import { assemble, saveRecipe } from './report';
import { openRows, type RowSource } from './rows';
import { HANDLED_OP_TYPES, selectNodes } from './select';
import { phaseTimer, stagingPath, verifyLoads } from '../shared/artifact';
import { lineageOf, stampLineage } from '../shared/lineage';

const DEFAULT_SQNR_ROWS = 64;
const CALIBRATION_BATCH = 64;
/** Outputs estimated above this many bytes are written with external data (protobuf's limit is 2 GiB). */
const EXTERNAL_DATA_FROM = 1.9e9;

export async function quantize(params: QuantizeParams, ctx: OperationContext = {}): Promise<QuantizeResult> {
  const created = new Date().toISOString();
  const { timings, lap } = phaseTimer();
  const progress = (message: string) => ctx.onProgress?.({ message });

  const recipe = await recipeOf(params);
  const source = path.resolve(params.model);
  const output = path.resolve(params.output ?? defaultOutputFor(source, recipe.mode));
  if (output === source) throw new QuantizeError('bad-output', 'the output would overwrite the model itself; choose another output file', source);
  const runtime = { intraOpNumThreads: params.intraOpNumThreads, executionProviders: params.executionProviders };
  const model = await openModel(source);
  const scratch = await mkdtemp(path.join(tmpdir(), 'ptp-quantize-'));
  const outTmp = stagingPath(output);
  let externalFile: string | undefined;
  const sessions: OrtSession[] = [];
  try {
    // The model first (nothing to quantize, opset too old), then the data (does it fit the inputs).
    const info = inspect(model);
    const ed = new GraphEditor(model.proto);
    const types = elementTypes(model.proto);
    const selection = selectNodes(ed, recipe, recipe.mode === 'fp16' ? 'all' : HANDLED_OP_TYPES[recipe.mode]);
    if (selection.candidates.length === 0) noQuantizableOps(ed, recipe, selection.skipped, source);
    checkOpset(model.proto, recipe, source);
    const qdqPlan = recipe.mode === 'static' ? planQdq(ed, recipe, selection.candidates, types) : undefined;
    if (qdqPlan && qdqPlan.nodes.length === 0 && qdqPlan.gathers.length === 0) noQuantizableOps(ed, recipe, [...selection.skipped, ...qdqPlan.outcome.skipped], source);

    const rowOptions = { label: params.label, excludeColumns: params.excludeColumns, sensitive: params.sensitive };
    const evalRows = params.data ? await openRows(params.data, info.inputs, rowOptions, 'evaluation') : undefined;
    const calFile = recipe.mode === 'static' ? (params.calibration ?? recipe.calibration ?? params.data) : undefined;
    if (recipe.mode === 'static' && !calFile) {
      throw new QuantizeError('bad-data', 'static quantization needs calibration data: give --calibration FILE (or --data FILE, which is then also used to calibrate)');
    }
    const calRows = calFile ? (calFile === params.data ? evalRows : await openRows(calFile, info.inputs, rowOptions, 'calibration')) : undefined;
    const sqnrRows = calRows ?? evalRows;
    const sqnrCount = sqnrRows ? (params.sqnrRows ?? DEFAULT_SQNR_ROWS) : 0;

    lap('prepare_ms');
    progress(`Quantizing (${recipe.mode})`);
    let outcome: RewriteOutcome;
    let fp16: Fp16Stats | undefined;
    let valueInfo: onnx.ValueInfoProto.$Properties[] | undefined;
    let calibration: QuantizeResult['calibration'];
    let floatSession: OrtSession | undefined;
    switch (recipe.mode) {
      case 'dynamic':
        outcome = await rewriteDynamic(ed, model, recipe, selection.candidates, types, ctx);
        break;
      case 'int4':
        outcome = await rewriteInt4(ed, model, recipe, selection.candidates, types, ctx);
        break;
      case 'fp16': {
        const r = await rewriteFp16(ed, model, recipe, selection.candidates, types, ctx);
        outcome = r.outcome;
        fp16 = r.stats;
        valueInfo = r.valueInfo;
        break;
      }
      case 'static': {
        progress(`Calibrating on ${calFile} (${recipe.method})`);
        const planned = [...qdqPlan!.nodes.map((p) => p.index), ...qdqPlan!.gathers.map((g) => g.index)];
        const floats = [...planned.map((i) => ed.nodes[i]!.output?.[0] ?? ''), ...selection.excluded.map((n) => n.output ?? '')];
        const cal = await calibrateFor(model, recipe, qdqPlan!, floats.filter((o) => o && (types.get(o) ?? DataType.FLOAT) === DataType.FLOAT), calRows!, scratch, runtime, ctx);
        sessions.push(cal.session);
        floatSession = cal.session;
        calibration = { file: calFile!, rows: cal.rows, method: recipe.method, tensors: qdqPlan!.tensors.length };
        lap('calibration_ms');
        outcome = await applyQdq(ed, model, recipe, qdqPlan!, cal.ranges, ctx);
        break;
      }
    }
    outcome.skipped.unshift(...selection.skipped);
    outcome.warnings.unshift(...selection.warnings);
    if (outcome.nodes.length === 0) noQuantizableOps(ed, recipe, outcome.skipped, source);

    // Write next to the output (its lineage in its metadata), then make sure onnxruntime loads it.
    const used = calFile ? { ...recipe, calibration: path.resolve(calFile) } : recipe;
    const lineage = await lineageOf(source, 'quantize', used, ctx.signal);
    const proto = stampLineage(ed.build(valueInfo ? { valueInfo } : {}), lineage);
    const sizeBefore = model.fileSize + info.external_data.reduce((s, e) => s + (e.length ?? 0), 0);
    const estimate = sizeBefore - outcome.weightBytesBefore + outcome.weightBytesAfter;
    const external = estimate > EXTERNAL_DATA_FROM ? { location: `${path.basename(output)}.data` } : undefined;
    if (external) externalFile = path.join(path.dirname(output), external.location);
    await writeModel(deriveModel(model, proto), outTmp, external ? { externalData: external } : {}).catch((e: NodeJS.ErrnoException) => {
      const errno = e instanceof WriteError ? e.errno : e.code;
      if (!errno || !/^E[A-Z]+$/.test(errno)) throw e;
      throw new QuantizeError('bad-output', `cannot write the output next to ${path.basename(output)} (${errno}: ${e.message}); choose another output file`, output);
    });
    lap('quantize_ms');
    progress('Checking the quantized model with onnxruntime');
    await verifyLoads(outTmp, source, runtime, (m, sourceToo) => refused(m, sourceToo, output));
    lap('verify_ms');

    // Per-node activation SQNR on data rows.
    let sqnrUsed = 0;
    let activation = new Map<string, number>();
    // Quantized nodes, and excluded ones (their outputs show the error arriving from quantized nodes upstream).
    const pairs = [...outcome.nodes, ...selection.excluded]
      .filter((n) => n.output && n.quantOutput && (types.get(n.output) ?? DataType.FLOAT) === DataType.FLOAT)
      .map((n) => ({ key: n.name, float: n.output!, quant: n.quantOutput!, type: n.quantOutputType ?? DataType.FLOAT }));
    if (sqnrRows && sqnrCount > 0 && pairs.length > 0) {
      progress(`Activation SQNR on ${sqnrCount} rows`);
      floatSession ??= await exposedSession(model, model.proto, pairs.map((p) => ({ name: p.float, elemType: DataType.FLOAT })), path.join(scratch, 'float.onnx'), runtime);
      if (!sessions.includes(floatSession)) sessions.push(floatSession);
      const quantSession = await quantExposed(outTmp, pairs.map((p) => ({ name: p.quant, elemType: p.type })), path.join(scratch, 'quant.onnx'), runtime);
      sessions.push(quantSession);
      const r = await activationSqnr(floatSession, quantSession, pairs, sqnrRows, sqnrCount, CALIBRATION_BATCH, ctx);
      activation = r.sqnr;
      sqnrUsed = r.rows;
      lap('sqnr_ms');
    } else if (!sqnrRows) {
      outcome.warnings.push('activation SQNR not measured: it needs data rows (give --data or --calibration)');
    }
    for (const s of sessions.splice(0)) await s.release().catch(() => undefined);

    // The closed loop: both models on the user's data, and their latency.
    let evaluation: Evaluation | undefined;
    if (evalRows) {
      progress(`Evaluating both models on ${params.data}`);
      evaluation = await evaluateBoth(source, outTmp, params, evalRows.plan.label, ctx, (m) => new QuantizeError('bad-data', m));
      lap('evaluate_ms');
    }
    let latency: LatencyPair | undefined;
    if (params.latency !== false) {
      progress('Measuring latency of both models');
      latency = await latencyBoth(source, outTmp, params, ctx);
      lap('latency_ms');
    }
    const sizeAfter = (await stat(outTmp)).size + (externalFile ? (await stat(externalFile)).size : 0);
    await rename(outTmp, output);

    const result = assemble({
      params,
      recipe: used,
      source,
      output,
      sizeBefore,
      sizeAfter,
      outcome,
      excluded: selection.excluded,
      activation,
      sqnrUsed,
      evaluation,
      latency,
      calibration,
      fp16,
      timings,
      created,
      lineage,
    });
    return await saveRecipe(result, params);
  } catch (e) {
    await rm(outTmp, { force: true });
    if (externalFile) await rm(externalFile, { force: true });
    throw e;
  } finally {
    for (const s of sessions) await s.release().catch(() => undefined);
    await model.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Static mode's calibration: the float model's ranges for the plan's tensors (and `floats` exposed for the SQNR pass). */
function calibrateFor(
  model: OnnxModel,
  recipe: QuantizeRecipe,
  plan: QdqPlan,
  floats: readonly string[],
  rows: RowSource,
  scratch: string,
  runtime: RuntimeOptions,
  ctx: OperationContext,
): Promise<CalibrationResult> {
  return calibrate(
    model,
    model.proto,
    plan.tensors,
    floats.map((name) => ({ name, elemType: DataType.FLOAT })),
    rows,
    path.join(scratch, 'float.onnx'),
    {
      method: recipe.method,
      percentile: recipe.percentile,
      numBins: recipe.num_bins,
      numQuantizedBins: recipe.num_quantized_bins,
      symmetric: recipe.activation_symmetric,
      maxRows: recipe.calibration_rows,
      batchSize: CALIBRATION_BATCH,
    },
    runtime,
    ctx,
  );
}


async function quantExposed(file: string, tensors: { name: string; elemType: number }[], scratchFile: string, runtime: RuntimeOptions): Promise<OrtSession> {
  const m: OnnxModel = await openModel(file);
  try {
    return await exposedSession(m, m.proto, tensors, scratchFile, runtime);
  } finally {
    await m.close();
  }
}

/** The error when onnxruntime refuses the written model (`sourceToo`: it refuses the source as well). */
function refused(message: string, sourceToo: boolean, output: string): QuantizeError {
  return new QuantizeError(
    'ort-refused-output',
    sourceToo
      ? `onnxruntime cannot load the source model either, so the quantized model was not kept: ${message}`
      : `onnxruntime cannot load the quantized model, so it was not kept (please report this): ${message}`,
    output,
  );
}
