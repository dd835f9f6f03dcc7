/**
 * One model editor: binds a custom-editor webview (Overview, Graph and Profile tabs) to its ModelDocument.
 * Answers the webview's requests (ready → snapshot, validate, runSample, runProfile, the graph component's
 * calls, overlay node actions) and pushes new results and overlays for the same file.
 */
import * as vscode from 'vscode';
import type { GraphOverlayState, OverviewChannel, OverviewSnapshot } from '../../protocol/webview';
import type { PtpSettings } from '../config/logic/ptp-settings';
import { graphRequestHandlers } from '../graph/graph-requests';
import { layoutWorkerUri } from '../graph/layout-worker-uri';
import type { ProfileService } from '../graph/profile-service';
import type { SampleService } from '../sample/sample-service';
import type { ValidationService } from '../validation/validation-service';
import { setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';
import type { GraphOverlays, OverlayEntry } from '../shared/graph-overlays';
import type { ModelDocument } from './model-document';

export interface OverviewDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly validation: ValidationService;
  readonly sampler: SampleService;
  readonly settings: (scope: vscode.Uri) => PtpSettings;
  readonly overlays: GraphOverlays;
  readonly profiles: ProfileService;
}

function overlayState(entry: OverlayEntry | null | undefined): GraphOverlayState | null {
  return entry ? { overlay: entry.overlay, actions: entry.actions ?? [] } : null;
}

export class OverviewEditor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rpc: WebviewRpc<OverviewChannel>;
  private readonly layoutWorker: string;

  constructor(
    private readonly document: ModelDocument,
    panel: vscode.WebviewPanel,
    private readonly deps: OverviewDeps,
  ) {
    const sameFile = (uri: vscode.Uri) => uri.toString() === document.uri.toString();
    const filePath = () => document.file.path;
    this.layoutWorker = layoutWorkerUri(panel.webview, deps.extensionUri);
    const graph = graphRequestHandlers(() => ({
      model: () => {
        const state = document.state;
        if (state.status === 'error') throw new Error(state.error.message);
        return state.model;
      },
      uri: document.uri,
      maxInlineTensorElements: () => deps.settings(document.uri).maxInlineTensorElements,
    }));
    this.rpc = new WebviewRpc<OverviewChannel>(
      panel.webview,
      {
        ...graph,
        ready: () => this.snapshot(),
        runProfile: async (_params, token) => {
          try {
            return await deps.profiles.run(document.uri, token);
          } catch (e) {
            deps.profiles.reportFailure(document.uri, e);
            throw e;
          }
        },
        nodeAction: async ({ actionId, node }) => {
          await deps.overlays.runAction(filePath(), actionId, node);
          return null;
        },
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
      deps.overlays.onDidChange((modelPath, entry) => {
        if (modelPath !== filePath()) return;
        const state = overlayState(entry);
        this.rpc.post('overlay', state && deps.overlays.takeReveal(modelPath) ? { ...state, reveal: true } : state);
      }),
      deps.profiles.onDidProfile(({ path, result }) => {
        if (path !== filePath()) return;
        deps.profiles.takeReveal(path);
        this.rpc.post('profile', result);
      }),
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
      overlay: this.overlaySnapshot(document.file.path),
      profile: this.deps.profiles.latestFor(document.file.path),
      revealProfile: this.deps.profiles.takeReveal(document.file.path),
      layoutWorker: this.layoutWorker,
    };
  }

  private overlaySnapshot(path: string): GraphOverlayState | null {
    const state = overlayState(this.deps.overlays.get(path));
    return state && this.deps.overlays.takeReveal(path) ? { ...state, reveal: true } : state;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
