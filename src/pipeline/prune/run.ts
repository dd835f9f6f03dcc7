/**
 * `prune`: one run from a model to a new pruned model file, with the report the UI and `ptp prune --json` show.
 *
 *   settings (defaults filled in, checked) → open the model (weights stay on disk) → [check the data fits] →
 *   pruneGraph → write `.<output>.<pid>.<rand>.tmp` next to the output → onnxruntime must load it → [fine-tune it on
 *   `finetune.data` with the source as teacher (finetune.ts), written over the temp file, loaded again] → evaluate
 *   both models on `data` → latency of both → sizes (and gzip sizes) → rename to the output. The output carries its
 *   lineage (`ptp.lineage`: the source's sha256, `prune`, { method, settings, finetune? }) in its own metadata_props.
 *
 * The source model is never written. On any failure (or cancel) the temp output and its external data file are
 * removed, so a failed run leaves no file behind; an existing output is replaced only by a run that succeeded.
 */
import { rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { deriveModel, inspect, openModel, writeModel, WriteError } from '../../core';
import type { PruneFinetuneResult, PruneParams, PruneResult } from '../../protocol/prune';
import type { RuntimeOptions } from '../../protocol/worker';
import { evaluateBoth, latencyBoth, type Evaluation, type LatencyPair } from '../evaluate/before-after';
import { throwIfAborted, type OperationContext } from '../operation';
import { asPruneDataError, planEvaluationData } from './data';
import { PruneError } from '../prune-graph/errors';
import { checkFinetune, finetunePruned } from './finetune';
import { gzipBytes, initializerElements, totalBytes } from './measure';
import { pruneGraph } from '../prune-graph/prune-graph';
import { assemble } from './report';
import { defaultOutputFor, reportedSettings, resolveSettings } from './settings';
import { ensureLineageFile, lineageOf, stampLineage } from '../shared/lineage';
import type { PruneFinetuneParams } from '../../protocol/prune';
import { phaseTimer, stagingPath, verifyLoads } from '../shared/artifact';

/** Outputs estimated above this many bytes are written with external data (protobuf's limit is 2 GiB). */
const EXTERNAL_DATA_FROM = 1.9e9;

export async function prune(params: PruneParams, ctx: OperationContext = {}): Promise<PruneResult> {
  const created = new Date().toISOString();
  const { timings, lap } = phaseTimer();
  const progress = (message: string, fraction?: number) => ctx.onProgress?.({ message, ...(fraction !== undefined ? { fraction } : {}) });

  const settings = resolveSettings(params);
  checkFinetune(params.finetune, params.model);
  // With fine-tuning the training takes most of the run: the later steps' share of the progress bar shrinks.
  const at = (plain: number, tuned: number) => (params.finetune ? tuned : plain);
  const source = path.resolve(params.model);
  const output = path.resolve(params.output ?? defaultOutputFor(source));
  if (output === source) throw new PruneError('bad-output', 'the output would overwrite the model itself; choose another output file', source);
  const runtime: RuntimeOptions = { intraOpNumThreads: params.intraOpNumThreads, executionProviders: params.executionProviders };
  progress('Opening the model', 0);
  const model = await openModel(source);
  const outTmp = stagingPath(output);
  let externalFile: string | undefined;
  try {
    const info = inspect(model);
    const sourceFiles = [source, ...new Set(info.external_data.map((e) => path.resolve(model.dir ?? path.dirname(source), e.location)))];
    const label = params.data
      ? await planEvaluationData(params.data, info.inputs, { label: params.label, excludeColumns: params.excludeColumns, sensitive: params.sensitive })
      : undefined;
    lap('prepare_ms');
    throwIfAborted(ctx.signal);

    progress(`Pruning (${settings.method})`, 0.1);
    const outcome = await pruneGraph(model, settings, ctx);
    throwIfAborted(ctx.signal);

    const sizeBefore = model.fileSize + info.external_data.reduce((s, e) => s + (e.length ?? 0), 0);
    const external = sizeBefore > EXTERNAL_DATA_FROM ? { location: `${path.basename(output)}.data` } : undefined;
    if (external && params.finetune) {
      throw new PruneError('bad-setting', 'fine-tuning is limited to models under 1.9 GB (this one needs external data); prune without fine-tuning', source);
    }
    if (external) externalFile = path.join(path.dirname(output), external.location);
    const lineage = await lineageOf(source, 'prune', lineageParams(settings.method, reportedSettings(settings), params.finetune), ctx.signal);
    await writeModel(deriveModel(model, stampLineage(outcome.proto, lineage)), outTmp, external ? { externalData: external } : {}).catch((e: NodeJS.ErrnoException) => {
      const errno = e instanceof WriteError ? e.errno : e.code;
      if (!errno || !/^E[A-Z]+$/.test(errno)) throw e;
      throw new PruneError('bad-output', `cannot write the output next to ${path.basename(output)} (${errno}: ${e.message}); choose another output file`, output);
    });
    lap('prune_ms');
    throwIfAborted(ctx.signal);

    progress('Checking the pruned model with onnxruntime', 0.3);
    await verifyLoads(outTmp, source, runtime, (m, sourceToo) => refused(m, sourceToo, output));
    lap('verify_ms');
    throwIfAborted(ctx.signal);

    let finetune: PruneFinetuneResult | undefined;
    if (params.finetune) {
      progress(`Fine-tuning on ${params.finetune.data}`, 0.32);
      const job = {
        source,
        pruned: outTmp,
        output,
        method: settings.method,
        finetune: params.finetune,
        excludeColumns: [...(params.excludeColumns ?? []), ...(params.sensitive ?? [])],
        runtime,
        span: [0.32, 0.85] as const,
      };
      finetune = await finetunePruned(job, ctx);
      // The trainer writes its own (distill) lineage: the file is the pruning's output, from the source.
      await ensureLineageFile(outTmp, lineage);
      lap('finetune_ms');
      progress('Checking the fine-tuned model with onnxruntime', 0.85);
      await verifyLoads(outTmp, source, runtime, (m, sourceToo) => refused(m, sourceToo, output));
      throwIfAborted(ctx.signal);
    }

    let evaluation: Evaluation | undefined;
    if (params.data && label !== undefined) {
      progress(`Evaluating both models on ${params.data}`, at(0.4, 0.87));
      const data = params.data;
      // The data error's message names the file; the PruneError names it once, as its file.
      evaluation = await evaluateBoth(source, outTmp, params, label, ctx, (m) => new PruneError('bad-data', m.replace(`${data}: `, ''), data)).catch((e: unknown) => {
        throw asPruneDataError(e);
      });
      lap('evaluate_ms');
      throwIfAborted(ctx.signal);
    }
    let latency: LatencyPair | undefined;
    if (params.latency !== false) {
      progress('Measuring latency of both models', at(0.7, 0.9));
      latency = await latencyBoth(source, outTmp, params, ctx);
      lap('latency_ms');
      throwIfAborted(ctx.signal);
    }

    progress('Measuring sizes', at(0.95, 0.98));
    const outFiles = externalFile ? [outTmp, externalFile] : [outTmp];
    const sizeAfter = await totalBytes(outFiles);
    const gzBefore = await gzipBytes(sourceFiles, ctx.signal);
    const gzAfter = gzBefore === undefined ? undefined : await gzipBytes(outFiles, ctx.signal);
    lap('sizes_ms');
    throwIfAborted(ctx.signal);
    await rename(outTmp, output);
    progress('Done', 1);

    return assemble({
      method: settings.method,
      settings,
      source,
      output,
      outcome,
      paramsBefore: initializerElements(model.proto),
      paramsAfter: initializerElements(outcome.proto),
      sizeBefore,
      sizeAfter,
      ...(gzBefore !== undefined && gzAfter !== undefined ? { gzipBefore: gzBefore, gzipAfter: gzAfter } : {}),
      ...(evaluation ? { evaluation } : {}),
      ...(latency ? { latency } : {}),
      ...(finetune ? { finetune } : {}),
      timings,
      created,
      lineage,
    });
  } catch (e) {
    await rm(outTmp, { force: true });
    if (externalFile) await rm(externalFile, { force: true });
    throw e;
  } finally {
    await model.close();
  }
}

/** The params of a pruning's lineage: the result's method and settings, and the fine-tuning asked for. */
function lineageParams(method: PruneResult['method'], settings: PruneResult['settings'], finetune: PruneFinetuneParams | undefined): Record<string, unknown> {
  return { method, settings, ...(finetune ? { finetune } : {}) };
}

/** The error when onnxruntime refuses the written model (`sourceToo`: it refuses the source as well). */
function refused(message: string, sourceToo: boolean, output: string): PruneError {
  return new PruneError(
    'ort-refused-output',
    sourceToo
      ? `onnxruntime cannot load the source model either, so the pruned model was not kept: ${message}`
      : `onnxruntime cannot load the pruned model, so it was not kept (please report this): ${message}`,
    output,
  );
}
