/** Webview panels showing sample-run results: one per model file, reused (and revealed) on the next run. */
import * as vscode from 'vscode';
import type { SampleChannel, SampleSnapshot } from '../../protocol/webview';
import type { SampleResult } from '../../protocol/worker';
import { SAMPLE_PANEL_VIEW_TYPE } from '../logic/ids';
import { fileInfo, fileName } from '../shared/model-file';
import { iconPath, setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';

class SamplePanel implements vscode.Disposable {
  private readonly rpc: WebviewRpc<SampleChannel>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private snapshot: SampleSnapshot,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    this.rpc = new WebviewRpc<SampleChannel>(panel.webview, { ready: () => this.snapshot }, log, `sample ${snapshot.file.name}`);
    setWebviewHtml(panel.webview, extensionUri, 'sample', panel.title);
  }

  update(snapshot: SampleSnapshot): void {
    this.snapshot = snapshot;
    this.rpc.post('snapshot', snapshot);
  }

  dispose(): void {
    this.rpc.dispose();
  }
}

export class SamplePanels implements vscode.Disposable {
  private readonly panels = new Map<string, SamplePanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async show(uri: vscode.Uri, result: SampleResult): Promise<void> {
    const snapshot: SampleSnapshot = { file: await fileInfo(uri), result };
    const key = uri.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.update(snapshot);
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      SAMPLE_PANEL_VIEW_TYPE,
      `Sample Run: ${fileName(uri)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = iconPath(this.extensionUri);
    const view = new SamplePanel(panel, snapshot, this.extensionUri, this.log);
    this.panels.set(key, view);
    panel.onDidDispose(() => {
      view.dispose();
      if (this.panels.get(key) === view) this.panels.delete(key);
    });
  }

  dispose(): void {
    for (const view of this.panels.values()) view.panel.dispose();
    this.panels.clear();
  }
}
