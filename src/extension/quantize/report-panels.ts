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
import { ReportPanel, ReportPanelSet } from '../webview/report-panel';
import type { RequestHandlers } from '../webview/webview-rpc';
import { QUANTIZE_PANEL_VIEW_TYPE } from './logic/quantize-ids';
import { writeUriAtomic } from '../webview/write-atomic';

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
      copyJson: () => this.copyJson(),
      saveJson: () => this.saveJson(),
    };
  }

  busy(on: boolean): void {
    this.post('busy', on);
  }

  fail(error: ErrorInfo): void {
    this.post('failure', error);
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
    else await writeUriAtomic(target, resultJson(this.snapshot));
    return { done: true, file: target.scheme === 'file' ? target.fsPath : target.toString(true) };
  }
}

export class ReportPanels implements vscode.Disposable {
  private readonly panels: ReportPanelSet<QuantizeReportSnapshot, QuantizeReportPanel>;
  private onRequantize: RequantizeHandler = () => Promise.reject(new Error('Re-quantize is not available.'));

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.panels = new ReportPanelSet(QUANTIZE_PANEL_VIEW_TYPE, extensionUri, (panel, snapshot, key) => new QuantizeReportPanel(panel, snapshot, key, (k, ex) => this.onRequantize(k, ex), extensionUri, log));
  }

  setRequantizeHandler(handler: RequantizeHandler): void {
    this.onRequantize = handler;
  }

  show(key: string, title: string, snapshot: QuantizeReportSnapshot): void {
    this.panels.show(key, title, snapshot);
  }

  /** Updates the panel of `key` only if it is open. */
  update(key: string, snapshot: QuantizeReportSnapshot): void {
    this.panels.get(key)?.update(snapshot);
  }

  has(key: string): boolean {
    return this.panels.get(key) !== undefined;
  }

  busy(key: string, on: boolean): void {
    this.panels.get(key)?.busy(on);
  }

  fail(key: string, error: ErrorInfo): void {
    this.panels.get(key)?.fail(error);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export const reportKey = {
  quantize: (model: string) => `quantize\n${model}`,
  optimize: (model: string) => `optimize\n${model}`,
};

function resultJson(snapshot: QuantizeReportSnapshot): string {
  return `${JSON.stringify(snapshot.result, null, 2)}\n`;
}
