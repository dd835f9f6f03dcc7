/**
 * Evaluation panels (webview app `evaluation`): one per model + data (or models + data for a comparison, or
 * model for a benchmark), reused and revealed on the next run. The webview asks for the snapshot on `ready`
 * (so a re-created webview shows the result again) and for the exports (copy / save JSON, reveal the run file).
 */
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { EvaluationChannel, EvaluationSnapshot, ExportOutcome } from '../../protocol/evaluation-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { iconPath, setWebviewHtml, webviewOptions } from '../webview/webview-setup';
import { WebviewRpc } from '../webview/webview-rpc';
import { EVALUATION_PANEL_VIEW_TYPE } from './evaluation-ids';

class EvaluationPanel implements vscode.Disposable {
  private readonly rpc: WebviewRpc<EvaluationChannel>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private snapshot: EvaluationSnapshot,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    this.rpc = new WebviewRpc<EvaluationChannel>(
      panel.webview,
      {
        ready: () => this.snapshot,
        copyJson: () => this.copyJson(),
        saveJson: () => this.saveJson(),
        revealSaved: () => this.revealSaved(),
      },
      log,
      `evaluation ${panel.title}`,
    );
    setWebviewHtml(panel.webview, extensionUri, 'evaluation', panel.title);
  }

  update(snapshot: EvaluationSnapshot): void {
    this.snapshot = snapshot;
    this.rpc.post('snapshot', snapshot);
  }

  fail(error: ErrorInfo): void {
    this.rpc.post('failure', error);
  }

  dispose(): void {
    this.rpc.dispose();
  }

  private async copyJson(): Promise<ExportOutcome> {
    await vscode.env.clipboard.writeText(resultJson(this.snapshot));
    return { done: true };
  }

  private async saveJson(): Promise<ExportOutcome> {
    const target = await vscode.window.showSaveDialog({
      title: 'Save the result as JSON',
      defaultUri: vscode.Uri.file(defaultJsonPath(this.snapshot)),
      filters: { JSON: ['json'] },
      saveLabel: 'Save JSON',
    });
    if (!target) return { done: false };
    if (target.scheme === 'file') await writeFile(target.fsPath, resultJson(this.snapshot));
    else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(resultJson(this.snapshot)));
    return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
  }

  private async revealSaved(): Promise<null> {
    const file = this.snapshot.kind === 'evaluate' ? this.snapshot.result.saved_to : undefined;
    if (!file) throw new Error('This result was not saved to a file.');
    const uri = vscode.Uri.file(file);
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
    return null;
  }
}

export class EvaluationPanels implements vscode.Disposable {
  private readonly panels = new Map<string, EvaluationPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Shows `snapshot` in the panel of `key` (created beside the active editor if needed). */
  show(key: string, title: string, snapshot: EvaluationSnapshot): void {
    const existing = this.panels.get(key);
    if (existing) {
      existing.update(snapshot);
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      EVALUATION_PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = iconPath(this.extensionUri);
    const view = new EvaluationPanel(panel, snapshot, this.extensionUri, this.log);
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

/** Panel keys: one panel per model + data, models + data, or model (benchmark). */
export const panelKey = {
  evaluate: (model: string, data: string) => `evaluate\n${model}\n${data}`,
  compare: (models: readonly string[], data: string) => `compare\n${models.join('\n')}\n${data}`,
  bench: (model: string) => `bench\n${model}`,
};

function resultJson(snapshot: EvaluationSnapshot): string {
  return `${JSON.stringify(snapshot.result, null, 2)}\n`;
}

function defaultJsonPath(snapshot: EvaluationSnapshot): string {
  const first = snapshot.kind === 'compare' ? snapshot.result.models[0] ?? 'models' : snapshot.result.model;
  const stem = path.basename(first, '.onnx');
  return path.join(path.dirname(path.resolve(first)), `${stem}.${snapshot.kind}.json`);
}
