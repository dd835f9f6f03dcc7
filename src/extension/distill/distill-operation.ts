/**
 * Distill Model…: asks what it needs (or takes an arguments object, see OperationRunner), runs the worker op
 * `distill` with progress (the epoch line) and cancel, shows the Distillation report and returns the result.
 *
 *   executeCommand('ptp.distillModel', uri, { data, label?, student?, epochs?, temperature?, alpha?, seed?, patience?, output? })
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { DistillReportSnapshot } from '../../protocol/distill-panel';
import { DataPicker } from '../shared/data-picker';
import type { Operation, OperationHost } from '../shared/operation';
import { assertNotSource } from '../shared/operation-runner';
import { DISTILL_COMMANDS } from './logic/distill-ids';
import { describeStudent, distillParams, parseDistillArgs } from './logic/distill-options';
import { DistillPanels } from './distill-panels';
import { pickDistillChoices } from './distill-pickers';

export interface DistillationApi {
  /** What the open Distillation report of a teacher (absolute path) shows; undefined when none is open. */
  panelSnapshot(model: string): DistillReportSnapshot | undefined;
}

export const distillOperation: Operation<DistillationApi> = {
  name: 'distill',
  activate({ context, log, runner, settings }: OperationHost) {
    const panels = new DistillPanels(context.extensionUri, log);
    const dataPicker = new DataPicker(context.workspaceState);
    const command = runner.register({
      command: DISTILL_COMMANDS.distillModel,
      action: 'Distill Model',
      parse: (args) => parseDistillArgs(DISTILL_COMMANDS.distillModel, args, path.isAbsolute),
      pick: ({ model, name }) => pickDistillChoices(model, dataPicker, `Distill ${name}`),
      run: async ({ uri, model, name }, choices) => {
        assertNotSource(choices.output, model, 'teacher model');
        const params = distillParams(model, choices, settings(uri).runtime);
        log.info(`Distilling ${model} (${params.student ? describeStudent(params.student) : 'default student'}, ${params.epochs} epochs) on ${params.data} → ${params.output}`);
        const result = await runner.run('distill', params, { title: `Distilling ${name}`, cancelled: `The distillation of ${name} was cancelled.` });
        log.info(`Distilled ${name}: ${result.architecture}, best epoch ${result.best_epoch} of ${result.epochs_run}, params ${result.params_teacher} → ${result.params_student}, written to ${result.output}`);
        panels.show(model, `Distillation: ${name}`, { result });
        return result;
      },
    });
    return { disposable: vscode.Disposable.from(panels, command), api: { panelSnapshot: (model) => panels.snapshot(model) } };
  },
};
