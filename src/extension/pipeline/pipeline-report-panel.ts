/**
 * The finished run's report.html in a webview panel: no scripts (the report has none), our strict CSP first,
 * no local resources (the report is self-contained: inline styles, data: images). One panel, reused.
 */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { iconPath } from '../webview/webview-setup';
import { PIPELINE_REPORT_VIEW_TYPE } from './logic/pipeline-ids';
import { reportWebviewHtml } from './logic/report-html';

export class PipelineReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shownFile: string | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The report file shown now, if the panel is open. */
  get file(): string | undefined {
    return this.panel ? this.shownFile : undefined;
  }

  /** The panel's webview (tests read its HTML and options). */
  get webview(): vscode.Webview | undefined {
    return this.panel?.webview;
  }

  async show(file: string, title: string): Promise<void> {
    const html = reportWebviewHtml(await readFile(file, 'utf8'));
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(PIPELINE_REPORT_VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: false, enableCommandUris: false, localResourceRoots: [] });
      this.panel.iconPath = iconPath(this.extensionUri);
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal();
    }
    this.panel.title = title;
    this.panel.webview.html = html;
    this.shownFile = path.resolve(file);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
