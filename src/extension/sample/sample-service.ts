/**
 * Run on Sample Inputs: the worker's `sample` op under a cancellable progress notification. Cancelling
 * (from the notification or the caller's token) kills the worker; the promise then rejects with an
 * OperationCancelledError. Listeners (open overviews) hear about every result.
 */
import * as vscode from 'vscode';
import type { SampleResult } from '../../protocol/worker';
import { sampleParams, type PtpSettings } from '../config/logic/ptp-settings';
import { fileName, modelPath } from '../model/model-file';
import { logText, toErrorInfo } from '../shared/logic/user-errors';
import type { WorkerClient } from '../worker/worker-client';
import { isCancellation, WorkerStoppedError } from '../worker/worker-errors';

export interface SampleEvent {
  readonly uri: vscode.Uri;
  readonly result: SampleResult;
}

export class SampleService implements vscode.Disposable {
  private readonly didRun = new vscode.EventEmitter<SampleEvent>();
  readonly onDidRun = this.didRun.event;

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: (scope: vscode.Uri) => PtpSettings,
  ) {}

  async run(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<SampleResult> {
    const path = modelPath(uri);
    const name = fileName(uri);
    const started = performance.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${name} on sample inputs`, cancellable: true },
      async (progress, progressToken) => {
        const cts = new vscode.CancellationTokenSource();
        const links = [progressToken.onCancellationRequested(() => cts.cancel())];
        if (token) links.push(token.onCancellationRequested(() => cts.cancel()));
        let reported = 0;
        try {
          return await this.worker.request('sample', sampleParams(path, this.settings(uri)), {
            token: cts.token,
            cancelMessage: `The sample run of ${name} was cancelled.`,
            onProgress: (p) => {
              const percent = p.fraction !== undefined ? Math.max(0, Math.min(100, p.fraction * 100)) : reported;
              progress.report({ message: p.message, increment: percent - reported });
              reported = percent;
            },
          });
        } finally {
          for (const link of links) link.dispose();
          cts.dispose();
        }
      },
    );
    this.log.info(
      `Sample run of ${path}: session ${result.session_ms.toFixed(0)} ms, run ${result.run_ms.map((ms) => ms.toFixed(1)).join('/')} ms ` +
        `(total ${(performance.now() - started).toFixed(0)} ms, onnxruntime ${result.ort_version})`,
    );
    this.didRun.fire({ uri, result });
    return result;
  }

  /** Tells the user how a run failed: cancellation as information, a crash was already shown by the worker client. */
  reportFailure(uri: vscode.Uri, e: unknown): void {
    const info = toErrorInfo(e, uri.fsPath);
    if (isCancellation(e)) {
      this.log.info(info.message);
      void vscode.window.showInformationMessage(info.message);
      return;
    }
    this.log.error(`Sample run of ${uri.fsPath} failed: ${logText(e)}`);
    if (!(e instanceof WorkerStoppedError)) void vscode.window.showErrorMessage(info.message);
  }

  dispose(): void {
    this.didRun.dispose();
  }
}
