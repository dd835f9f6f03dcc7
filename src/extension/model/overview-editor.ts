/**
 * One model overview: binds a custom-editor webview to its ModelDocument. Answers the webview's
 * requests (ready → snapshot, validate, runSample) and pushes new results for the same file.
 */
import * as vscode from 'vscode';
import type { OverviewChannel, OverviewSnapshot } from '../../protocol/webview';
import type { PtpSettings } from '../config/ptp-settings';
import type { SampleService } from '../sample/sample-service';
import type { ValidationService } from '../validation/validation-service';
import { setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';
import type { ModelDocument } from './model-document';

export interface OverviewDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly validation: ValidationService;
  readonly sampler: SampleService;
  readonly settings: (scope: vscode.Uri) => PtpSettings;
}

export class OverviewEditor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rpc: WebviewRpc<OverviewChannel>;

  constructor(
    private readonly document: ModelDocument,
    panel: vscode.WebviewPanel,
    private readonly deps: OverviewDeps,
  ) {
    const sameFile = (uri: vscode.Uri) => uri.toString() === document.uri.toString();
    this.rpc = new WebviewRpc<OverviewChannel>(
      panel.webview,
      {
        ready: () => this.snapshot(),
        validate: (_params, token) => deps.validation.validateAndReport(document.uri, token),
        runSample: async (_params, token) => {
          try {
            return await deps.sampler.run(document.uri, token);
          } catch (e) {
            deps.sampler.reportFailure(document.uri, e);
            throw e;
          }
        },
      },
      deps.log,
      `overview ${document.file.name}`,
    );
    this.disposables.push(
      this.rpc,
      deps.validation.onDidValidate(({ uri, result }) => {
        if (!sameFile(uri)) return;
        document.lastValidation = result;
        this.rpc.post('validation', result);
      }),
      deps.sampler.onDidRun(({ uri, result }) => {
        if (!sameFile(uri)) return;
        document.lastSample = result;
        this.rpc.post('sample', result);
      }),
      document.onDidChange(() => this.rpc.post('snapshot', this.snapshot())),
    );
    panel.webview.options = webviewOptions(deps.extensionUri);
    setWebviewHtml(panel.webview, deps.extensionUri, 'overview', document.file.name);
  }

  private snapshot(): OverviewSnapshot {
    const { document } = this;
    if (document.state.status === 'error') return { status: 'error', file: document.file, error: document.state.error };
    return {
      status: 'ok',
      file: document.file,
      overview: document.state.overview,
      limits: { maxInlineTensorElements: this.deps.settings(document.uri).maxInlineTensorElements },
      validation: document.lastValidation,
      sample: document.lastSample,
    };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
