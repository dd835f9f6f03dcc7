/**
 * Quantization / Optimization report panels (webview app `quantize`): one per model + mode (or model for an
 * optimization), reused and revealed on the next run. The webview asks for the snapshot on `ready`, for the
 * exports, and — for a quantization — for a re-run with other exclusions (the closed loop), which the owner
 * handles through `onRequantize`.
 */
import * as vscode from 'vscode';
import type { QuantizeReportChannel, QuantizeReportSnapshot } from '../../protocol/quantize-panel';
import type { ErrorInfo } from '../../protocol/webview';
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { QUANTIZE_PANEL_VIEW_TYPE } from './logic/quantize-ids';
import { copyJson, saveJsonFile } from '../webview/report-export';

/** Re-runs the quantization shown in panel `key` with these exclusions. */
export type RequantizeHandler = (key: string, exclude: readonly string[]) => Promise<void>;

class QuantizeReportPanel extends ReportPanel<QuantizeReportSnapshot, QuantizeReportChannel> {
  constructor(
    panel: vscode.WebviewPanel,
    snapshot: QuantizeReportSnapshot,
    private readonly key: string,
    private readonly onRequantize: RequantizeHandler,
    extensionUri: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    super(panel, snapshot, 'quantize', extensionUri, log);
  }

  protected handlers(): Omit<RequestHandlers<QuantizeReportChannel>, 'ready'> {
    return {
      requantize: async ({ exclude }) => {
        await this.onRequantize(this.key, exclude);
        return null;
      },
      copyJson: () => copyJson(this.snapshot.result),
      saveJson: () => saveJsonFile(this.snapshot.result.model, this.snapshot.kind, this.snapshot.result),
    };
  }

  busy(on: boolean): void {
    this.post('busy', on);
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
  }

}

export class ReportPanels extends ReportPanelSet<QuantizeReportSnapshot, QuantizeReportPanel> {
  private onRequantize: RequantizeHandler = () => Promise.reject(new Error('Re-quantize is not available.'));

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    super(QUANTIZE_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot, key) => new QuantizeReportPanel(panel, snapshot, key, (k, ex) => this.onRequantize(k, ex), extensionUri, log));
  }

  setRequantizeHandler(handler: RequantizeHandler): void {
    this.onRequantize = handler;
  }
}

export const reportKey = {
  quantize: (model: string) => `quantize\n${model}`,
  optimize: (model: string) => `optimize\n${model}`,
};
