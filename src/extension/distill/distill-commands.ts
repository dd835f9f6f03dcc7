/**
 * Distill Model…: asks what it needs (or takes an arguments object from a script or test, which skips the
 * pickers), runs the worker op `distill` with progress (the epoch line) and cancel, shows the Distillation report
 * and returns the result.
 *
 *   executeCommand('ptp.distillModel', uri, { data, label?, student?, epochs?, temperature?, alpha?, seed?, patience?, output? })
 *
 * With an arguments object a failure rejects (after the same notification a user gets); interactively it
 * resolves to undefined.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { DistillResult } from '../../protocol/distill';
import type { DistillReportSnapshot } from '../../protocol/distill-panel';
import { resolveModelUri } from '../shared/model-target';
import { runtimeOptions } from '../config/logic/ptp-settings';
import { readSettings } from '../config/settings-reader';
import { DataPicker } from '../shared/data-picker';
import { isArgsObject } from '../shared/logic/command-args';
import { fileName, modelPath } from '../model/model-file';
import { runWithProgress } from '../quantize/worker-progress';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';
import { DISTILL_COMMANDS } from './logic/distill-ids';
import { describeStudent, distillParams, parseDistillArgs } from './logic/distill-options';
import { DistillPanels } from './distill-panels';
import { pickDistillChoices } from './distill-pickers';

export interface DistillationDeps {
  readonly context: vscode.ExtensionContext;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
}

export interface DistillationFeature extends vscode.Disposable {
  /** What the open Distillation report of a teacher (absolute path) shows; undefined when none is open. */
  panelSnapshot(model: string): DistillReportSnapshot | undefined;
}

export function registerDistillation({ context, worker, log }: DistillationDeps): DistillationFeature {
  const panels = new DistillPanels(context.extensionUri, log);
  const dataPicker = new DataPicker(context.workspaceState);

  const distillModel = async (arg?: unknown, args?: unknown): Promise<DistillResult | undefined> => {
    const scripted = isArgsObject(args);
    let model: string | undefined;
    try {
      const uri = await resolveModelUri(arg, 'Distill Model');
      if (!uri) return undefined;
      model = modelPath(uri);
      const name = fileName(uri);
      const choices = scripted ? parseDistillArgs(DISTILL_COMMANDS.distillModel, args, path.isAbsolute) : await pickDistillChoices(model, dataPicker, `Distill ${name}`);
      if (!choices) return undefined;
      if (choices.output && path.resolve(choices.output) === path.resolve(model)) throw new Error('The output cannot be the teacher model.');
      const params = distillParams(model, choices, runtimeOptions(readSettings(uri)));
      log.info(`Distilling ${model} (${params.student ? describeStudent(params.student) : 'default student'}, ${params.epochs} epochs) on ${params.data} → ${params.output}`);
      const result = await runWithProgress(worker, 'distill', params, `Distilling ${name}`, `The distillation of ${name} was cancelled.`);
      log.info(`Distilled ${name}: ${result.architecture}, best epoch ${result.best_epoch} of ${result.epochs_run}, params ${result.params_teacher} → ${result.params_student}, written to ${result.output}`);
      panels.show(model, `Distillation: ${name}`, { result });
      return result;
    } catch (e) {
      const info = toErrorInfo(e);
      if (isCancellation(e)) {
        log.info(info.message);
        void vscode.window.showInformationMessage(info.message);
      } else {
        const subject = model ? `Distill Model failed for ${path.basename(model)}` : 'Distill Model failed';
        log.error(`${subject}: ${logText(e)}`);
        if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(`${subject}: ${info.message}`);
      }
      if (scripted) throw new Error(info.message);
      return undefined;
    }
  };

  const disposable = vscode.Disposable.from(panels, vscode.commands.registerCommand(DISTILL_COMMANDS.distillModel, distillModel));
  return {
    panelSnapshot: (model) => panels.snapshot(model),
    dispose: () => disposable.dispose(),
  };
}
