/**
 * The batch-inference operation: Predict on Data… (Explorer → Post-Training, the palette, the model editor's
 * title; the Models view's Predict on Data… resolves a registry version and calls it) runs the worker op
 * `predict` over a data file into a predictions file (id, prediction, score_<class> per row), with progress and
 * Cancel, then offers to open the file.
 *
 *   executeCommand('ptp.predictOnData', uri, { data: '/abs/test.csv', output: '/abs/out.csv', idColumn?, label?, task?, batchSize?, maxRows? })
 *     → PredictResult
 *
 * `label` is DataSelection's: omitted = a label/target/y column is found and set aside, null = no label column,
 * a name = that column is set aside. The arguments-object contract is OperationRunner's.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { PredictResult } from '../../protocol/predict';
import { DataPicker } from '../shared/data-picker';
import type { Operation, OperationHost } from '../shared/operation';
import { PREDICT_COMMANDS } from './logic/predict-ids';
import { parsePredictArgs, predictParams, type PredictChoices } from './logic/predict-options';
import { pickPredictChoices } from './predict-pickers';

export const predictOperation: Operation = {
  name: 'predict',
  activate({ context, log, runner, settings }: OperationHost) {
    const dataPicker = new DataPicker(context.workspaceState);

    const predictOnData = runner.register<PredictChoices, PredictResult>({
      command: PREDICT_COMMANDS.predictOnData,
      action: 'Predict on Data',
      parse: (args) => parsePredictArgs(PREDICT_COMMANDS.predictOnData, args, path.isAbsolute),
      pick: ({ model, name }) => pickPredictChoices(model, dataPicker, `Predict with ${name}`),
      output: ({ output }) => output,
      quietCancel: true,
      run: async ({ uri, model }, choices) => {
        log.info(`Command ${PREDICT_COMMANDS.predictOnData}: ${model} on ${choices.data} → ${choices.output}`);
        await dataPicker.remember(model, choices.data);
        const what = `${path.basename(model)} on ${path.basename(choices.data)}`;
        const result = await runner.run('predict', predictParams(model, choices, settings(uri).runtime), {
          title: `Predicting with ${what}`,
          cancelled: `The predictions of ${what} were cancelled.`,
        });
        log.info(`Predicted ${result.rows} rows (${result.task}) with ${what} → ${result.output} in ${result.seconds} s${result.warnings.length ? `; warnings: ${result.warnings.join('; ')}` : ''}`);
        const file = vscode.Uri.file(result.output);
        void vscode.window
          .showInformationMessage(`Wrote ${result.rows.toLocaleString('en-US')} predictions to ${vscode.workspace.asRelativePath(file)}`, 'Open')
          .then((choice) => (choice === 'Open' ? vscode.commands.executeCommand('vscode.open', file) : undefined));
        return result;
      },
    });

    return { disposable: predictOnData, api: undefined };
  },
};
