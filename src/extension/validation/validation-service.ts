/**
 * Validate Model: the core's structural checks in the extension host (cheap), then the worker's
 * `runtime-check` (can onnxruntime create a session?). Publishes the findings as diagnostics on the file
 * and tells listeners (open overviews) about the result.
 */
import * as vscode from 'vscode';
import type { ValidateResult } from '../../core/report-types';
import type { PtpSettings } from '../config/logic/ptp-settings';
import { runtimeOptions } from '../config/logic/ptp-settings';
import { DIAGNOSTIC_COLLECTION } from '../logic/ids';
import { loadCore } from '../shared/core-loader';
import { fileName, modelPath } from '../shared/model-file';
import { logText, messageOf, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation } from '../worker/worker-errors';
import { toDiagnostics } from './diagnostics';
import { openFailedResult, recount, validationSummary, withRuntime, type RuntimeOutcome } from './logic/validation-report';

export interface ValidationEvent {
  readonly uri: vscode.Uri;
  readonly result: ValidateResult;
}

export class ValidationService implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_COLLECTION);
  private readonly didValidate = new vscode.EventEmitter<ValidationEvent>();
  readonly onDidValidate = this.didValidate.event;

  private readonly fileEvents: vscode.Disposable;

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: (scope: vscode.Uri) => PtpSettings,
  ) {
    // Findings of a deleted or renamed model no longer apply.
    this.fileEvents = vscode.Disposable.from(
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.diagnostics.delete(uri))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach(({ oldUri }) => this.diagnostics.delete(oldUri))),
    );
  }

  /** Validates, publishes diagnostics, shows progress in the status bar and a summary notification. */
  async validateAndReport(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<ValidateResult> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Validating ${fileName(uri)}` },
      () => this.validate(uri, token),
    );
    void this.showSummary(uri, result);
    return result;
  }

  /** Validates and publishes diagnostics. Rejects only when cancelled. */
  async validate(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<ValidateResult> {
    const started = performance.now();
    const result = await this.check(uri, token);
    this.diagnostics.set(uri, toDiagnostics(result));
    this.log.info(
      `Validated ${uri.fsPath} in ${(performance.now() - started).toFixed(0)} ms: ` +
        `${result.valid ? 'valid' : 'invalid'} (${result.errors} errors, ${result.warnings} warnings, runtime ${result.runtime?.ok ? 'ok' : 'not ok'})`,
    );
    this.didValidate.fire({ uri, result });
    return result;
  }

  dispose(): void {
    this.fileEvents.dispose();
    this.diagnostics.dispose();
    this.didValidate.dispose();
  }

  private async check(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<ValidateResult> {
    let path: string;
    let core: Awaited<ReturnType<typeof loadCore>>;
    let model: Awaited<ReturnType<typeof core.openModel>>;
    try {
      path = modelPath(uri);
      core = await loadCore();
      model = await core.openModel(path);
    } catch (e) {
      this.log.error(`Validate: could not open ${uri.fsPath}: ${logText(e)}`);
      return openFailedResult(toErrorInfo(e, uri.fsPath).message);
    }

    let structural: ValidateResult;
    try {
      structural = await core.validate(model);
    } catch (e) {
      this.log.error(`Validate: structural checks of ${path} failed: ${logText(e)}`);
      structural = recount({
        valid: false,
        errors: 1,
        warnings: 0,
        findings: [{ severity: 'error', code: 'validate-failed', message: `The structural checks failed: ${messageOf(e)}` }],
      });
    } finally {
      try {
        await model.close();
      } catch (e) {
        this.log.warn(`Closing ${path} failed: ${logText(e)}`);
      }
    }

    let outcome: RuntimeOutcome;
    try {
      const check = await this.worker.request(
        'runtime-check',
        { model: path, ...runtimeOptions(this.settings(uri)) },
        { token, cancelMessage: `Validation of ${fileName(uri)} was cancelled.` },
      );
      outcome = { check };
    } catch (e) {
      if (isCancellation(e)) throw e;
      outcome = { failure: messageOf(e) };
    }
    return withRuntime(structural, outcome);
  }

  private async showSummary(uri: vscode.Uri, result: ValidateResult): Promise<void> {
    const summary = validationSummary(fileName(uri), result);
    const showProblems = 'Show Problems';
    const pick =
      summary.level === 'error'
        ? await vscode.window.showErrorMessage(summary.text, showProblems)
        : summary.level === 'warning'
          ? await vscode.window.showWarningMessage(summary.text, showProblems)
          : await vscode.window.showInformationMessage(summary.text);
    if (pick === showProblems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
}
