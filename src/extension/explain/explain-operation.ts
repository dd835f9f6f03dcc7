/**
 * Explain Predictions… (`ptp.explainModel`): asks for the rows, background, output and method (or takes an
 * arguments object, see OperationRunner), runs the worker op `explain` with progress and Cancel, shows the
 * result in an Attributions panel and returns it.
 *
 *   executeCommand('ptp.explainModel', uri, { data: '/abs/test.csv', rows?, maxRows?, background?, method?, output?,
 *                                             nsamples?, maxEvals?, excludeColumns?, sensitive?, label?, seed? })
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { DataPicker } from '../shared/data-picker';
import type { Operation, OperationHost } from '../shared/operation';
import { WorkerRequestError } from '../worker/worker-errors';
import { EXPLAIN_COMMANDS } from './logic/explain-ids';
import { explainParams, parseExplainArgs } from './logic/explain-options';
import { explainPanelKey, ExplainPanels } from './explain-panels';
import { pickExplainChoices } from './explain-pickers';

export const explainOperation: Operation = {
  name: 'explain',
  activate({ context, log, runner, settings }: OperationHost) {
    const panels = new ExplainPanels(context.extensionUri, log);
    const dataPicker = new DataPicker(context.workspaceState);
    const command = runner.register({
      command: EXPLAIN_COMMANDS.explainModel,
      action: 'Explain Predictions',
      parse: (args) => parseExplainArgs(EXPLAIN_COMMANDS.explainModel, args, path.isAbsolute),
      pick: ({ model, name }) => pickExplainChoices(model, dataPicker, `Explain ${name}`),
      panels,
      key: ({ model }, choices) => (choices ? explainPanelKey(model, choices.data) : undefined),
      message: userMessage,
      run: async ({ uri, model, name }, choices) => {
        log.info(`Command ${EXPLAIN_COMMANDS.explainModel}: ${model} on ${choices.data}`);
        await dataPicker.remember(model, choices.data);
        const params = explainParams(model, choices, settings(uri).runtime);
        const what = `${path.basename(params.model)} on ${path.basename(params.data)}`;
        const result = await runner.run('explain', params, { title: `Explaining ${what}`, cancelled: `The explanation of ${what} was cancelled.` });
        log.info(
          `Explained ${result.rows.length} rows of ${choices.data} with ${result.method}: ${result.feature_names.length} features, ` +
            `efficiency error ${result.efficiency_max_error.toExponential(2)}, ${result.model_rows} model rows in ${result.seconds.toFixed(2)} s`,
        );
        panels.show(explainPanelKey(model, choices.data), `Attributions: ${name} · ${path.basename(choices.data)}`, { result });
        return result;
      },
    });
    return { disposable: vscode.Disposable.from(panels, command), api: undefined };
  },
};

/** The pipeline speaks CLI ("--method kernel"); in VS Code the method is a picker choice. */
function userMessage(e: unknown, message: string): string {
  if (e instanceof WorkerRequestError && e.code === 'too-many-features') {
    return `${message.replace(/;\s*use --method kernel or permutation\s*$/, '')}. Choose the Kernel SHAP or Permutation SHAP method instead.`;
  }
  return message.replace(/--method (\w+)/g, 'the $1 method');
}
