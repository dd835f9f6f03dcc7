/**
 * `distill`: one run from a teacher ONNX model and training data to a trained student ONNX file, with the report.
 *
 *   settings checked → teacher opened (onnxruntime session, ZipMap read as its tensor) → training rows read into
 *   memory → teacher targets computed once → seeded train / validation split → student built (MLP graph, the
 *   teacher narrowed by structured pruning, or a given model checked against the teacher's inputs and outputs) →
 *   trained with tfjs (early stopping, best epoch kept; a model student's zeros kept when asked) → trained values
 *   written into the student's initializers → `.<output>.<pid>.tmp` next to the output → onnxruntime must load it →
 *   teacher vs student metrics, agreement, latency → rename to the output. The student carries its lineage
 *   (`ptp.lineage`: the teacher's sha256, `distill`, { student, architecture, settings, data, label }) in its own
 *   metadata_props, next to the teacher's other metadata_props (a model student keeps its own).
 *
 * The teacher is never written. On any failure (also cancellation) the temp file is removed and nothing is kept.
 */
import { rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { deriveModel, isOnnxError, openModel, writeModel, type OnnxModel, WriteError } from '../../core';
import type { DistillParams, DistillResult, StudentSpec } from '../../protocol/distill';
import { createRng32 } from '../shared/rng';
import { prepareModel, type PreparedModel } from '../shared/inference';
import { ortMessage, ortVersion } from '../runtime';
import { isRuntimeError } from '../runtime/errors';
import type { OperationContext } from '../operation';
import { DistillError } from './errors';
import { columnStats, exportStudent, standardize } from './export';
import { trainableGraph, type TrainableGraph } from './interpreter';
import { buildMlp, defaultHidden } from './mlp';
import { checkStudentRuns, modelStudentGraph, openModelStudent } from './model-student';
import { buildNarrow } from './narrow';
import { compareOnEvalData, compareOnRows, latencyBoth, parameterCount, type Comparison } from './report';
import { readTrainingRows } from './rows';
import { checkSettings, resolveSettings } from './settings';
import type { Standardization, StudentGraph } from './student';
import { labelTargets, teacherTargets } from './teacher';
import { ensureTf, TRAINER_LIBRARY } from './tf';
import { train } from './train';
import { phaseTimer, stagingPath } from '../shared/artifact';
import { defaultOutputPath as sharedOutputPath } from '../shared/output-name';
import { lineageOf, stampLineage } from '../shared/lineage';

/** `<teacher>.student.onnx` next to the teacher. */
export function defaultOutputFor(teacher: string): string {
  return sharedOutputPath('distill', teacher);
}

export async function distill(params: DistillParams, ctx: OperationContext = {}): Promise<DistillResult> {
  const created = new Date().toISOString();
  const { timings, lap } = phaseTimer();
  const progress = (message: string, fraction?: number) => ctx.onProgress?.(fraction === undefined ? { message } : { message, fraction });

  checkSettings(params);
  const source = path.resolve(params.teacher);
  const output = path.resolve(params.output ?? defaultOutputFor(source));
  if (output === source) throw new DistillError('bad-output', 'the output would overwrite the teacher itself; choose another output file', source);
  const runtime = { intraOpNumThreads: params.intraOpNumThreads, executionProviders: params.executionProviders };
  const outTmp = stagingPath(output);

  await ensureTf();
  progress('Opening the teacher');
  const model = await openTeacher(source);
  let prepared: PreparedModel | undefined;
  let studentModel: PreparedModel | undefined;
  let graph: TrainableGraph | undefined;
  let studentFile: OnnxModel | undefined;
  try {
    prepared = await prepareModel(source, runtime).catch((e: unknown) => {
      throw new DistillError('bad-teacher', `onnxruntime cannot load the teacher: ${isRuntimeError(e) ? (e.ortMessage ?? e.message) : ortMessage(e)}`, source);
    });
    // A model student is checked against the teacher's inputs and outputs before any data is read.
    if (params.student?.kind === 'model') studentFile = await openModelStudent(params.student.path, model);
    progress(`Reading ${params.data}`);
    const rows = await readTrainingRows(params.data, prepared.inputs, { label: params.label, excludeColumns: params.excludeColumns, purpose: 'training data' }, ctx);
    if (typeof params.label === 'string' && !rows.labels) throw new DistillError('bad-data', `label column "${params.label}" is not in the training data`, params.data);
    progress(`Running the teacher on ${rows.count} rows`);
    const targets = await teacherTargets(prepared, rows, ctx);
    const head = targets.head;
    const labels = labelTargets(head, rows);
    const settings = resolveSettings(params, labels !== null);
    lap('prepare_ms');

    // Seeded split: the same seed gives the same validation rows, initial weights and batch order.
    const rng = createRng32(settings.seed);
    const perm = Int32Array.from({ length: rows.count }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.nextBelow(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    let nVal = Math.round(rows.count * settings.validationSplit);
    if (settings.validationSplit > 0 && nVal === 0 && rows.count >= 2) nVal = 1;
    if (nVal >= rows.count) nVal = rows.count - 1;
    const valIndex = perm.slice(0, nVal).sort();
    const trainIndex = perm.slice(nVal).sort();
    const warnings: string[] = [...rows.warnings];
    if (rows.count < 50) warnings.push(`only ${rows.count} training rows: the student may not learn the teacher's function well`);

    const spec: StudentSpec = params.student ?? { kind: 'mlp', hidden: defaultHidden(model.proto) };
    progress('Building the student');
    let student: StudentGraph;
    if (spec.kind === 'mlp') student = buildMlp(model.proto, rows, head, { hidden: spec.hidden, activation: spec.activation ?? 'relu' }, rng, source);
    else if (spec.kind === 'narrow') student = await buildNarrow(model, head, spec.width, ctx);
    else student = modelStudentGraph(studentFile!, head);
    warnings.push(...student.warnings);
    // A model student's initializers are read from its own file; the others derive from the teacher's.
    const studentBase = studentFile ?? model;
    const studentSource = deriveModel(studentBase, student.proto);
    graph = await trainableGraph(student.proto.graph!, student.input, student.scores, (t) => studentSource.readTensor(t), studentFile?.file ?? source);
    if (studentFile) checkStudentRuns(graph, student.scores, rows, head, studentFile.file ?? spec.kind);

    // MLP students see standardized inputs (and regression targets); the maps are folded into the weights on export.
    const xStats = student.inputNorm ? columnStats(rows.x, rows.width, trainIndex) : undefined;
    const yStats = student.outputNorm ? columnStats(targets.values, targets.width, trainIndex) : undefined;
    const teacherY = yStats ? standardize(targets.values, targets.width, yStats) : targets.values;
    let trainLabels = labels;
    if (yStats && labels instanceof Float32Array) trainLabels = Float32Array.from(labels, (v) => (v - yStats.mean[0]!) / yStats.std[0]!);
    if (head.kind === 'regression' && head.width > 1 && labels) {
      warnings.push(`the teacher gives ${head.width} values per row but the data one label: the label term is not used`);
      trainLabels = null;
    }
    const loss = { task: head.kind === 'classes' ? ('classification' as const) : ('regression' as const), temperature: settings.temperature, alpha: trainLabels ? settings.alpha : 1 };

    progress(`Training (${student.architecture})`, 0);
    const outcome = await train(
      graph,
      {
        x: xStats ? standardize(rows.x, rows.width, xStats) : rows.x,
        rowShape: rows.rowShape,
        teacher: teacherY,
        width: targets.width,
        labels: trainLabels,
        trainIndex,
        valIndex,
      },
      loss,
      settings,
      rng,
      ctx,
      (e, fraction) => {
        const metric = e.val_metric === null ? '' : ` · ${loss.task === 'classification' ? (trainLabels ? 'acc' : 'agree') : 'R²'} ${e.val_metric.toFixed(3)}`;
        progress(`Epoch ${e.epoch}/${settings.epochs} · loss ${e.train_loss.toFixed(4)} · val ${e.val_loss.toFixed(4)}${metric}`, fraction);
      },
      { keepZeros: spec.kind === 'model' && spec.keepZeros === true },
    );
    lap('train_ms');

    const norm = (n: StudentGraph['inputNorm'], s: { mean: Float32Array; std: Float32Array } | undefined): Standardization | undefined => (n && s ? { ...n, ...s } : undefined);
    const proto = exportStudent(student, outcome.weights, norm(student.inputNorm, xStats), norm(student.outputNorm, yStats));
    const reported = { ...settings, alpha: loss.alpha };
    const lineageParams = { student: spec, architecture: student.architecture, settings: reported, data: path.resolve(params.data), label: params.label ?? null };
    const lineage = await lineageOf(source, 'distill', lineageParams, ctx.signal);
    if (!studentFile && !proto.metadataProps?.length) proto.metadataProps = [...(model.proto.metadataProps ?? [])];
    stampLineage(proto, lineage);
    await writeModel(deriveModel(studentBase, proto), outTmp).catch((e: NodeJS.ErrnoException) => {
      const errno = e instanceof WriteError ? e.errno : e.code;
      if (!errno || !/^E[A-Z]+$/.test(errno)) throw e;
      throw new DistillError('bad-output', `cannot write the student next to ${path.basename(output)} (${errno}: ${e.message}); choose another output file`, output);
    });
    progress('Checking the student with onnxruntime');
    studentModel = await prepareModel(outTmp, runtime).catch((e: unknown) => {
      throw new DistillError('ort-refused-output', `onnxruntime cannot load the student, so it was not kept (please report this): ${isRuntimeError(e) ? (e.ortMessage ?? e.message) : ortMessage(e)}`, output);
    });
    lap('export_ms');

    progress('Comparing teacher and student');
    let comparison: Comparison;
    if (params.evalData) {
      await studentModel.dispose();
      studentModel = undefined;
      comparison = await compareOnEvalData(source, outTmp, params, ctx);
    } else {
      comparison = await compareOnRows(prepared, studentModel, rows, valIndex.length ? valIndex : trainIndex, head, labels, valIndex.length ? 'validation' : 'training');
      if (!valIndex.length) warnings.push('no validation rows (validation split 0): the comparison uses the training rows');
    }
    warnings.push(...comparison.warnings);
    lap('evaluate_ms');
    let latency: Pick<DistillResult, 'latency_teacher' | 'latency_student'> = {};
    if (params.latency !== false) {
      progress('Measuring latency of both models');
      latency = await latencyBoth(source, outTmp, params, ctx);
      lap('latency_ms');
    }
    const sizeStudent = (await stat(outTmp)).size;
    await rename(outTmp, output);
    return {
      teacher: source,
      output,
      task: head.kind === 'classes' ? 'classification' : 'regression',
      student: spec,
      architecture: student.architecture,
      settings: reported,
      train_rows: trainIndex.length,
      validation_rows: valIndex.length,
      epochs_run: outcome.history.length,
      best_epoch: outcome.bestEpoch,
      stopped_early: outcome.stoppedEarly,
      history: outcome.history,
      params_teacher: parameterCount(model.proto),
      params_student: parameterCount(proto),
      size_bytes_teacher: model.fileSize,
      size_bytes_student: sizeStudent,
      eval_data: comparison.eval_data,
      samples: comparison.samples,
      metrics_teacher: comparison.metrics_teacher,
      metrics_student: comparison.metrics_student,
      ...(comparison.agreement !== undefined ? { agreement: comparison.agreement } : {}),
      ...(comparison.max_abs_diff !== undefined ? { max_abs_diff: comparison.max_abs_diff } : {}),
      ...latency,
      warnings,
      timings,
      library: TRAINER_LIBRARY,
      ort_version: ortVersion(),
      created,
      lineage,
    };
  } catch (e) {
    await rm(outTmp, { force: true });
    throw e;
  } finally {
    graph?.dispose();
    await studentModel?.dispose();
    await prepared?.dispose();
    await studentFile?.close();
    await model.close();
  }
}

/** The teacher as an ONNX model (a file that is not one is a DistillError saying so). */
async function openTeacher(file: string): Promise<OnnxModel> {
  try {
    return await openModel(file);
  } catch (e) {
    if (isOnnxError(e)) throw new DistillError('bad-teacher', `the teacher is not a readable ONNX model: ${e.message.replace(`${file}: `, '')}`, file);
    throw e;
  }
}
