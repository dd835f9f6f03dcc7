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
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { EVALUATION_PANEL_VIEW_TYPE } from './logic/evaluation-ids';
import { writeUriAtomic } from '../webview/write-atomic';

class EvaluationPanel extends ReportPanel<EvaluationSnapshot, EvaluationChannel> {
  protected handlers(): Omit<RequestHandlers<EvaluationChannel>, 'ready'> {
    return {
      copyJson: () => this.copyJson(),
      saveJson: () => this.saveJson(),
      revealSaved: () => this.revealSaved(),
    };
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
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
    else await writeUriAtomic(target, resultJson(this.snapshot));
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
  private readonly panels: ReportPanelSet<EvaluationSnapshot, EvaluationPanel>;

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.panels = new ReportPanelSet(EVALUATION_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot) => new EvaluationPanel(panel, snapshot, 'evaluation', extensionUri, log));
  }

  /** Shows `snapshot` in the panel of `key` (created beside the active editor if needed). */
  show(key: string, title: string, snapshot: EvaluationSnapshot): void {
    this.panels.show(key, title, snapshot);
  }

  /** Tells the open panel of `key` (if any) that a re-run failed. */
  fail(key: string, error: ErrorInfo): void {
    this.panels.get(key)?.fail(error);
  }

  dispose(): void {
    this.panels.dispose();
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
