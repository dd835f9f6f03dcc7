/**
 * Run on Sample Inputs: the worker's `sample` op under a cancellable progress notification. Cancelling
 * (from the notification or the caller's token) kills the worker; the promise then rejects with an
 * OperationCancelledError. Listeners (open overviews) hear about every result.
 */
import * as vscode from 'vscode';
import type { SampleResult } from '../../protocol/worker';
import { sampleParams, type PtpSettings } from '../config/logic/ptp-settings';
import { fileName, modelPath } from '../shared/model-file';
import type { OperationRunner } from '../shared/operation-runner';

export interface SampleEvent {
  readonly uri: vscode.Uri;
  readonly result: SampleResult;
}

export class SampleService implements vscode.Disposable {
  private readonly didRun = new vscode.EventEmitter<SampleEvent>();
  readonly onDidRun = this.didRun.event;

  constructor(
    private readonly runner: OperationRunner,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: (scope: vscode.Uri) => PtpSettings,
  ) {}

  async run(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<SampleResult> {
    const path = modelPath(uri);
    const name = fileName(uri);
    const started = performance.now();
    const result = await this.runner.run('sample', sampleParams(path, this.settings(uri)), { title: `Running ${name} on sample inputs`, cancelled: `The sample run of ${name} was cancelled.`, ...(token ? { token } : {}) });
    this.log.info(
      `Sample run of ${path}: session ${result.session_ms.toFixed(0)} ms, run ${result.run_ms.map((ms) => ms.toFixed(1)).join('/')} ms ` +
        `(total ${(performance.now() - started).toFixed(0)} ms, onnxruntime ${result.ort_version})`,
    );
    this.didRun.fire({ uri, result });
    return result;
  }

  /** Tells the user how a run failed: cancellation as information, a crash was already shown by the worker client. */
  reportFailure(uri: vscode.Uri, e: unknown): void {
    this.runner.fail('Run on Sample Inputs', e, { file: uri.fsPath });
  }


  dispose(): void {
    this.didRun.dispose();
  }
}
