/**
 * Pruning report panels (webview app `prune`): one per source model, reused and revealed on the next run. The
 * webview asks for the snapshot on `ready`; its buttons open the pruned model, show the sparsity overlay on the
 * source model's graph, run the sensitivity analysis and re-run the pruning with fine-tuning, which the owner handles through `PrunePanelActions`.
 */
import * as vscode from 'vscode';
import type { PruneResult, PruneSensitivityResult } from '../../protocol/prune';
import type { PruneReportChannel, PruneReportSnapshot } from '../../protocol/prune-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { copyJson, saveJsonFile } from '../webview/report-export';
import { PRUNE_PANEL_VIEW_TYPE } from './logic/prune-ids';

/** What the panel's buttons do, for the model (absolute path) the panel shows. */
export interface PrunePanelActions {
  openOutput(model: string): Promise<void>;
  showOverlay(model: string): Promise<void>;
  runSensitivity(model: string): Promise<PruneSensitivityResult | null>;
  /** "Fine-tune…": the last run again, with fine-tuning; null when the user dismissed the pickers. */
  finetune(model: string): Promise<PruneResult | null>;
}

class PrunePanel extends ReportPanel<PruneReportSnapshot, PruneReportChannel> {
  constructor(
    panel: vscode.WebviewPanel,
    snapshot: PruneReportSnapshot,
    private readonly model: string,
    private readonly actions: PrunePanelActions,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    super(panel, snapshot, 'prune', extensionUri, log);
  }

  protected handlers(): Omit<RequestHandlers<PruneReportChannel>, 'ready'> {
    return {
      openOutput: async () => {
        await this.actions.openOutput(this.model);
        return null;
      },
      showOverlay: async () => {
        await this.actions.showOverlay(this.model);
        return null;
      },
      runSensitivity: () => this.actions.runSensitivity(this.model),
      finetune: () => this.actions.finetune(this.model),
      copyJson: () => copyJson(this.snapshot.result),
      saveJson: () => saveJsonFile(this.snapshot.result.model, 'prune', this.snapshot.result),
    };
  }

  sensitivity(result: PruneSensitivityResult): void {
    this.keep({ ...this.snapshot, sensitivity: result });
    this.post('sensitivity', result);
  }

  busy(on: boolean): void {
    this.post('busy', on);
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
  }
}

export class PrunePanels extends ReportPanelSet<PruneReportSnapshot, PrunePanel> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, actions: PrunePanelActions) {
    super(PRUNE_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot, model) => new PrunePanel(panel, snapshot, model, actions, extensionUri, log));
  }

  /** Shows a sensitivity sweep in the open panel of `model`. */
  sensitivity(model: string, result: PruneSensitivityResult): void {
    this.get(model)?.sensitivity(result);
  }
}
