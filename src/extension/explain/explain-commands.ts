/**
 * Explain Predictions… (`ptp.explainModel`): asks for the rows, background, output and method (or takes an
 * arguments object from a script or test, which skips the pickers), runs the worker op `explain` with progress
 * and Cancel, shows the result in an Attributions panel and returns it.
 *
 *   executeCommand('ptp.explainModel', uri, { data: '/abs/test.csv', rows?, maxRows?, background?, method?, output?,
 *                                             nsamples?, maxEvals?, exclude?, sensitive?, label?, seed? })
 *
 * With an arguments object a failure rejects (after the same notification a user gets); interactively it
 * resolves to undefined.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ExplainParams, ExplainResult } from '../../protocol/explain';
import { resolveModelUri } from '../shared/model-target';
import { runtimeOptions } from '../config/logic/ptp-settings';
import { readSettings } from '../config/settings-reader';
import { DataPicker } from '../shared/data-picker';
import { isArgsObject } from '../shared/logic/command-args';
import { fileName, modelPath } from '../model/model-file';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerRequestError, WorkerStoppedError } from '../worker/worker-errors';
import { EXPLAIN_COMMANDS } from './logic/explain-ids';
import { explainParams, parseExplainArgs } from './logic/explain-options';
import { explainPanelKey, ExplainPanels } from './explain-panels';
import { pickExplainChoices } from './explain-pickers';

export interface ExplainDeps {
  readonly context: vscode.ExtensionContext;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
}

export function registerExplain({ context, worker, log }: ExplainDeps): vscode.Disposable {
  const panels = new ExplainPanels(context.extensionUri, log);
  const dataPicker = new DataPicker(context.workspaceState);

  const run = (params: ExplainParams): Promise<ExplainResult> => {
    const what = `${path.basename(params.model)} on ${path.basename(params.data)}`;
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Explaining ${what}`, cancellable: true }, (progress, token) => {
        let reported = 0;
        return worker.request('explain', params, {
          token,
          cancelMessage: `The explanation of ${what} was cancelled.`,
          onProgress: (p) => {
            const percent = p.fraction !== undefined ? Math.max(0, Math.min(100, p.fraction * 100)) : reported;
            progress.report({ message: p.message, increment: percent - reported });
            reported = percent;
          },
        });
      }),
    );
  };

  const explainModel = async (arg?: unknown, args?: unknown): Promise<ExplainResult | undefined> => {
    const scripted = isArgsObject(args);
    let key: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Explain Predictions');
      if (!uri) return undefined;
      const model = modelPath(uri);
      const choices = scripted ? parseExplainArgs(EXPLAIN_COMMANDS.explainModel, args, path.isAbsolute) : await pickExplainChoices(model, dataPicker, `Explain ${fileName(uri)}`);
      if (!choices) return undefined;
      key = explainPanelKey(model, choices.data);
      log.info(`Command ${EXPLAIN_COMMANDS.explainModel}: ${model} on ${choices.data}`);
      await dataPicker.remember(model, choices.data);
      const result = await run(explainParams(model, choices, runtimeOptions(readSettings(uri))));
      log.info(
        `Explained ${result.rows.length} rows of ${choices.data} with ${result.method}: ${result.feature_names.length} features, ` +
          `efficiency error ${result.efficiency_max_error.toExponential(2)}, ${result.model_rows} model rows in ${result.seconds.toFixed(2)} s`,
      );
      panels.show(key, `Attributions: ${fileName(uri)} · ${path.basename(choices.data)}`, { result });
      return result;
    } catch (e) {
      return fail(e, key, scripted);
    }
  };

  /** Reports a failure; rethrows it for scripts (arguments object), swallows it for users. */
  const fail = (e: unknown, key: string | undefined, rethrow: boolean): undefined => {
    const info = toErrorInfo(e);
    const message = userMessage(e, info.message);
    if (isCancellation(e)) {
      log.info(message);
      void vscode.window.showInformationMessage(message);
    } else {
      log.error(`Explain Predictions failed: ${logText(e)}`);
      if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`Explain Predictions failed: ${message}`);
      if (key) panels.fail(key, { ...info, message });
    }
    if (rethrow) throw e instanceof Error ? new Error(message) : e;
    return undefined;
  };

  return vscode.Disposable.from(panels, vscode.commands.registerCommand(EXPLAIN_COMMANDS.explainModel, explainModel));
}

/** The pipeline speaks CLI ("--method kernel"); in VS Code the method is a picker choice. */
function userMessage(e: unknown, message: string): string {
  if (e instanceof WorkerRequestError && e.code === 'too-many-features') {
    return `${message.replace(/;\s*use --method kernel or permutation\s*$/, '')}. Choose the Kernel SHAP or Permutation SHAP method instead.`;
  }
  return message.replace(/--method (\w+)/g, 'the $1 method');
}
