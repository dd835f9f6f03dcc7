/**
 * Attributions panels (webview app `explain`): one per model + data, reused and revealed on the next run. The
 * webview asks for the snapshot on `ready` (so a re-created webview shows the result again) and for the exports
 * (JSON, CSV, a plot as PNG or SVG), which the host writes where the save dialog says.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ExplainChannel, ExplainExportOutcome, ExplainSnapshot, PlotExport } from '../../protocol/explain-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { iconPath, setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';
import { attributionsCsv } from './attribution-csv';
import { EXPLAIN_PANEL_VIEW_TYPE } from './explain-ids';

class ExplainPanel implements vscode.Disposable {
  private readonly rpc: WebviewRpc<ExplainChannel>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private snapshot: ExplainSnapshot,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    this.rpc = new WebviewRpc<ExplainChannel>(
      panel.webview,
      {
        ready: () => this.snapshot,
        saveJson: () => this.save('Save the attributions as JSON', 'json', 'JSON', `${JSON.stringify(this.snapshot.result, null, 2)}\n`),
        saveCsv: () => this.save('Save the attributions as CSV', 'csv', 'CSV', attributionsCsv(this.snapshot.result)),
        savePlot: (plot) => this.savePlot(plot),
      },
      log,
      `explain ${panel.title}`,
    );
    setWebviewHtml(panel.webview, extensionUri, 'explain', panel.title);
  }

  update(snapshot: ExplainSnapshot): void {
    this.snapshot = snapshot;
    this.rpc.post('snapshot', snapshot);
  }

  fail(error: ErrorInfo): void {
    this.rpc.post('failure', error);
  }

  dispose(): void {
    this.rpc.dispose();
  }

  private savePlot(plot: PlotExport): Promise<ExplainExportOutcome> {
    if (plot.format !== 'png' && plot.format !== 'svg') throw new Error(`Unknown plot format ${String(plot.format)}.`);
    const stem = plot.name.replace(/[^\w.-]+/g, '-').slice(0, 80) || 'plot';
    const bytes = plot.format === 'png' ? Buffer.from(plot.data, 'base64') : new TextEncoder().encode(plot.data);
    return this.save(`Save the plot as ${plot.format.toUpperCase()}`, plot.format, plot.format.toUpperCase(), bytes, stem);
  }

  private async save(title: string, ext: string, filterName: string, content: string | Uint8Array, suffix = 'attributions'): Promise<ExplainExportOutcome> {
    const model = this.snapshot.result.model;
    const target = await vscode.window.showSaveDialog({
      title,
      defaultUri: vscode.Uri.file(path.join(path.dirname(path.resolve(model)), `${path.basename(model, '.onnx')}.${suffix}.${ext}`)),
      filters: { [filterName]: [ext] },
      saveLabel: 'Save',
    });
    if (!target) return { done: false };
    await vscode.workspace.fs.writeFile(target, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
  }
}

export class ExplainPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ExplainPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Shows `snapshot` in the panel of `key` (created beside the active editor if needed). */
  show(key: string, title: string, snapshot: ExplainSnapshot): void {
    const existing = this.panels.get(key);
    if (existing) {
      existing.update(snapshot);
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(EXPLAIN_PANEL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    panel.iconPath = iconPath(this.extensionUri);
    const view = new ExplainPanel(panel, snapshot, this.extensionUri, this.log);
    this.panels.set(key, view);
    panel.onDidDispose(() => {
      view.dispose();
      if (this.panels.get(key) === view) this.panels.delete(key);
    });
  }

  /** Tells the open panel of `key` (if any) that a re-run failed. */
  fail(key: string, error: ErrorInfo): void {
    this.panels.get(key)?.fail(error);
  }

  dispose(): void {
    for (const view of this.panels.values()) view.panel.dispose();
    this.panels.clear();
  }
}

export const explainPanelKey = (model: string, data: string): string => `explain\n${model}\n${data}`;
