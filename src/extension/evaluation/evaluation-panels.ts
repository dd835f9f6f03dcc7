/**
 * Evaluation panels (webview app `evaluation`): one per model + data (or models + data for a comparison, or
 * model for a benchmark), reused and revealed on the next run. The webview asks for the snapshot on `ready`
 * (so a re-created webview shows the result again) and for the exports (copy / save JSON, reveal the run file).
 */
import * as vscode from 'vscode';
import type { EvaluationChannel, EvaluationSnapshot } from '../../protocol/evaluation-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { EVALUATION_PANEL_VIEW_TYPE } from './logic/evaluation-ids';
import { copyJson, saveJsonFile } from '../webview/report-export';

class EvaluationPanel extends ReportPanel<EvaluationSnapshot, EvaluationChannel> {
  protected handlers(): Omit<RequestHandlers<EvaluationChannel>, 'ready'> {
    return {
      copyJson: () => copyJson(this.snapshot.result),
      saveJson: () => saveJsonFile(jsonModel(this.snapshot), this.snapshot.kind, this.snapshot.result, 'Save the result as JSON'),
      revealSaved: () => this.revealSaved(),
    };
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
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

export class EvaluationPanels extends ReportPanelSet<EvaluationSnapshot, EvaluationPanel> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    super(EVALUATION_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot) => new EvaluationPanel(panel, snapshot, 'evaluation', extensionUri, log));
  }
}

/** Panel keys: one panel per model + data, models + data, or model (benchmark). */
export const panelKey = {
  evaluate: (model: string, data: string) => `evaluate\n${model}\n${data}`,
  compare: (models: readonly string[], data: string) => `compare\n${models.join('\n')}\n${data}`,
  bench: (model: string) => `bench\n${model}`,
};

/** The model whose name the saved JSON takes: the first model of a comparison. */
function jsonModel(snapshot: EvaluationSnapshot): string {
  return snapshot.kind === 'compare' ? snapshot.result.models[0] ?? 'models' : snapshot.result.model;
}
