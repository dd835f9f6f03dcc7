/** The Post-Training commands. Validate and Run on Sample Inputs return their results (for tests and scripts). */
import * as vscode from 'vscode';
import type { ValidateResult } from '../../core/report-types';
import type { SampleResult } from '../../protocol/worker';
import { COMMANDS, MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import type { SamplePanels } from '../sample/sample-panels';
import type { SampleService } from '../sample/sample-service';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { ValidationService } from '../validation/validation-service';
import { resolveModelUri } from '../shared/model-target';

export interface CommandDeps {
  readonly log: vscode.LogOutputChannel;
  readonly validation: ValidationService;
  readonly sampler: SampleService;
  readonly samplePanels: SamplePanels;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { log } = deps;

  const inspectModel = async (arg?: unknown): Promise<void> => {
    const uri = await resolveModelUri(arg, 'Inspect Model');
    if (!uri) return;
    log.info(`Command ${COMMANDS.inspectModel}: ${uri.fsPath}`);
    await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_EDITOR_VIEW_TYPE);
  };

  const validateModel = async (arg?: unknown): Promise<ValidateResult | undefined> => {
    const uri = await resolveModelUri(arg, 'Validate Model');
    if (!uri) return undefined;
    log.info(`Command ${COMMANDS.validateModel}: ${uri.fsPath}`);
    try {
      return await deps.validation.validateAndReport(uri);
    } catch (e) {
      showFailure(log, uri, 'Validation', e);
      return undefined;
    }
  };

  const runSampleInputs = async (arg?: unknown): Promise<SampleResult | undefined> => {
    const uri = await resolveModelUri(arg, 'Run on Sample Inputs');
    if (!uri) return undefined;
    log.info(`Command ${COMMANDS.runSampleInputs}: ${uri.fsPath}`);
    let result: SampleResult;
    try {
      result = await deps.sampler.run(uri);
    } catch (e) {
      deps.sampler.reportFailure(uri, e);
      return undefined;
    }
    try {
      await deps.samplePanels.show(uri, result);
    } catch (e) {
      showFailure(log, uri, 'Showing the sample run', e);
    }
    return result;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.inspectModel, inspectModel),
    vscode.commands.registerCommand(COMMANDS.validateModel, validateModel),
    vscode.commands.registerCommand(COMMANDS.runSampleInputs, runSampleInputs),
  );
}

function showFailure(log: vscode.LogOutputChannel, uri: vscode.Uri, what: string, e: unknown): void {
  log.error(`${what} of ${uri.fsPath} failed: ${logText(e)}`);
  void vscode.window.showErrorMessage(toErrorInfo(e, uri.fsPath).message);
}
