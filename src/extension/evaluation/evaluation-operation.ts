/**
 * The Evaluation commands: Evaluate Model…, Compare Models on Data…, Benchmark Model. Each asks what it needs
 * (or takes an arguments object from a script or test, which skips the pickers), runs the worker op with
 * progress, shows the result in an Evaluation panel and returns it.
 *
 *   executeCommand('ptp.evaluateModel', uri, { data: '/abs/test.csv', label?, task?, sensitive?, robustness?, excludeColumns? })
 *   executeCommand('ptp.compareOnData', uri, [uriA, uriB], { data, label?, task? })
 *   executeCommand('ptp.benchmarkModel', uri, { batchSizes?: [1, 8], runs?, warmup? })
 *
 * The arguments-object contract is OperationRunner's.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CompareResult } from '../../protocol/evaluate';
import { activeModelUri, isOnnxUri } from '../shared/model-target';
import type { Operation, OperationHost } from '../shared/operation';
import { fileName, modelPath } from '../shared/model-file';
import { pickBatchSizes } from './bench-picker';
import { pickEvaluateChoices } from './choice-pickers';
import { DataPicker } from '../shared/data-picker';
import { isArgsObject } from '../shared/logic/command-args';
import { EVALUATION_COMMANDS } from './logic/evaluation-ids';
import {
  benchParams,
  compareParams,
  evaluateParams,

  parseBenchArgs,
  parseEvaluateArgs,
  type BenchChoices,
  type EvaluateChoices,
} from './logic/evaluation-options';
import { EvaluationPanels, panelKey } from './evaluation-panels';
import { EvaluationRunner } from './evaluation-runner';

export const evaluationOperation: Operation = {
  name: 'evaluation',
  activate({ context, log, runner: operations, settings }: OperationHost) {
    const runner = new EvaluationRunner(operations, log);
    const panels = new EvaluationPanels(context.extensionUri, log);
    const dataPicker = new DataPicker(context.workspaceState);

    const evaluateModel = operations.register({
      command: EVALUATION_COMMANDS.evaluateModel,
      action: 'Evaluate Model',
      parse: (args): EvaluateChoices => parseEvaluateArgs(EVALUATION_COMMANDS.evaluateModel, args, path.isAbsolute),
      pick: ({ model, name }) => pickEvaluateChoices(model, dataPicker, `Evaluate ${name}`),
      panels,
      key: ({ model }, choices) => (choices ? panelKey.evaluate(model, choices.data) : undefined),
      run: async ({ uri, model, name }, choices) => {
        log.info(`Command ${EVALUATION_COMMANDS.evaluateModel}: ${model} on ${choices.data}`);
        await dataPicker.remember(model, choices.data);
        const { evaluation, runtime } = settings(uri);
        const result = await runner.evaluate(evaluateParams(model, choices, evaluation, runtime));
        panels.show(panelKey.evaluate(model, choices.data), `Evaluation: ${name} · ${path.basename(choices.data)}`, { kind: 'evaluate', result });
        return result;
      },
    });

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
        const { evaluation, runtime } = settings(uris[0]!);
        const result = await runner.compare(compareParams(models, choices, evaluation, runtime));
        panels.show(key, `Compare: ${uris.map(fileName).join(' vs ')}`, { kind: 'compare', result });
        return result;
      } catch (e) {
        const error = operations.fail('Compare Models on Data', e, key ? { panels, key } : {});
        if (scripted) throw error;
        return undefined;
      }
    };

    const benchmarkModel = operations.register({
      command: EVALUATION_COMMANDS.benchmarkModel,
      action: 'Benchmark Model',
      parse: (args): BenchChoices => parseBenchArgs(EVALUATION_COMMANDS.benchmarkModel, args),
      pick: ({ name }) => pickBatchSizes(`Benchmark ${name}`),
      panels,
      key: ({ model }, choices) => (choices ? panelKey.bench(model) : undefined),
      run: async ({ uri, model, name }, choices) => {
        log.info(`Command ${EVALUATION_COMMANDS.benchmarkModel}: ${model}, batch sizes ${choices.batchSizes.join(', ')}`);
        const result = await runner.bench(benchParams(model, choices, settings(uri).runtime));
        panels.show(panelKey.bench(model), `Benchmark: ${name}`, { kind: 'bench', result });
        return result;
      },
    });

    const disposable = vscode.Disposable.from(panels, evaluateModel, vscode.commands.registerCommand(EVALUATION_COMMANDS.compareOnData, compareOnData), benchmarkModel);
    return { disposable, api: undefined };
  },
};

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
