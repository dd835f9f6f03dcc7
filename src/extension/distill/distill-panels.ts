/**
 * Distillation report panels (webview app `distill`): one per teacher model, reused and revealed on the next run.
 * The webview asks for the snapshot on `ready`; its button opens the student model.
 */
import * as vscode from 'vscode';
import type { DistillReportChannel, DistillReportSnapshot } from '../../protocol/distill-panel';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import { copyJson, saveJsonFile } from '../webview/report-export';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { DISTILL_PANEL_VIEW_TYPE } from './logic/distill-ids';

class DistillPanel extends ReportPanel<DistillReportSnapshot, DistillReportChannel> {
  protected handlers(): Omit<RequestHandlers<DistillReportChannel>, 'ready'> {
    return {
      openStudent: async () => {
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(this.snapshot.result.output), MODEL_EDITOR_VIEW_TYPE);
        return null;
      },
      copyJson: () => copyJson(this.snapshot.result),
      saveJson: () => saveJsonFile(this.snapshot.result.teacher, 'distill', this.snapshot.result),
    };
  }
}

export class DistillPanels extends ReportPanelSet<DistillReportSnapshot, DistillPanel> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    super(DISTILL_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot) => new DistillPanel(panel, snapshot, 'distill', extensionUri, log));
  }
}
