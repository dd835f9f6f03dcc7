/**
 * The Evaluation commands: Evaluate Model…, Compare Models on Data…, Benchmark Model. Each asks what it needs
 * (or takes an arguments object from a script or test, which skips the pickers), runs the worker op with
 * progress, shows the result in an Evaluation panel and returns it.
 *
 *   executeCommand('ptp.evaluateModel', uri, { data: '/abs/test.csv', label?, task?, sensitive?, robustness?, exclude? })
 *   executeCommand('ptp.compareOnData', uri, [uriA, uriB], { data, label?, task? })
 *   executeCommand('ptp.benchmarkModel', uri, { batchSizes?: [1, 8], runs?, warmup? })
 *
 * With an arguments object a failure rejects (after the same notification a user gets); interactively it
 * resolves to undefined.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { BenchResult, CompareResult, EvaluateResult } from '../../protocol/evaluate';
import { activeModelUri, isOnnxUri, resolveModelUri } from '../shared/model-target';
import { runtimeOptions } from '../config/logic/ptp-settings';
import { readSettings } from '../config/settings-reader';
import { fileName, modelPath } from '../model/model-file';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';
import { pickBatchSizes } from './bench-picker';
import { pickEvaluateChoices } from './choice-pickers';
import { DataPicker } from '../shared/data-picker';
import { isArgsObject } from '../shared/logic/command-args';
import { EVALUATION_COMMANDS } from './logic/evaluation-ids';
import {
  benchParams,
  compareParams,
  evaluateParams,

  normalizeEvaluationSettings,
  parseBenchArgs,
  parseEvaluateArgs,
  type EvaluateChoices,
} from './logic/evaluation-options';
import { EvaluationPanels, panelKey } from './evaluation-panels';
import { EvaluationRunner } from './evaluation-runner';

export interface EvaluationDeps {
  readonly context: vscode.ExtensionContext;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
}

export function registerEvaluation({ context, worker, log }: EvaluationDeps): vscode.Disposable {
  const runner = new EvaluationRunner(worker, log);
  const panels = new EvaluationPanels(context.extensionUri, log);
  const dataPicker = new DataPicker(context.workspaceState);
  const settingsFor = (uri: vscode.Uri) => ({
    evaluation: normalizeEvaluationSettings((key) => vscode.workspace.getConfiguration('ptp', uri).get(key)),
    runtime: runtimeOptions(readSettings(uri)),
  });

  /** Reports a failure; rethrows it for scripts (arguments object), swallows it for users. */
  const fail = (what: string, key: string | undefined, e: unknown, rethrow: boolean): undefined => {
    const info = toErrorInfo(e);
    if (isCancellation(e)) {
      log.info(info.message);
      void vscode.window.showInformationMessage(info.message);
    } else {
      log.error(`${what} failed: ${logText(e)}`);
      // The worker client already told the user about a crashed worker.
      if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`${what} failed: ${info.message}`);
      if (key) panels.fail(key, info);
    }
    if (rethrow) throw e instanceof Error ? new Error(info.message) : e;
    return undefined;
  };

  const evaluateModel = async (arg?: unknown, args?: unknown): Promise<EvaluateResult | undefined> => {
    const scripted = isArgsObject(args);
    let key: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Evaluate Model');
      if (!uri) return undefined;
      const model = modelPath(uri);
      const choices: EvaluateChoices | undefined = scripted
        ? parseEvaluateArgs(EVALUATION_COMMANDS.evaluateModel, args, path.isAbsolute)
        : await pickEvaluateChoices(model, dataPicker, `Evaluate ${fileName(uri)}`);
      if (!choices) return undefined;
      key = panelKey.evaluate(model, choices.data);
      log.info(`Command ${EVALUATION_COMMANDS.evaluateModel}: ${model} on ${choices.data}`);
      await dataPicker.remember(model, choices.data);
      const { evaluation, runtime } = settingsFor(uri);
      const result = await runner.evaluate(evaluateParams(model, choices, evaluation, runtime));
      panels.show(key, `Evaluation: ${fileName(uri)} · ${path.basename(choices.data)}`, { kind: 'evaluate', result });
      return result;
    } catch (e) {
      return fail('Evaluate Model', key, e, scripted);
    }
  };

  const compareOnData = async (arg?: unknown, selected?: unknown, args?: unknown): Promise<CompareResult | undefined> => {
    const scripted = isArgsObject(args);
    let key: string | undefined;
    try {
      const uris = await resolveModels(arg, selected, scripted ? args : undefined);
      if (!uris) return undefined;
      if (uris.length < 2) throw new Error('Compare Models on Data needs at least two ONNX models.');
      const models = uris.map(modelPath);
      const first = models[0]!;
      const choices = scripted
        ? parseEvaluateArgs(EVALUATION_COMMANDS.compareOnData, args, path.isAbsolute)
        : await pickEvaluateChoices(first, dataPicker, `Compare ${uris.length} models`, { compare: true });
      if (!choices) return undefined;
      key = panelKey.compare(models, choices.data);
      log.info(`Command ${EVALUATION_COMMANDS.compareOnData}: ${models.join(', ')} on ${choices.data}`);
      await dataPicker.remember(first, choices.data);
      const { evaluation, runtime } = settingsFor(uris[0]!);
      const result = await runner.compare(compareParams(models, choices, evaluation, runtime));
      panels.show(key, `Compare: ${uris.map(fileName).join(' vs ')}`, { kind: 'compare', result });
      return result;
    } catch (e) {
      return fail('Compare Models on Data', key, e, scripted);
    }
  };

  const benchmarkModel = async (arg?: unknown, args?: unknown): Promise<BenchResult | undefined> => {
    const scripted = isArgsObject(args);
    let key: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Benchmark Model');
      if (!uri) return undefined;
      const model = modelPath(uri);
      const choices = scripted ? parseBenchArgs(EVALUATION_COMMANDS.benchmarkModel, args) : await pickBatchSizes(`Benchmark ${fileName(uri)}`);
      if (!choices) return undefined;
      key = panelKey.bench(model);
      log.info(`Command ${EVALUATION_COMMANDS.benchmarkModel}: ${model}, batch sizes ${choices.batchSizes.join(', ')}`);
      const result = await runner.bench(benchParams(model, choices, settingsFor(uri).runtime));
      panels.show(key, `Benchmark: ${fileName(uri)}`, { kind: 'bench', result });
      return result;
    } catch (e) {
      return fail('Benchmark Model', key, e, scripted);
    }
  };

  return vscode.Disposable.from(
    panels,
    vscode.commands.registerCommand(EVALUATION_COMMANDS.evaluateModel, evaluateModel),
    vscode.commands.registerCommand(EVALUATION_COMMANDS.compareOnData, compareOnData),
    vscode.commands.registerCommand(EVALUATION_COMMANDS.benchmarkModel, benchmarkModel),
  );
}

/**
 * The models to compare: the Explorer's multi-selection (uri, uris[]), `args.models` (absolute paths), or the
 * clicked (or active) model plus the ones picked in an open dialog (canSelectMany).
 */
async function resolveModels(arg: unknown, selected: unknown, args: Record<string, unknown> | undefined): Promise<vscode.Uri[] | undefined> {
  if (Array.isArray(selected)) {
    const onnx = selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri && isOnnxUri(u));
    if (onnx.length >= 2) return onnx;
  }
  if (args && Array.isArray(args.models)) {
    return args.models.map((m) => {
      if (typeof m !== 'string' || !path.isAbsolute(m)) throw new Error(`${EVALUATION_COMMANDS.compareOnData}: "models" must hold absolute paths`);
      return vscode.Uri.file(m);
    });
  }
  const first = arg instanceof vscode.Uri ? arg : typeof arg === 'string' && path.isAbsolute(arg) ? vscode.Uri.file(arg) : activeModelUri();
  const picked = await vscode.window.showOpenDialog({
    title: first ? `Compare ${fileName(first)} with…` : 'Compare Models on Data: choose two or more ONNX models',
    defaultUri: first ? vscode.Uri.joinPath(first, '..') : undefined,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: true,
    filters: { 'ONNX models': ['onnx'] },
    openLabel: 'Compare',
  });
  if (!picked) return undefined;
  const all = first ? [first, ...picked.filter((u) => u.toString() !== first.toString())] : picked;
  return all;
}
