/**
 * The Compare Models panel: two models opened on the host, their main graphs and the structural diff
 * (`graphDiff`) sent once; node/tensor details and saves answered per side. The models stay open while the
 * panel is, and are closed with it. One panel per pair of files (a second compare of the pair reveals it).
 */
import * as vscode from 'vscode';
import type { OnnxModel } from '../../core';
import type { CompareChannel, CompareSnapshot } from '../../protocol/webview';
import type { PtpSettings } from '../config/logic/ptp-settings';
import { loadCore } from '../shared/core-loader';
import { fileInfo, fileName, modelPath } from '../shared/model-file';
import { logText } from '../shared/logic/user-errors';
import { iconPath, setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';
import { graphRequestHandlers, graphViewOf, type GraphSource } from './graph-requests';
import { layoutWorkerUri } from './layout-worker-uri';

export const COMPARE_PANEL_VIEW_TYPE = 'ptp.compareModels';

interface OpenPair {
  readonly models: readonly [OnnxModel, OnnxModel];
  readonly uris: readonly [vscode.Uri, vscode.Uri];
}

export class ComparePanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: (scope: vscode.Uri) => PtpSettings,
  ) {}

  /** Opens both models, diffs them and shows the panel; resolves to the diff. */
  async compare(a: vscode.Uri, b: vscode.Uri): Promise<CompareSnapshot['diff'] & { readonly pairs: readonly { a: number; b: number }[] }> {
    const core = await loadCore();
    const started = performance.now();
    const models: OnnxModel[] = [];
    try {
      for (const uri of [a, b]) models.push(await core.openModel(modelPath(uri)));
      const pair: OpenPair = { models: [models[0]!, models[1]!], uris: [a, b] };
      const diff = core.graphDiff(pair.models[0], pair.models[1], 'main');
      const [leftView, rightView] = await Promise.all([graphViewOf(pair.models[0], 'main'), graphViewOf(pair.models[1], 'main')]);
      this.log.info(
        `Compared ${a.fsPath} with ${b.fsPath} in ${(performance.now() - started).toFixed(0)} ms: ` +
          `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
      );
      const snapshot: CompareSnapshot = {
        left: { file: await fileInfo(a), view: leftView },
        right: { file: await fileInfo(b), view: rightView },
        diff: { added: diff.added, removed: diff.removed, changed: diff.changed },
        layoutWorker: '',
      };
      this.show(pair, snapshot);
      return diff;
    } catch (e) {
      for (const m of models) await m.close().catch(() => undefined);
      throw e;
    }
  }

  private show(pair: OpenPair, base: CompareSnapshot): void {
    const key = `${pair.uris[0].toString()}\n${pair.uris[1].toString()}`;
    this.panels.get(key)?.dispose();
    const panel = vscode.window.createWebviewPanel(
      COMPARE_PANEL_VIEW_TYPE,
      `Compare: ${fileName(pair.uris[0])} ↔ ${fileName(pair.uris[1])}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = iconPath(this.extensionUri);
    const snapshot: CompareSnapshot = { ...base, layoutWorker: layoutWorkerUri(panel.webview, this.extensionUri) };
    const source = (k: 0 | 1): GraphSource => ({
      model: () => pair.models[k],
      uri: pair.uris[k],
      maxInlineTensorElements: () => this.settings(pair.uris[k]).maxInlineTensorElements,
    });
    const rpc = new WebviewRpc<CompareChannel>(
      panel.webview,
      { ready: () => snapshot, ...graphRequestHandlers((side) => source(side === 'right' ? 1 : 0)) },
      this.log,
      `compare ${fileName(pair.uris[0])} / ${fileName(pair.uris[1])}`,
    );
    setWebviewHtml(panel.webview, this.extensionUri, 'compare', panel.title);
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      rpc.dispose();
      if (this.panels.get(key) === panel) this.panels.delete(key);
      for (const m of pair.models) m.close().catch((e: unknown) => this.log.warn(`Closing a model failed: ${logText(e)}`));
    });
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
