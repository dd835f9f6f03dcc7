/**
 * Quantization / Optimization report panels (webview app `quantize`): one per model + mode (or model for an
 * optimization), reused and revealed on the next run. The webview asks for the snapshot on `ready`, for the
 * exports, and — for a quantization — for a re-run with other exclusions (the closed loop), which the owner
 * handles through `onRequantize`.
 */
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { QuantizeReportChannel, QuantizeReportSnapshot, ReportExportOutcome } from '../../protocol/quantize-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { iconPath, setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';
import { QUANTIZE_PANEL_VIEW_TYPE } from './quantize-ids';

/** Re-runs the quantization shown in panel `key` with these exclusions. */
export type RequantizeHandler = (key: string, exclude: readonly string[]) => Promise<void>;

class ReportPanel implements vscode.Disposable {
  private readonly rpc: WebviewRpc<QuantizeReportChannel>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private snapshot: QuantizeReportSnapshot,
    key: string,
    onRequantize: RequantizeHandler,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    this.rpc = new WebviewRpc<QuantizeReportChannel>(
      panel.webview,
      {
        ready: () => this.snapshot,
        requantize: async ({ exclude }) => {
          await onRequantize(key, exclude);
          return null;
        },
        copyJson: () => this.copyJson(),
        saveJson: () => this.saveJson(),
      },
      log,
      `report ${panel.title}`,
    );
    setWebviewHtml(panel.webview, extensionUri, 'quantize', panel.title);
  }

  update(snapshot: QuantizeReportSnapshot): void {
    this.snapshot = snapshot;
    this.rpc.post('snapshot', snapshot);
  }

  busy(on: boolean): void {
    this.rpc.post('busy', on);
  }

  fail(error: ErrorInfo): void {
    this.rpc.post('failure', error);
  }

  dispose(): void {
    this.rpc.dispose();
  }

  private async copyJson(): Promise<ReportExportOutcome> {
    await vscode.env.clipboard.writeText(resultJson(this.snapshot));
    return { done: true };
  }

  private async saveJson(): Promise<ReportExportOutcome> {
    const r = this.snapshot.result;
    const target = await vscode.window.showSaveDialog({
      title: 'Save the report as JSON',
      defaultUri: vscode.Uri.file(path.join(path.dirname(r.model), `${path.basename(r.model, '.onnx')}.${this.snapshot.kind}.json`)),
      filters: { JSON: ['json'] },
      saveLabel: 'Save JSON',
    });
    if (!target) return { done: false };
    if (target.scheme === 'file') await writeFile(target.fsPath, resultJson(this.snapshot));
    else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(resultJson(this.snapshot)));
    return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
  }
}

export class ReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ReportPanel>();
  private onRequantize: RequantizeHandler = () => Promise.reject(new Error('Re-quantize is not available.'));

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  setRequantizeHandler(handler: RequantizeHandler): void {
    this.onRequantize = handler;
  }

  show(key: string, title: string, snapshot: QuantizeReportSnapshot): void {
    const existing = this.panels.get(key);
    if (existing) {
      existing.update(snapshot);
      existing.panel.title = title;
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(QUANTIZE_PANEL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    panel.iconPath = iconPath(this.extensionUri);
    const view = new ReportPanel(panel, snapshot, key, (k, ex) => this.onRequantize(k, ex), this.extensionUri, this.log);
    this.panels.set(key, view);
    panel.onDidDispose(() => {
      view.dispose();
      if (this.panels.get(key) === view) this.panels.delete(key);
    });
  }

  /** Updates the panel of `key` only if it is open. */
  update(key: string, snapshot: QuantizeReportSnapshot): void {
    this.panels.get(key)?.update(snapshot);
  }

  has(key: string): boolean {
    return this.panels.has(key);
  }

  busy(key: string, on: boolean): void {
    this.panels.get(key)?.busy(on);
  }

  fail(key: string, error: ErrorInfo): void {
    this.panels.get(key)?.fail(error);
  }

  dispose(): void {
    for (const view of this.panels.values()) view.panel.dispose();
    this.panels.clear();
  }
}

export const reportKey = {
  quantize: (model: string) => `quantize\n${model}`,
  optimize: (model: string) => `optimize\n${model}`,
};

function resultJson(snapshot: QuantizeReportSnapshot): string {
  return `${JSON.stringify(snapshot.result, null, 2)}\n`;
}
