/**
 * Distillation report panels (webview app `distill`): one per teacher model, reused and revealed on the next run.
 * The webview asks for the snapshot on `ready`; its button opens the student model.
 */
import * as vscode from 'vscode';
import type { DistillReportChannel, DistillReportSnapshot } from '../../protocol/distill-panel';
import { MODEL_EDITOR_VIEW_TYPE } from '../logic/ids';
import { copyJson, saveJsonFile } from '../prune/json-export';
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

export class DistillPanels implements vscode.Disposable {
  private readonly panels: ReportPanelSet<DistillReportSnapshot, DistillPanel>;

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.panels = new ReportPanelSet(DISTILL_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot) => new DistillPanel(panel, snapshot, 'distill', extensionUri, log));
  }

  /** Shows the report of teacher `model` (a new panel, or the open one updated and revealed). */
  show(model: string, title: string, snapshot: DistillReportSnapshot): void {
    this.panels.show(model, title, snapshot);
  }

  /** What the open panel of teacher `model` shows (undefined when none is open). */
  snapshot(model: string): DistillReportSnapshot | undefined {
    return this.panels.get(model)?.snapshot;
  }

  dispose(): void {
    this.panels.dispose();
  }
}
